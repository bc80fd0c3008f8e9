"""Write Frames to pcap or pcapng (draft-ietf-opsawg-pcap, -pcapng), for samples.

The caller opens the stream; this module only encodes. Frame numbers are not
stored, and nothing beyond the blocks readers need is written.
"""

import struct
from collections.abc import Sequence
from enum import IntEnum
from typing import BinaryIO, Literal

from dhcpcheck.capture.frame import Frame

ByteOrder = Literal["little", "big"]
STRUCT_ORDER: dict[ByteOrder, str] = {"little": "<", "big": ">"}
DEFAULT_SNAPLEN = 262144  # what tcpdump and libpcap use


class TimeResolution(IntEnum):
    """Decimal digits of the timestamp fraction a file stores."""

    MICRO = 6
    NANO = 9


PCAP_MAGIC = {TimeResolution.MICRO: 0xA1B2C3D4, TimeResolution.NANO: 0xA1B23C4D}
UNITS_PER_SECOND = {TimeResolution.MICRO: 10**6, TimeResolution.NANO: 10**9}


class BlockType(IntEnum):
    """pcapng block types written here."""

    INTERFACE_DESCRIPTION = 1
    ENHANCED_PACKET = 6
    SECTION_HEADER = 0x0A0D0D0A


BYTE_ORDER_MAGIC = 0x1A2B3C4D
IF_TSRESOL = 9  # interface option: timestamp resolution


def fraction(frame: Frame, resolution: TimeResolution) -> int:
    """Return the frame's sub-second time in units of ``resolution``."""
    return frame.ts_nsec * UNITS_PER_SECOND[resolution] // 10**9


def write_pcap(
    stream: BinaryIO,
    frames: Sequence[Frame],
    linktype: int,
    resolution: TimeResolution = TimeResolution.MICRO,
    byteorder: ByteOrder = "little",
    snaplen: int = DEFAULT_SNAPLEN,
) -> None:
    """Write a pcap file; every frame must have the file's ``linktype``."""
    order = STRUCT_ORDER[byteorder]
    others = {frame.linktype for frame in frames} - {linktype}
    if others:
        raise ValueError(f"pcap holds one link type ({linktype}), frames have {others}")
    magic = PCAP_MAGIC[resolution]
    stream.write(struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
    for frame in frames:
        stamp = (frame.ts_sec, fraction(frame, resolution))
        stream.write(
            struct.pack(order + "IIII", *stamp, len(frame.data), frame.wirelen)
        )
        stream.write(frame.data)


def pcapng_block(order: str, block_type: int, body: bytes) -> bytes:
    """Return one pcapng block, its body padded to 32 bits."""
    body = body.ljust(-(-len(body) // 4) * 4, b"\x00")
    length = 12 + len(body)
    return (
        struct.pack(order + "II", block_type, length)
        + body
        + struct.pack(order + "I", length)
    )


def interface_options(order: str, resolution: TimeResolution) -> bytes:
    """Return an IDB's options: none for microseconds, the default; else tsresol."""
    if resolution == TimeResolution.MICRO:
        return b""
    tsresol = struct.pack(order + "HHB3x", IF_TSRESOL, 1, resolution)
    return tsresol + struct.pack(order + "HH", 0, 0)


def packet_block(
    order: str, frame: Frame, interface: int, resolution: TimeResolution
) -> bytes:
    """Return the Enhanced Packet Block of ``frame``, captured on ``interface``."""
    stamp = frame.ts_sec * UNITS_PER_SECOND[resolution] + fraction(frame, resolution)
    header = struct.pack(
        order + "IIIII",
        interface,
        stamp >> 32,
        stamp & 0xFFFFFFFF,
        len(frame.data),
        frame.wirelen,
    )
    return pcapng_block(order, BlockType.ENHANCED_PACKET, header + frame.data)


def write_pcapng(
    stream: BinaryIO,
    frames: Sequence[Frame],
    resolution: TimeResolution = TimeResolution.MICRO,
    byteorder: ByteOrder = "little",
    snaplen: int = DEFAULT_SNAPLEN,
) -> None:
    """Write one pcapng section: an interface per link type, then the packets."""
    order = STRUCT_ORDER[byteorder]
    linktypes = dict.fromkeys(frame.linktype for frame in frames)
    interfaces = {linktype: index for index, linktype in enumerate(linktypes)}
    section = struct.pack(order + "IHHq", BYTE_ORDER_MAGIC, 1, 0, -1)
    stream.write(pcapng_block(order, BlockType.SECTION_HEADER, section))
    for linktype in interfaces:
        idb = struct.pack(order + "HHI", linktype, 0, snaplen)
        idb += interface_options(order, resolution)
        stream.write(pcapng_block(order, BlockType.INTERFACE_DESCRIPTION, idb))
    for frame in frames:
        index = interfaces[frame.linktype]
        stream.write(packet_block(order, frame, index, resolution))
