"""Reader for the pcapng file format (draft-ietf-opsawg-pcapng).

Walks the blocks of every section, keeps each section's interfaces, and turns
packet blocks into Frames; other blocks are checked and skipped by length.
"""

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum

from dhcpcheck.capture.chunks import Chunks
from dhcpcheck.capture.errors import CaptureError
from dhcpcheck.capture.frame import Frame, Select
from dhcpcheck.capture.linktype import link_type

MAX_LENGTH = 16 << 20  # of a block; nothing larger is allocated
BYTE_ORDER_MAGIC = 0x1A2B3C4D
NSEC_PER_SEC = 10**9
BLOCK_HEAD_SIZE = 12  # type, length and the trailing length
DEFAULT_TICKS_PER_SEC = 10**6  # if_tsresol absent: microseconds


class BlockType(IntEnum):
    """The block types this reader acts on; all others are skipped."""

    INTERFACE_DESCRIPTION = 1
    PACKET = 2  # obsolete, but old writers still produce it
    SIMPLE_PACKET = 3
    ENHANCED_PACKET = 6
    SECTION_HEADER = 0x0A0D0D0A  # a palindrome: same bytes in either order


class OptionCode(IntEnum):
    """Interface Description Block options that change how frames read."""

    END_OF_OPT = 0
    IF_TSRESOL = 9
    IF_TSOFFSET = 14


MAGICS = frozenset({BlockType.SECTION_HEADER.to_bytes(4, "big")})

# "Readers of pcapng files MUST treat a Minor Version of 2 as equivalent to a
# Minor Version of 0", and of a section of another version a reader "MUST skip
# everything until the next Section Header Block" (draft-ietf-opsawg-pcapng,
# "Section Header Block" and "Physical File Layout"). tcpdump stops instead.
READABLE_VERSIONS = frozenset({(1, 0), (1, 2)})

# The shortest each block can be: its fixed fields, no data, no options.
MIN_LENGTH: dict[int, int] = {
    BlockType.SECTION_HEADER: 28,
    BlockType.INTERFACE_DESCRIPTION: 20,
    BlockType.PACKET: 32,
    BlockType.SIMPLE_PACKET: 16,
    BlockType.ENHANCED_PACKET: 32,
}


# Fixed fields, after the block type and length, in struct notation.
FORMATS = {
    "head": "II",  # block type, block length
    "word": "I",  # trailing block length; a Simple Packet's original length
    "version": "HH",  # section header: major, minor
    "interface": "HxxI",  # link type, reserved, snap length
    "option": "HH",  # option code, option length
    "offset": "q",  # if_tsoffset value
}
# Packet blocks with a time: interface, timestamp high and low words, captured
# and original length, then the data at offset 28 (the obsolete Packet Block
# has a 16-bit interface id and a drops count where the EPB has 32 bits).
TIMED_FORMATS = {BlockType.ENHANCED_PACKET: "IIIII", BlockType.PACKET: "HxxIIII"}
TIMED_DATA = 28


@dataclass(frozen=True, slots=True)
class Layout:
    """The structs of one byte order; each section says which it uses."""

    head: struct.Struct
    word: struct.Struct
    version: struct.Struct
    interface: struct.Struct
    option: struct.Struct
    offset: struct.Struct
    timed: dict[int, struct.Struct]


def _layout(order: str) -> Layout:
    timed: dict[int, struct.Struct] = {
        btype: struct.Struct(order + f) for btype, f in TIMED_FORMATS.items()
    }
    fixed = {name: struct.Struct(order + f) for name, f in FORMATS.items()}
    return Layout(**fixed, timed=timed)


LAYOUTS = {
    BYTE_ORDER_MAGIC.to_bytes(4, "little"): _layout("<"),
    BYTE_ORDER_MAGIC.to_bytes(4, "big"): _layout(">"),
}


@dataclass(frozen=True, slots=True)
class Interface:
    """What an Interface Description Block says about its packets."""

    linktype: int
    snaplen: int
    ticks_per_sec: int = DEFAULT_TICKS_PER_SEC
    offset_sec: int = 0

    def time(self, ticks: int) -> tuple[int, int]:
        """Seconds and nanoseconds of a packet time in this interface's ticks;
        time finer than a nanosecond is truncated."""
        sec, rest = divmod(ticks, self.ticks_per_sec)
        return sec + self.offset_sec, rest * NSEC_PER_SEC // self.ticks_per_sec


