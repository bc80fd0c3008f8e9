"""Open a capture, recognise its format by content and read its frames.

The entry point for files and standard input. gzip is undone on the fly;
nothing seeks, so a pipe reads like a file. File names are never consulted.
"""

import gzip
import io
import sys
import zlib
from collections.abc import Callable, Iterator

from dhcpcheck.capture.chunks import ByteStream, Chunks
from dhcpcheck.capture.errors import CaptureError
from dhcpcheck.capture.frame import Frame, Select
from dhcpcheck.capture.meter import Metered, OnRead, regular_size
from dhcpcheck.capture.pcap import MAGICS as PCAP_MAGICS
from dhcpcheck.capture.pcap import read_pcap
from dhcpcheck.capture.pcapng import MAGICS as PCAPNG_MAGICS
from dhcpcheck.capture.pcapng import read_pcapng

STDIN = "-"
MAGIC_SIZE = 4
GZIP_MAGIC = b"\x1f\x8b"

Reader = Callable[[Chunks, bytes, Select | None], Iterator[Frame]]
READERS: tuple[tuple[frozenset[bytes], Reader], ...] = (
    (PCAP_MAGICS, read_pcap),
    (PCAPNG_MAGICS, read_pcapng),
)


def read_frames(
    path: str, select: Select | None = None, on_read: OnRead | None = None
) -> Iterator[Frame]:
    """Yield the frames of the capture at ``path``; ``-`` is standard input.
    With ``select``, only those it accepts, numbered among all the others.
    ``on_read``, if given, is told the bytes read so far of a regular file
    and its size after each read of it (a chunk, not a frame).

    Raises CaptureError when the file cannot be opened or read, after the
    frames that could be read; its ``frames_read`` says how many that was.
    """
    if path == STDIN:
        yield from read_stream(sys.stdin.buffer, select)
        return
    try:
        stream = open(path, "rb")  # noqa: SIM115 - the with below closes it
    except OSError as error:
        raise CaptureError(error.strerror or str(error)) from None
    with stream:
        size = None if on_read is None else regular_size(stream.fileno())
        if on_read is None or size is None:
            yield from read_stream(stream, select)
        else:
            yield from read_stream(Metered(stream, size, on_read), select)


def read_stream(stream: ByteStream, select: Select | None = None) -> Iterator[Frame]:
    """Yield the frames of a capture read from an open binary stream, those
    ``select`` accepts if given."""
    yield from _frames(stream, select)


def _frames(stream: ByteStream, select: Select | None) -> Iterator[Frame]:
    chunks = Chunks(stream)
    head = chunks.extend(b"", MAGIC_SIZE)
    compressed = head.startswith(GZIP_MAGIC)
    if compressed:
        chunks = Chunks(_Gunzip(_Replay(head, stream)))
        head = chunks.extend(b"", MAGIC_SIZE)
    for magics, reader in READERS:
        if head[:MAGIC_SIZE] in magics:
            return reader(chunks, head, select)
    raise CaptureError(_not_a_capture(head, compressed))


def _not_a_capture(head: bytes, compressed: bool) -> str:
    inside = " inside the gzip data" if compressed else ""
    if not head:
        return f"empty file{inside}"
    start = head[:MAGIC_SIZE].hex()
    return f"not a pcap or pcapng file{inside} (starts with 0x{start})"


class _Replay:
    """A stream that gives back bytes already read from it, then the rest."""

    def __init__(self, head: bytes, stream: ByteStream) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1, /) -> bytes:
        if not self._head:
            return self._stream.read(size)
        if size < 0:
            size = len(self._head)
        piece, self._head = self._head[:size], self._head[size:]
        return piece

    def seek(self, offset: int, /) -> int:
        """Refuse, as a pipe would; GzipFile seeks only when asked to."""
        raise io.UnsupportedOperation("seek")


class _Gunzip:
    """A gzip decompressor whose complaints about its input are CaptureErrors."""

    def __init__(self, stream: _Replay) -> None:
        self._file = gzip.GzipFile(fileobj=stream, mode="rb")

    def read(self, size: int = -1, /) -> bytes:
        try:
            return self._file.read1(size)
        except EOFError:
            raise CaptureError("gzip data ends early") from None
        except (gzip.BadGzipFile, zlib.error) as error:
            raise CaptureError(f"bad gzip data: {error}") from None
