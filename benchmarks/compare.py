"""dhcpcheck beside tshark, tcpdump and pyshark on the same captures.

    python -m benchmarks.compare [--small | --tiny] [--repeat 3] [--output FILE]
        [--compiled PYTHON] [--skip TEXT ...]
    python -m benchmarks.compare --small --check    # CI: it runs, no timing

Each round runs every command once, in turn, so that load on the machine
falls on all of them alike; the table gives the median of the rounds. Peak
memory is the most that the command's processes held at once: their
proportional set sizes (shared pages split between the processes sharing
them) summed every 50 ms, or the child's maximum resident set (wait4) if
that is more; output goes to /dev/null. pyshark reads the start of each
capture only, scaled up. Then come the memory of `analyze` as a capture
grows and `lint` on every core, with the compiled build if there is one.
Missing captures are generated first (benchmarks.generate). With
`--compiled`, the dhcpcheck commands run twice: with this Python's
dhcpcheck, then with that Python's, a compiled build (setup.py). `--skip`
leaves out the commands whose names contain the text.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import generate
from benchmarks.pyshark_count import SAMPLE as PYSHARK_SAMPLE

BOOTP_FILTER = "(udp port 67 or udp port 68) or (vlan and (udp port 67 or udp port 68))"
EXIT_OK = (0, 1)  # dhcpcheck exits 1 when findings reach --fail-on
MEMORY_PARTS = (4, 2, 1)  # the DHCP capture cut to a quarter, a half, whole
LINT_CAPTURES = 8  # copies of an eighth of the DHCP capture, for lint
POLL = 0.05  # seconds between two looks at a command's memory


@dataclass(frozen=True, slots=True)
class Command:
    """One thing to time: what runs, on how many frames, against what."""

    name: str
    argv: tuple[str, ...]
    frames: int
    against: str | None = None  # the command it is measured against, by name
    scale: float = 1.0  # the whole capture over the part read (pyshark)


@dataclass(slots=True)
class Timing:
    """Every round of one command."""

    seconds: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median wall time of the rounds, in seconds."""
        return statistics.median(self.seconds)


