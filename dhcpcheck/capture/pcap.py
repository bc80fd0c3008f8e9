"""Reader for the classic pcap file format (draft-ietf-opsawg-pcap).

Turns a file header and its records into Frames, slicing a buffer that is
refilled in large chunks. Recognising the format is source.py's job.
"""

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum

from dhcpcheck.capture.chunks import Chunks
from dhcpcheck.capture.errors import CaptureError
from dhcpcheck.capture.frame import Frame, Select
from dhcpcheck.capture.linktype import LINKTYPE_MASK, link_type

HEADER_SIZE = 24
# Records may exceed the header's snap length up to the largest snap length
# tcpdump uses; beyond that, or beyond 16 MiB whatever the header says, the
# length is taken for a lie and nothing is allocated for it.
TCPDUMP_SNAPLEN = 262144
MAX_CAPLEN = 16 << 20


class Magic(IntEnum):
    """The file's first four bytes, read big-endian, in either byte order."""

    MICROSECOND = 0xA1B2C3D4
    NANOSECOND = 0xA1B23C4D
    # Alexey Kuznetsov's patched libpcap: 8 more bytes in each record header.
    MODIFIED = 0xA1B2CD34


@dataclass(frozen=True, slots=True)
class Variant:
    """What the magic number says about the records that follow."""

    nsec_per_tick: int
    record_size: int


VARIANTS = {
    Magic.MICROSECOND: Variant(nsec_per_tick=1000, record_size=16),
    Magic.NANOSECOND: Variant(nsec_per_tick=1, record_size=16),
    Magic.MODIFIED: Variant(nsec_per_tick=1000, record_size=24),
}
MAGICS = frozenset(
    magic.to_bytes(4, order) for magic in Magic for order in ("big", "little")
)


@dataclass(frozen=True, slots=True)
class Header:
    """The pcap file header, reduced to what reading the records needs."""

    order: str
    variant: Variant
    snaplen: int
    linktype: int

    @property
    def caplen_limit(self) -> int:
        """The largest captured length a record may claim."""
        return min(max(self.snaplen, TCPDUMP_SNAPLEN), MAX_CAPLEN)


def read_pcap(
    chunks: Chunks, head: bytes, select: Select | None = None
) -> Iterator[Frame]:
    """Yield the frames of a pcap stream whose first bytes, ``head``, are read;
    with ``select``, only those it accepts."""
    buf = chunks.extend(head, HEADER_SIZE)
    header = parse_header(buf)
    yield from _records(chunks, buf[HEADER_SIZE:], header, select)


def parse_header(data: bytes) -> Header:
    """Decode the 24-byte file header at the start of ``data``."""
    if len(data) < HEADER_SIZE:
        raise CaptureError(f"truncated pcap file header ({len(data)} of 24 bytes)")
    order = ">" if int.from_bytes(data[:4], "big") in VARIANTS else "<"
    magic, major, minor, _, _, snaplen, field = struct.unpack_from(
        order + "IHHiIII", data
    )
    if magic not in VARIANTS:
        raise CaptureError(f"not a pcap file (magic 0x{magic:08x})")
    if major != 2:
        raise CaptureError(f"unsupported pcap version {major}.{minor}")
    return Header(
        order, VARIANTS[Magic(magic)], snaplen, link_type(field & LINKTYPE_MASK)
    )


def _records(
    chunks: Chunks, buf: bytes, header: Header, select: Select | None
) -> Iterator[Frame]:
    # One loop with everything in locals: this runs once per frame, millions
    # of times, so the per-record steps are not split into function calls.
    unpack = struct.Struct(header.order + "IIII").unpack_from
    size = header.variant.record_size
    scale = header.variant.nsec_per_tick
    limit = header.caplen_limit
    # libpcap hands out at most the snap length even when a record holds
    # more, and tcpdump prints what it hands out.
    keep_at_most = header.snaplen or limit
    linktype = header.linktype
    pos = 0
    end = len(buf)
    number = 0
    try:
        while True:
            if end - pos < size:
                buf, pos = chunks.extend(buf[pos:], size), 0
                end = len(buf)
                if end < size:
                    if end:
                        raise _truncated(number + 1, f"{end} of {size} header bytes")
                    return
            ts_sec, ticks, caplen, wirelen = unpack(buf, pos)
            if caplen > limit:
                raise _too_long(number + 1, caplen, limit)
            start = pos + size
            stop = start + caplen
            if stop > end:
                buf = chunks.extend(buf[pos:], size + caplen)
                start, stop, pos = size, size + caplen, 0
                end = len(buf)
                if stop > end:
                    got = end - size
                    raise _truncated(number + 1, f"{got} of {caplen} captured bytes")
            number += 1
            cut = start + keep_at_most
            kept = stop if stop < cut else cut
            # A fraction of a second or more is kept as it stands, not carried
            # into ts_sec, and a captured length above the wire length is passed
            # on too: libpcap does both, and tcpdump prints what it gets.
            if select is None or select(buf, start, kept, linktype):
                data = buf[start:kept]
                yield Frame(number, ts_sec, ticks * scale, linktype, data, wirelen)
            pos = stop
    except CaptureError as error:
        error.frames_read = number  # records read whole, selected or not
        raise


def _truncated(number: int, detail: str) -> CaptureError:
    return CaptureError(f"truncated record {number}: {detail}")


def _too_long(number: int, caplen: int, limit: int) -> CaptureError:
    return CaptureError(
        f"record {number}: captured length {caplen} exceeds the limit {limit}"
    )