# Where a packet block's frame is, before it is built: interface index, time
# in ticks, start and end of the captured bytes in the buffer, wire length.
Packet = tuple[int, int, int, int, int]


@dataclass(slots=True)
class Section:
    """The state a Section Header Block sets: byte order, version, then the
    interfaces its Interface Description Blocks add."""

    layout: Layout
    readable: bool = True
    interfaces: list[Interface] = field(default_factory=list)

    def interface(self, index: int) -> Interface:
        """The interface a packet block names by ``index``."""
        if index >= len(self.interfaces):
            count = len(self.interfaces)
            raise CaptureError(f"packet on interface {index}; the section has {count}")
        return self.interfaces[index]


def read_pcapng(
    chunks: Chunks, head: bytes, select: Select | None = None
) -> Iterator[Frame]:
    """Yield the frames of a pcapng stream whose first bytes, ``head``, are read;
    with ``select``, only those it accepts."""
    # As in pcap.py, one loop runs once per frame: packets with a time are
    # read here, other blocks are handed to _block.
    buf = chunks.extend(head, BLOCK_HEAD_SIZE)
    section: Section | None = None
    layout = LAYOUTS[BYTE_ORDER_MAGIC.to_bytes(4, "little")]  # reads a SHB type
    base = pos = number = 0  # base: stream offset of buf[0]
    end = len(buf)
    section_header = BlockType.SECTION_HEADER  # a local: enum lookups are slow
    try:
        while True:
            if end - pos < BLOCK_HEAD_SIZE:
                buf, base, pos = (
                    chunks.extend(buf[pos:], BLOCK_HEAD_SIZE),
                    base + pos,
                    0,
                )
                end = len(buf)
                if end < BLOCK_HEAD_SIZE:
                    if end:
                        raise _truncated(base, f"{end} of at least 12 bytes")
                    return
            btype, length = layout.head.unpack_from(buf, pos)
            if btype == section_header:
                section = Section(_byte_order(buf[pos + 8 : pos + 12], base + pos))
                layout = section.layout
                btype, length = layout.head.unpack_from(buf, pos)
            elif section is None:
                raise CaptureError("not a pcapng file (no section header first)")
            least = BLOCK_HEAD_SIZE
            if section.readable:  # an unknown version may lay out its blocks anew
                least = MIN_LENGTH.get(btype, BLOCK_HEAD_SIZE)
            if length % 4 or length < least or length > MAX_LENGTH:
                raise _bad_length(base + pos, btype, length)
            if end - pos < length:
                buf, base, pos = chunks.extend(buf[pos:], length), base + pos, 0
                end = len(buf)
                if end < length:
                    raise _truncated(base, f"{end} of {length} bytes")
            (trailer,) = layout.word.unpack_from(buf, pos + length - 4)
            timed = layout.timed.get(btype)
            packet: Packet | None = None
            try:
                if trailer != length:
                    raise CaptureError(
                        f"trailing length {trailer} differs from {length}"
                    )
                if timed is None or not section.readable:
                    packet = _block(section, buf, pos, btype, length)
                else:
                    index, high, low, caplen, wirelen = timed.unpack_from(buf, pos + 8)
                    if caplen > length - TIMED_DATA - 4:
                        raise _overrun(caplen, length - TIMED_DATA - 4)
                    # Kept whole even beyond the interface's snap length, where
                    # libpcap gives up on the file, and beyond the wire length.
                    start = pos + TIMED_DATA
                    packet = index, high << 32 | low, start, start + caplen, wirelen
                if packet is not None:
                    interface = section.interface(packet[0])
            except CaptureError as error:
                raise CaptureError(f"block at offset {base + pos}: {error}") from None
            if packet is not None:
                number += 1
                _, ticks, start, stop, wirelen = packet
                linktype = interface.linktype
                # Only a selected frame is built: most on a busy link are not.
                if select is None or select(buf, start, stop, linktype):
                    sec, nsec = interface.time(ticks)
                    data = buf[start:stop]
                    yield Frame(number, sec, nsec, linktype, data, wirelen)
            pos += length
    except CaptureError as error:
        error.frames_read = number  # packets read whole, selected or not
        raise