def run(command: Command) -> tuple[float, int]:
    """Run once, output to /dev/null: wall seconds (scaled) and peak KB."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(command.argv, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_pss_kb(child.pid))
            time.sleep(POLL)
        seconds = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in EXIT_OK:
            errors.seek(0)
            text = errors.read().decode(errors="replace")
            raise SystemExit(f"{command.name} failed ({code}): {text}")
    return seconds * command.scale, max(peak, usage.ru_maxrss)


def tree_pss_kb(pid: int) -> int:
    """The proportional set size of `pid` and its descendants, in KB; 0 for
    what has ended meanwhile."""
    total = 0
    pending = [pid]
    while pending:
        each = pending.pop()
        proc = Path("/proc", str(each))
        try:
            rollup = (proc / "smaps_rollup").read_text()
            children = (proc / "task" / str(each) / "children").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
        pending.extend(int(child) for child in children.split())
    return total


def _dhcpcheck(python: str) -> tuple[str, ...]:
    """dhcpcheck as `python` has it installed. -P keeps the working folder
    off sys.path: run from a checkout, `-m` would import its pure source."""
    return (python, "-P", "-m", "dhcpcheck")


def commands(
    label: str, capture: Path, frames: int, builds: dict[str, str]
) -> list[Command]:
    """The comparisons of the issue on one capture, for each build of
    dhcpcheck (a name, "" for the one running this, and its Python)."""
    path = str(capture)
    tshark = f"tshark -Y dhcp ({label})"
    tcpdump = f"tcpdump -e -n -vv ({label})"
    fields = ("-T", "fields", "-e", "dhcp.id")

    def dhcpcheck(arguments: tuple[str, ...], against: str) -> list[Command]:
        return [
            Command(
                f"dhcpcheck{build} {' '.join(arguments)} ({label})",
                (*_dhcpcheck(python), *arguments, path),
                frames,
                against=against,
            )
            for build, python in builds.items()
        ]

    return [
        Command(tshark, ("tshark", "-r", path, "-Y", "dhcp"), frames),
        Command(
            f"tshark -Y dhcp -T fields -e dhcp.id ({label})",
            ("tshark", "-r", path, "-Y", "dhcp", *fields),
            frames,
            against=tshark,
        ),
        *dhcpcheck(("analyze", "--format", "jsonl"), tshark),
        Command(
            tcpdump, ("tcpdump", "-r", path, "-e", "-n", "-vv", BOOTP_FILTER), frames
        ),
        *dhcpcheck(("show", "-e", "-vv"), tcpdump),
    ]


def pyshark(label: str, sample: Path, read: int, whole: int) -> Command:
    """pyshark on `sample`, the first `read` frames of a capture of `whole`."""
    return Command(
        f"pyshark FileCapture, dhcp filter ({label}; first {read:,}, scaled)",
        (sys.executable, "-m", "benchmarks.pyshark_count", str(sample)),
        whole,
        against=f"tshark -Y dhcp ({label})",
        scale=whole / read,
    )


def all_commands(
    folder: Path, sizes: generate.Sizes, builds: dict[str, str]
) -> list[Command]:
    """Every comparison whose program is here, on the captures in `folder`
    (generated if missing)."""
    clients = sizes.clients
    dhcp = generate.ensure_dhcp(folder, sizes.dhcp, clients)
    mixed = generate.ensure_mixed(folder, sizes.mixed, clients)
    read = min(PYSHARK_SAMPLE, sizes.dhcp)
    read_mixed = read * generate.DHCP_SHARE
    found = [
        *commands("dhcp", dhcp, sizes.dhcp, builds),
        *commands("mixed", mixed, sizes.mixed, builds),
        pyshark("dhcp", generate.ensure_dhcp(folder, read, clients), read, sizes.dhcp),
        pyshark(
            "mixed",
            generate.ensure_mixed(folder, read_mixed, clients),
            read_mixed,
            sizes.mixed,
        ),
    ]
    return [command for command in found if available(command)]


def available(command: Command) -> bool:
    """Whether the program is installed (for pyshark: whether it imports)."""
    program = command.argv[0]
    if "benchmarks.pyshark_count" in command.argv:
        probe = subprocess.run((program, "-c", "import pyshark"), capture_output=True)
        return probe.returncode == 0 and shutil.which("tshark") is not None
    return Path(program).is_file() or shutil.which(program) is not None


def time_all(runs: list[Command], rounds: int) -> dict[str, Timing]:
    """Every command once per round, in turn, `rounds` times."""
    timings = {command.name: Timing() for command in runs}
    for _ in range(rounds):
        for command in runs:
            seconds, peak = run(command)
            timings[command.name].seconds.append(seconds)
            timings[command.name].peak_kb.append(peak)
    return timings


def table(runs: list[Command], timings: dict[str, Timing]) -> list[str]:
    """The results as Markdown: time, rate, memory and the ratio."""
    lines = [
        "| command | frames | median s | frames/s | peak MB | ratio |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for command in runs:
        timing = timings[command.name]
        ratio = ""
        if command.against in timings:
            base = timings[command.against].median
            ratio = f"{timing.median / base:.3f} of {command.against}"
        lines.append(
            f"| {command.name} | {command.frames:,} | {timing.median:.2f} "
            f"| {command.frames / timing.median:,.0f} "
            f"| {max(timing.peak_kb) / 1024:.0f} | {ratio} |"
        )
    return lines


def memory_table(folder: Path, sizes: generate.Sizes, python: str) -> list[str]:
    """Peak memory of `analyze --format jsonl` as the DHCP capture grows."""
    lines = ["| DHCP frames | peak MB | seconds |", "| ---: | ---: | ---: |"]
    for part in MEMORY_PARTS:
        count = sizes.dhcp // part
        capture = generate.ensure_dhcp(folder, count, sizes.clients)
        argv = (*_dhcpcheck(python), "analyze", "--format", "jsonl", str(capture))
        seconds, peak = run(Command("memory", argv, count))
        lines.append(f"| {count:,} | {peak / 1024:.0f} | {seconds:.1f} |")
    return lines


def lint_table(folder: Path, sizes: generate.Sizes, python: str) -> list[str]:
    """`lint --format sarif` over a folder of captures, one job, then all."""
    count = sizes.dhcp // LINT_CAPTURES
    pieces = folder / f"lint-{LINT_CAPTURES}x{count}"
    if not pieces.exists():
        source = generate.ensure_dhcp(folder, count, sizes.clients)
        pieces.mkdir()
        for index in range(LINT_CAPTURES):
            shutil.copyfile(source, pieces / f"capture-{index}.pcap")
    lines = [
        f"| lint, {LINT_CAPTURES} captures of {count:,} frames | seconds |",
        "| --- | ---: |",
    ]
    for jobs in sorted({1, os.cpu_count() or 1}):
        argv = (
            *_dhcpcheck(python),
            "lint",
            "--jobs",
            str(jobs),
            "--format",
            "sarif",
        )
        seconds, _ = run(Command("lint", (*argv, str(pieces)), count))
        lines.append(f"| --jobs {jobs} | {seconds:.1f} |")
    return lines


def machine() -> list[str]:
    """What the numbers were measured on."""
    cpu = platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = models[0] if models else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    tools = [_version("tshark"), _version("tcpdump")]
    return [
        f"- {os.cpu_count()} cores, {cpu}, {memory:.0f} GiB, {platform.system()}",
        f"- Python {platform.python_version()}; {'; '.join(filter(None, tools))}",
    ]


def _build(python: str) -> str:
    """What `dhcpcheck --version` says with `python`: which build it is."""
    argv = (*_dhcpcheck(python), "--version")
    return subprocess.run(argv, capture_output=True, text=True).stdout.strip()


def _version(program: str) -> str:
    if shutil.which(program) is None:
        return ""
    found = subprocess.run((program, "--version"), capture_output=True, text=True)
    return (found.stdout or found.stderr).splitlines()[0].strip()


def main() -> None:
    """Generate, time, print the tables; write them to --output if given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    generate.add_size_flags(parser)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (median)")
    parser.add_argument("--check", action="store_true", help="one round, for CI")
    parser.add_argument("--output", type=Path, help="also write the report here")
    parser.add_argument("--captures", type=Path, default=generate.bench_dir())
    parser.add_argument(
        "--compiled", metavar="PYTHON", help="a Python with the compiled build"
    )
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out commands naming this"
    )
    arguments = parser.parse_args()
    sizes = generate.sizes(arguments.small, arguments.tiny)
    builds = {"": sys.executable}
    if arguments.compiled:
        builds[" [compiled]"] = arguments.compiled
    last = list(builds)[-1]
    runs = [
        command
        for command in all_commands(arguments.captures, sizes, builds)
        if not any(text in command.name for text in arguments.skip)
    ]
    rounds = 1 if arguments.check else arguments.repeat
    timings = time_all(runs, rounds)
    report = [
        "Machine:",
        "",
        *machine(),
        *(f"- {_build(python)}" for python in builds.values()),
        "",
        f"Median of {rounds} alternating round(s); output to /dev/null.",
        "",
        *table(runs, timings),
        "",
        *memory_table(arguments.captures, sizes, builds[last]),
        "",
        *lint_table(arguments.captures, sizes, builds[last]),
    ]
    text = "\n".join(report) + "\n"
    sys.stdout.write(text)
    if arguments.output is not None:
        arguments.output.write_text(text)


if __name__ == "__main__":
    main()
