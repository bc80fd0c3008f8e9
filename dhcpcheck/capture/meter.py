"""Count the bytes taken from a capture file, so that a caller can show how far
reading has come.

It counts once per read of the file (a chunk, never a frame) and tells a
callback; it draws and prints nothing. Only regular files have a size to
count against: standard input and pipes are never metered.
"""

import os
import stat
from collections.abc import Callable

from dhcpcheck.capture.chunks import ByteStream

OnRead = Callable[[int, int], None]
"""Told the bytes of the file read so far, then the size of the file."""


def regular_size(file: str | int) -> int | None:
    """The size of the regular file at a path or open descriptor; None for a
    pipe, a device, or what cannot be examined."""
    try:
        status = os.stat(file)
    except (OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


class Metered:
    """A file whose reads are counted and told to `on_read`.

    For gzip the count is of compressed bytes, as is the size of the file.
    """

    def __init__(self, stream: ByteStream, size: int, on_read: OnRead) -> None:
        self._read = stream.read
        self._size = size
        self._on_read = on_read
        self._consumed = 0

    def read(self, size: int = -1, /) -> bytes:
        piece = self._read(size)
        self._consumed += len(piece)
        self._on_read(self._consumed, self._size)
        return piece