def _byte_order(magic: bytes, offset: int) -> Layout:
    if magic not in LAYOUTS:
        raise CaptureError(
            f"block at offset {offset}: bad byte-order magic 0x{magic.hex()}"
        )
    return LAYOUTS[magic]


def _bad_length(offset: int, btype: int, length: int) -> CaptureError:
    return CaptureError(
        f"block at offset {offset}: bad length {length} for type 0x{btype:x}"
    )


def _truncated(offset: int, detail: str) -> CaptureError:
    return CaptureError(f"truncated block at offset {offset}: {detail}")


def _block(
    section: Section, buf: bytes, pos: int, btype: int, length: int
) -> Packet | None:
    """Act on a block other than a readable packet with a time; return where
    its frame is if it holds a packet."""
    if btype == BlockType.SECTION_HEADER:
        version = section.layout.version.unpack_from(buf, pos + 12)
        section.readable = version in READABLE_VERSIONS
    elif section.readable:
        if btype == BlockType.SIMPLE_PACKET:
            return _simple(section, buf, pos, length)
        if btype == BlockType.INTERFACE_DESCRIPTION:
            section.interfaces.append(_interface(section.layout, buf, pos, length))
    return None


def _interface(layout: Layout, buf: bytes, pos: int, length: int) -> Interface:
    linktype, snaplen = layout.interface.unpack_from(buf, pos + 8)
    ticks_per_sec, offset_sec = DEFAULT_TICKS_PER_SEC, 0
    for code, value in _options(layout, buf, pos + 16, pos + length - 4):
        if code == OptionCode.IF_TSRESOL:
            ticks_per_sec = _tsresol(value)
        elif code == OptionCode.IF_TSOFFSET:
            offset_sec = _tsoffset(layout, value)
    return Interface(link_type(linktype), snaplen, ticks_per_sec, offset_sec)


def _options(
    layout: Layout, buf: bytes, start: int, stop: int
) -> Iterator[tuple[int, bytes]]:
    """Yield (code, value) for each option in ``buf[start:stop]``."""
    pos = start
    while stop - pos >= 4:
        code, size = layout.option.unpack_from(buf, pos)
        if code == OptionCode.END_OF_OPT:
            return
        value_end = pos + 4 + size
        if value_end > stop:
            raise CaptureError(f"option {code} runs past its block")
        yield code, buf[pos + 4 : value_end]
        pos = value_end + (-size % 4)


def _tsresol(value: bytes) -> int:
    """Ticks per second: "If the Most Significant Bit is equal to zero, the
    remaining bits indicates the resolution of the timestamp as a negative
    power of 10 ... If the Most Significant Bit is equal to one, ... as
    negative power of 2" (draft-ietf-opsawg-pcapng, section 4.2)."""
    if len(value) != 1:
        raise CaptureError(f"if_tsresol has {len(value)} bytes, not 1")
    exponent = value[0] & 0x7F
    if value[0] & 0x80:
        return 1 << exponent
    ticks_per_sec: int = 10**exponent
    return ticks_per_sec


def _tsoffset(layout: Layout, value: bytes) -> int:
    if len(value) != layout.offset.size:
        raise CaptureError(f"if_tsoffset has {len(value)} bytes, not 8")
    (offset_sec,) = layout.offset.unpack(value)
    return int(offset_sec)


def _simple(section: Section, buf: bytes, pos: int, length: int) -> Packet:
    """A Simple Packet Block belongs to the first interface and has no time.
    Its data length "is the minimum value among the SnapLen (present in the
    Interface Description Block) and the Original Packet Length" (section
    4.4), and no more than the block holds."""
    (wirelen,) = section.layout.word.unpack_from(buf, pos + 8)
    caplen = min(wirelen, length - 16)
    if section.interfaces and section.interfaces[0].snaplen:
        caplen = min(caplen, section.interfaces[0].snaplen)
    return 0, 0, pos + 12, pos + 12 + caplen, wirelen


def _overrun(caplen: int, room: int) -> CaptureError:
    return CaptureError(f"captured length {caplen} runs past the block ({room})")
