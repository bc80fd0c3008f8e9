"""Read a capture file in a second process while this one works on its frames.

The other process, a fork of this one, opens the file, skips the records
`select` rejects, builds the frames it keeps and, given `annotate`, does work
on each frame that needs no state from the frames before it (the message
rules, say). Frames and results come back here in batches, in order, through
a pipe: on a busy link, nine records in ten are skipped there, on the other
core. The pipe holds a few batches at most and the reader waits while it is
full, so memory does not grow with the file; forked, the reader shares this
process's pages until it writes to them.

Only regular files are read ahead: standard input belongs to this process.
"""

import os
import pickle
import signal
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, Pipe
from typing import Generic, TypeVar

from dhcpcheck.capture.frame import Frame, Select
from dhcpcheck.capture.meter import OnRead, regular_size
from dhcpcheck.capture.source import read_frames

T = TypeVar("T")

# Below this size, forking and tearing down the reader costs more than it
# saves.
WORTH_READING_AHEAD = 16 << 20

# Frames a message carries: enough that pickling and the pipe cost little
# per frame, few enough that the first frames come at once.
BATCH = 256

Fields = tuple[int, int, int, int, bytes, int]  # a Frame's, in order


def worth_reading_ahead(path: str) -> bool:
    """Whether `path` is a regular file large enough to read ahead, and a
    second core is there to read it."""
    size = regular_size(path)
    cores = len(os.sched_getaffinity(0))
    return size is not None and size >= WORTH_READING_AHEAD and cores >= 2


@dataclass
class Ahead(Generic[T]):
    """What the reading process does beside reading, and what it found.

    `annotate`'s result for a frame waits in `annotations`, under the
    frame's number, from when the frame is yielded; a consumer takes it from
    there. `records` counts the records read so far, kept or skipped, as
    tcpdump numbers them.
    """

    annotate: Callable[[Frame], T | None] | None = None
    annotations: dict[int, T] = field(default_factory=dict)
    records: int = 0


class Reading:
    """A file being read in a forked process, from the moment this is made.

    Fork it before starting any thread (a progress bar's): a forked copy
    keeps the locks other threads hold. Then take `frames`, once.
    """

    def __init__(self, path: str, select: Select, ahead: Ahead[T]) -> None:
        self._ahead = ahead
        self._pipe, there = Pipe(duplex=False)
        self._pid: int | None = os.fork()
        if self._pid == 0:
            self._pipe.close()
            try:
                _read(path, select, ahead.annotate, there)
            finally:
                os._exit(0)  # never back into the caller's code
        there.close()

    def frames(self, on_read: OnRead | None = None) -> Generator[Frame, None, None]:
        """Yield the frames as they come; like `read_frames`, a CaptureError
        comes after the frames that could be read. `on_read` is told how
        much of the file the reader has read."""
        ahead = self._ahead
        try:
            while True:
                try:
                    kind, payload, ahead.records, progress = self._pipe.recv()
                except EOFError:
                    raise RuntimeError("the reading process ended early") from None
                if on_read is not None and progress is not None:
                    on_read(*progress)
                if kind == "end":
                    return
                if kind == "error":
                    raise payload
                for fields, note in payload:
                    frame = Frame(*fields)
                    if note is not None:
                        ahead.annotations[frame.number] = note
                    yield frame
        finally:
            self.stop()

    def stop(self) -> None:
        """End the reader, finished or not, and wait for it."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        # Stopped before the pipe closes, it never finds the pipe broken.
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        self._pipe.close()


def _read(
    path: str,
    select: Select,
    annotate: Callable[[Frame], object] | None,
    pipe: Connection,
) -> None:
    """The reading process: read, send batches, then how it ended."""
    # Ctrl-C is the other process's to handle; it ends this one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    records = 0
    progress: tuple[int, int] | None = None

    def counted(buffer: bytes, start: int, stop: int, linktype: int) -> bool:
        nonlocal records
        records += 1
        return select(buffer, start, stop, linktype)

    def on_read(done: int, size: int) -> None:
        nonlocal progress
        progress = (done, size)

    batch: list[tuple[Fields, object]] = []
    try:
        try:
            for frame in read_frames(path, counted, on_read):
                note = None if annotate is None else annotate(frame)
                fields = (
                    frame.number,
                    frame.ts_sec,
                    frame.ts_nsec,
                    frame.linktype,
                    frame.data,
                    frame.wirelen,
                )
                batch.append((fields, note))
                if len(batch) == BATCH:
                    pipe.send(("frames", batch, records, progress))
                    batch = []
        except Exception as error:
            pipe.send(("frames", batch, records, progress))
            pipe.send(("error", _portable(error), records, progress))
        else:
            pipe.send(("frames", batch, records, progress))
            pipe.send(("end", None, records, progress))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the other process stopped listening, and ends this one
    finally:
        pipe.close()


def _portable(error: Exception) -> Exception:
    """`error`, or a stand-in naming it if it does not pickle."""
    try:
        pickle.dumps(error)
    except Exception:
        return RuntimeError(f"{type(error).__name__} in the reading process")
    return error
