"""Large reads from a byte stream, so that format readers slice memory.

Readers hold a buffer and a position and ask for more only when a record
runs past the end of what they hold. Nothing here seeks: pipes work.
"""

from collections.abc import Callable
from typing import Protocol

from dhcpcheck.capture.errors import CaptureError

CHUNK_SIZE = 1 << 20


class ByteStream(Protocol):
    """Anything with a binary ``read``: a file, ``sys.stdin.buffer``, a pipe."""

    def read(self, size: int = -1, /) -> bytes:
        """Return at most ``size`` bytes; an empty result means end of stream."""
        ...


class Chunks:
    """Reads a stream a chunk at a time, never the whole of it at once."""

    def __init__(self, stream: ByteStream) -> None:
        # read1 returns what is available instead of waiting for a full chunk,
        # so a slow pipe (a live capture) delivers frames as they arrive.
        read1: Callable[[int], bytes] | None = getattr(stream, "read1", None)
        self._read = read1 or stream.read

    def extend(self, rest: bytes, need: int) -> bytes:
        """Return ``rest`` followed by new bytes, ``need`` in all if the stream
        has them, fewer only at its end."""
        pieces = [rest]
        have = len(rest)
        while have < need:
            # Never ask for more than a chunk at once: a lying record length
            # must not make the stream allocate what the file does not hold.
            piece = self._read_some(CHUNK_SIZE)
            if not piece:
                break
            pieces.append(piece)
            have += len(piece)
        return b"".join(pieces)

    def _read_some(self, size: int) -> bytes:
        try:
            return self._read(size)
        except OSError as error:
            raise CaptureError(f"read failed: {error.strerror or error}") from None
