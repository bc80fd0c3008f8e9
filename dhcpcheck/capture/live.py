"""Frames from network interfaces as they are captured, for `dhcpcheck watch`.

One dumpcap per interface writes pcapng into a pipe that `read_stream` reads,
so a live frame is read byte for byte as a file's would be. Knows nothing of
DHCP beyond the default filter; runs no shell and keeps no frame it yielded.
"""

import io
import queue
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from types import FrameType, TracebackType
from typing import IO, BinaryIO, Self

from dhcpcheck.capture import writer
from dhcpcheck.capture.errors import CaptureError
from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.source import read_stream

CAPTURE_FILTER = "udp port 67 or udp port 68"
HEARTBEAT = 0.25  # seconds without a frame before `frames` yields None
READY_TIMEOUT = 10.0  # seconds for dumpcap to open its interface
STOP_GRACE = 3.0  # seconds between SIGTERM and SIGKILL
BACKLOG = 10_000  # frames read but not yet taken; readers wait beyond that
PIPE_READ = 1 << 16  # bytes asked of a pipe at once: what a Linux pipe holds
SAVE_ORDER = "<"
SAVE_RESOLUTION = writer.TimeResolution.NANO
IF_NAME = 2  # interface option: the interface's name

INSTALL = "dumpcap not found: install the Debian package tshark"
NO_PERMISSION = (
    "no permission to capture on {}: dumpcap needs CAP_NET_RAW and CAP_NET_ADMIN"
    " (run it as root, or join the group wireshark once"
    " `dpkg-reconfigure wireshark-common` lets non-root users capture)"
)
_Handler = Callable[[int, FrameType | None], object] | int | None
_BAD_FILTER = re.compile(r"isn't a valid capture filter \((.+)\)")


@dataclass(frozen=True, slots=True)
class Limits:
    """When a capture stops by itself: after ``duration`` seconds or
    ``count`` frames, whichever comes first; None is no limit."""

    duration: float | None = None
    count: int | None = None


def dumpcap_argv(dumpcap: str, interface: str, bpf: str) -> list[str]:
    """The dumpcap command line: one interface, quiet, pcapng on stdout."""
    return [dumpcap, "-q", "-n", "-i", interface, "-f", bpf, "-w", "-"]


