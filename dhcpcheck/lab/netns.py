"""Network namespaces, the links between them, and processes run inside them.

A `Lab` owns every namespace and process it starts and removes them when its
`with` block ends, failure or not. Links live in namespaces and die with them.
"""

import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Self

COMMAND_TIMEOUT = 30.0  # seconds for one configuration command
STOP_GRACE = 3.0  # seconds between SIGTERM and SIGKILL
IFNAME_MAX = 15  # IFNAMSIZ less the NUL


class LabError(Exception):
    """A lab command failed or a scenario step timed out."""


def run(argv: Sequence[str]) -> str:
    """Run a short command to completion; return its stdout or raise LabError."""
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise LabError(f"{argv[0]}: {error}") from None
    if done.returncode != 0:
        raise LabError(f"{' '.join(argv)}: {done.stderr.strip()}")
    return done.stdout


def inside(namespace: str, argv: Sequence[str]) -> list[str]:
    """Return ``argv`` prefixed so that it runs inside ``namespace``."""
    return ["ip", "netns", "exec", namespace, *argv]


def check_ifname(name: str) -> str:
    """Return ``name`` if the kernel accepts it as an interface name."""
    if not 0 < len(name) <= IFNAME_MAX or "/" in name or " " in name:
        raise ValueError(f"bad interface name {name!r} (1..{IFNAME_MAX} characters)")
    return name


def namespaces() -> list[str]:
    """Return the names of the existing named network namespaces."""
    return [line.split()[0] for line in run(["ip", "netns", "list"]).splitlines()]


def delete_namespace(name: str) -> None:
    """Kill every process left in namespace ``name``, then delete it.

    Deleting the name alone would leave its processes running and its links
    alive; killing them first lets the kernel free the namespace at once.
    """
    pids = subprocess.run(
        ["ip", "netns", "pids", name], capture_output=True, text=True, check=False
    ).stdout.split()
    for pid in pids:
        _signal(int(pid), signal.SIGKILL)
    subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)


def _signal(pid: int, signum: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.kill(pid, signum)


@dataclass(frozen=True, slots=True)
class Process:
    """A program running in the background, in a process group of its own."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def running(self) -> bool:
        """True while the program has not exited."""
        return self.popen.poll() is None

    def wait(self, timeout: float) -> int:
        """Wait for the program to exit by itself; return its exit status."""
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise LabError(f"{self.name} still running after {timeout} s") from None

    def stop(self, signum: signal.Signals = signal.SIGTERM) -> None:
        """Send ``signum`` to the whole group, then SIGKILL if it lingers."""
        if self.running():
            self._group(signum)
            try:
                self.popen.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                self._group(signal.SIGKILL)
                self.popen.wait(STOP_GRACE)

    def _group(self, signum: signal.Signals) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def output(self) -> str:
        """Return what the program wrote to stdout and stderr so far."""
        return self.log.read_text(errors="replace")


class Lab:
    """The namespaces and processes of one scenario run, removed on exit.

    Namespaces are named ``TAG-ROLE``; ``trace`` sees every command line.
    """

    def __init__(
        self, workdir: Path, tag: str, trace: Callable[[str], object] = lambda _: None
    ) -> None:
        self.workdir = workdir
        self.tag = tag
        self._trace = trace
        self._stack = ExitStack()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stack.close()

    def run(self, argv: Sequence[str]) -> str:
        """Run a short command from outside the namespaces (``ip -n NS ...``)."""
        self._trace(" ".join(argv))
        return run(argv)

    def run_in(self, namespace: str, argv: Sequence[str]) -> str:
        """Run a short command inside ``namespace``."""
        return self.run(inside(namespace, argv))

    def namespace(self, role: str) -> str:
        """Create the namespace for ``role``, its loopback up; return its name."""
        name = f"{self.tag}-{role}"
        self.run(["ip", "netns", "add", name])
        self._stack.callback(delete_namespace, name)
        self.run(["ip", "-n", name, "link", "set", "lo", "up"])
        return name

    def start(
        self,
        namespace: str,
        name: str,
        argv: Sequence[str],
        env: Mapping[str, str] | None = None,
    ) -> Process:
        """Start ``argv`` in the background inside ``namespace``.

        Its output goes to ``NAME.log`` in the work directory; it is stopped
        when the lab closes, if it has not exited by then.
        """
        log = self.workdir / f"{name}.log"
        command = inside(namespace, argv)
        self._trace(" ".join(command))
        with log.open("wb") as sink:
            popen = _spawn(command, sink, env)
        process = Process(name, popen, log)
        self._stack.callback(process.stop)
        return process


def _spawn(
    command: list[str], sink: IO[bytes], env: Mapping[str, str] | None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=sink,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.1
) -> None:
    """Poll ``condition`` until it holds; raise LabError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise LabError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(poll)
