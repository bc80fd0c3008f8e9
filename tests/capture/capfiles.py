"""Build pcap and pcapng bytes field by field, for the capture reader tests.

Deliberately independent of dhcpcheck.capture.writer: a reader tested only
against its own project's writer can share its misreadings of the format.
"""

import io
import struct

from dhcpcheck.capture import CaptureError, Frame, read_stream

# An Ethernet broadcast frame of 60 bytes; its content does not matter here.
FRAME = bytes.fromhex("ffffffffffff0200000000010800") + bytes(range(46))

USEC_MAGIC = 0xA1B2C3D4
NSEC_MAGIC = 0xA1B23C4D
MODIFIED_MAGIC = 0xA1B2CD34


def pcap_header(
    order: str = "<",
    magic: int = USEC_MAGIC,
    snaplen: int = 262144,
    linktype: int = 1,
    version: tuple[int, int] = (2, 4),
) -> bytes:
    return struct.pack(order + "IHHiIII", magic, *version, 0, 0, snaplen, linktype)


def pcap_record(
    ts_sec: int,
    ticks: int,
    data: bytes,
    order: str = "<",
    wirelen: int | None = None,
    caplen: int | None = None,
    extra: bytes = b"",
) -> bytes:
    """A record; ``extra`` is the 8 more header bytes of the modified format."""
    caplen = len(data) if caplen is None else caplen
    wirelen = len(data) if wirelen is None else wirelen
    return struct.pack(order + "IIII", ts_sec, ticks, caplen, wirelen) + extra + data


def block(order: str, btype: int, body: bytes, length: int | None = None) -> bytes:
    """A pcapng block: type, length, body padded to 32 bits, length again."""
    body += bytes(-len(body) % 4)
    length = len(body) + 12 if length is None else length
    return (
        struct.pack(order + "II", btype, length)
        + body
        + struct.pack(order + "I", length)
    )


def option(order: str, code: int, value: bytes) -> bytes:
    return struct.pack(order + "HH", code, len(value)) + value + bytes(-len(value) % 4)


def shb(order: str, version: tuple[int, int] = (1, 0)) -> bytes:
    magic = struct.pack(order + "I", 0x1A2B3C4D)
    return block(order, 0x0A0D0D0A, magic + struct.pack(order + "HHq", *version, -1))


def idb(order: str, linktype: int = 1, snaplen: int = 0, options: bytes = b"") -> bytes:
    body = struct.pack(order + "HHI", linktype, 0, snaplen)
    if options:
        body += options + option(order, 0, b"")
    return block(order, 1, body)


def tsresol(order: str, value: int) -> bytes:
    return option(order, 9, bytes([value]))


def tsoffset(order: str, seconds: int) -> bytes:
    return option(order, 14, struct.pack(order + "q", seconds))


def epb(
    order: str, interface: int, ticks: int, data: bytes, wirelen: int | None = None
) -> bytes:
    wirelen = len(data) if wirelen is None else wirelen
    high, low = divmod(ticks, 1 << 32)
    fields = struct.pack(order + "IIIII", interface, high, low, len(data), wirelen)
    return block(order, 6, fields + data)


def obsolete_pb(order: str, interface: int, ticks: int, data: bytes) -> bytes:
    high, low = divmod(ticks, 1 << 32)
    fields = struct.pack(
        order + "HHIIII", interface, 0, high, low, len(data), len(data)
    )
    return block(order, 2, fields + data)


def spb(order: str, data: bytes, wirelen: int | None = None) -> bytes:
    wirelen = len(data) if wirelen is None else wirelen
    return block(order, 3, struct.pack(order + "I", wirelen) + data)


class Trickle:
    """A stream that hands out a few bytes per read, like a slow pipe."""

    def __init__(self, data: bytes, step: int) -> None:
        self._stream = io.BytesIO(data)
        self._step = step

    def read(self, size: int = -1, /) -> bytes:
        return self._stream.read(min(size, self._step) if size >= 0 else self._step)


def read_all(data: bytes) -> tuple[list[Frame], CaptureError | None]:
    """Every frame a stream of ``data`` yields, and the error that ended it."""
    frames: list[Frame] = []
    try:
        frames.extend(read_stream(io.BytesIO(data)))
    except CaptureError as error:
        assert error.frames_read == len(frames)
        return frames, error
    return frames, None


def read_ok(data: bytes) -> list[Frame]:
    frames, error = read_all(data)
    assert error is None, str(error)
    return frames


def read_error(data: bytes) -> str:
    _, error = read_all(data)
    assert error is not None
    return str(error)