class LiveCapture:
    """Captures on ``interfaces`` until stopped; a ``with`` block owns it.

    Entering starts one dumpcap per interface and returns once each has
    opened its interface, or raises CaptureError saying why it could not.
    ``save`` names a pcapng file that receives every frame yielded.
    """

    def __init__(
        self,
        interfaces: Sequence[str],
        bpf: str = CAPTURE_FILTER,
        save: str | None = None,
    ) -> None:
        if not interfaces:
            raise ValueError("no interface to capture on")
        self.interfaces = list(interfaces)
        self.bpf = bpf
        self._save_path = save
        self._sink: _PcapngSink | None = None
        self._backlog: queue.Queue[tuple[_Recorder, Frame | None]] = queue.Queue(
            BACKLOG
        )
        self._recorders: list[_Recorder] = []
        self._stop_asked = threading.Event()
        self._stopped_at: float | None = None
        self._handlers: dict[int, _Handler] = {}

    def __enter__(self) -> Self:
        dumpcap = shutil.which("dumpcap")
        if dumpcap is None:
            raise CaptureError(INSTALL)
        if self._save_path is not None:
            self._sink = _PcapngSink.open(self._save_path)
        try:
            for index, name in enumerate(self.interfaces):
                argv = dumpcap_argv(dumpcap, name, self.bpf)
                self._recorders.append(_Recorder(index, name, argv, self._backlog))
            for recorder in self._recorders:
                recorder.wait_open(self.bpf)
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close()

    def stop(self) -> None:
        """Ask every dumpcap to stop; `frames` yields what they captured
        until then and ends. Safe from another thread or a signal handler."""
        self._stop_asked.set()

    def frames(self, limits: Limits = Limits()) -> Iterator[Frame | None]:
        """Yield frames from every interface as they come, numbered from 1.

        Yields None after `HEARTBEAT` seconds without a frame, so that the
        caller can look at the clock. SIGINT and SIGTERM (Ctrl-C) stop the
        capture as `stop` does; a second SIGINT raises KeyboardInterrupt.
        """
        deadline = None
        if limits.duration is not None:
            deadline = time.monotonic() + limits.duration
        number = 0
        running = len(self._recorders)
        with self._interruptible():
            while running:
                self._enforce(deadline)
                try:
                    recorder, frame = self._backlog.get(timeout=HEARTBEAT)
                except queue.Empty:
                    yield None
                    continue
                if frame is None:
                    running -= 1
                    self._check_end(recorder)
                    continue
                number += 1
                frame = replace(frame, number=number)
                if self._sink is not None:
                    self._sink.write(recorder.index, recorder.interface, frame)
                yield frame
                if limits.count is not None and number >= limits.count:
                    return

    def _enforce(self, deadline: float | None) -> None:
        """Stop at the deadline or when asked; kill what outlives its grace."""
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            self._stop_asked.set()
        if self._stop_asked.is_set() and self._stopped_at is None:
            self._stopped_at = now
            for recorder in self._recorders:
                recorder.signal(signal.SIGTERM)
        if self._stopped_at is not None and now - self._stopped_at > STOP_GRACE:
            for recorder in self._recorders:
                recorder.signal(signal.SIGKILL)

    def _check_end(self, recorder: "_Recorder") -> None:
        """A dumpcap that ended without being asked to took its interface away."""
        if self._stopped_at is None:
            raise CaptureError(recorder.failure(self.bpf))

    @contextmanager
    def _interruptible(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._handlers[signum] = signal.signal(signum, self._interrupted)
        try:
            yield
        finally:
            self._restore_handlers()

    def _interrupted(self, signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGINT and self._stop_asked.is_set():
            raise KeyboardInterrupt
        self.stop()

    def _restore_handlers(self) -> None:
        for signum, handler in self._handlers.items():
            signal.signal(signum, handler)
        self._handlers.clear()

    def _close(self) -> None:
        self._restore_handlers()
        for recorder in self._recorders:
            recorder.close()
        if self._sink is not None:
            self._sink.close()


class _Recorder:
    """One dumpcap, and the thread that reads its pcapng into the backlog."""

    def __init__(
        self,
        index: int,
        interface: str,
        argv: list[str],
        backlog: "queue.Queue[tuple[_Recorder, Frame | None]]",
    ) -> None:
        self.index = index
        self.interface = interface
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - see close()
        self._process = _spawn(argv, self._stderr)
        self._settled = threading.Event()  # set at the first bytes, or the end
        self._capturing = False  # dumpcap wrote its header: the interface is open
        self._broken: CaptureError | None = None  # what cut its stream short
        self._thread = threading.Thread(
            target=self._read, args=(backlog,), name=f"dumpcap {interface}"
        )
        self._thread.daemon = True
        self._thread.start()

    def _read(self, backlog: "queue.Queue[tuple[_Recorder, Frame | None]]") -> None:
        pipe = self._process.stdout
        assert isinstance(pipe, io.BufferedReader)
        # Whatever ends the stream (a stop, a kill, a cut-off block), the
        # consumer learns of it from the end marker and asks why.
        try:
            for frame in read_stream(_Announcing(pipe, self._started)):
                backlog.put((self, frame))
        except CaptureError as error:
            self._broken = error
        self._settled.set()
        backlog.put((self, None))

    def _started(self) -> None:
        self._capturing = True
        self._settled.set()

    def wait_open(self, bpf: str) -> None:
        """Return once dumpcap has written its file header, which it does
        after opening the interface; raise CaptureError if it failed."""
        if not self._settled.wait(READY_TIMEOUT):
            raise CaptureError(f"{self.interface}: dumpcap did not start capturing")
        if not self._capturing:
            raise CaptureError(self.failure(bpf))

    def failure(self, bpf: str) -> str:
        """Why the capture stopped: what dumpcap wrote, or what cut short the
        stream of a dumpcap that still runs."""
        with suppress(subprocess.TimeoutExpired):
            self._process.wait(STOP_GRACE)
        if self._process.poll() is None and self._broken is not None:
            return f"{self.interface}: {self._broken}"
        self._stderr.seek(0)
        said = self._stderr.read().decode(errors="replace")
        return dumpcap_failure(self.interface, bpf, said, self._process.poll())

    def signal(self, signum: signal.Signals) -> None:
        """Send ``signum`` to dumpcap unless it has exited."""
        if self._process.poll() is None:
            with suppress(ProcessLookupError):
                self._process.send_signal(signum)

    def close(self) -> None:
        """Stop dumpcap, gently first, and let go of its pipes."""
        self.signal(signal.SIGTERM)
        try:
            self._process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self._process.wait()
        self._thread.join(STOP_GRACE)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._stderr.close()


def _spawn(argv: list[str], stderr: IO[bytes]) -> "subprocess.Popen[bytes]":
    # A session of its own: a Ctrl-C at the terminal reaches dumpcap only
    # through `stop`, after the frames it already holds have been read.
    return subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr,
        start_new_session=True,
    )


def dumpcap_failure(interface: str, bpf: str, said: str, status: int | None) -> str:
    """One line for a user from what a failed dumpcap wrote to stderr."""
    headline = next(
        (
            line.removeprefix("dumpcap: ").strip()
            for line in said.splitlines()
            if line.startswith("dumpcap: ")
        ),
        f"dumpcap ended (exit status {status})",
    )
    if "There is no device named" in headline:
        return f"no such interface: {interface}"
    if "permission" in headline:
        return NO_PERMISSION.format(interface)
    bad_filter = _BAD_FILTER.search(said)
    if bad_filter is not None:
        return f"bad capture filter {bpf!r}: {bad_filter.group(1)}"
    return f"{interface}: {headline}"


class _Announcing:
    """A pipe that calls ``first`` once it has delivered its first bytes."""

    def __init__(self, pipe: io.BufferedReader, first: Callable[[], object]) -> None:
        self._pipe = pipe
        self._first: Callable[[], object] | None = first

    def read(self, size: int = -1, /) -> bytes:
        """Return what the pipe holds now, up to ``size`` bytes; b"" at its end.

        Asks for no more than a pipe holds: a larger request allocates all of
        it for every frame, however short the frame.
        """
        data = self._pipe.read1(min(size, PIPE_READ) if size >= 0 else PIPE_READ)
        if data and self._first is not None:
            self._first()
            self._first = None
        return data


class _PcapngSink:
    """Writes frames to a pcapng file as they come, flushed after each one.

    Each capture interface gets an Interface Description Block, named after
    it, before its first frame; times are kept to the nanosecond.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._ids: dict[int, int] = {}
        header = struct.pack(SAVE_ORDER + "IHHq", writer.BYTE_ORDER_MAGIC, 1, 0, -1)
        self._put(writer.BlockType.SECTION_HEADER, header)

    @classmethod
    def open(cls, path: str) -> "_PcapngSink":
        """Create or truncate ``path``; a CaptureError says why it cannot be."""
        try:
            stream = open(path, "wb")  # noqa: SIM115 - closed by close()
        except OSError as error:
            raise CaptureError(f"{path}: {error.strerror or error}") from None
        return cls(stream)

    def write(self, index: int, interface: str, frame: Frame) -> None:
        """Append ``frame``, captured on capture interface ``index``."""
        if index not in self._ids:
            self._ids[index] = len(self._ids)
            self._put(writer.BlockType.INTERFACE_DESCRIPTION, _idb(interface, frame))
        block = writer.packet_block(
            SAVE_ORDER, frame, self._ids[index], SAVE_RESOLUTION
        )
        self._stream.write(block)
        self._stream.flush()

    def close(self) -> None:
        """Close the file."""
        self._stream.close()

    def _put(self, block_type: int, body: bytes) -> None:
        self._stream.write(writer.pcapng_block(SAVE_ORDER, block_type, body))
        self._stream.flush()


def _idb(interface: str, frame: Frame) -> bytes:
    """The body of the Interface Description Block of ``interface``."""
    fixed = struct.pack(SAVE_ORDER + "HHI", frame.linktype, 0, writer.DEFAULT_SNAPLEN)
    name = interface.encode()
    padded = name.ljust(-(-len(name) // 4) * 4, b"\x00")
    option = struct.pack(SAVE_ORDER + "HH", IF_NAME, len(name)) + padded
    return fixed + option + writer.interface_options(SAVE_ORDER, SAVE_RESOLUTION)
