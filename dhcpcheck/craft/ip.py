"""IPv4 and UDP headers around a payload, with correct checksums by default.

A checksum or length given explicitly is written as is, so bad packets can be
made; nothing here fragments, routes or validates.
"""

import struct
from dataclasses import dataclass
from enum import IntEnum, IntFlag

from dhcpcheck.craft.fields import Address, pack_address

IPV4_HEADER = struct.Struct("!BBHHHBBH4s4s")
UDP_HEADER = struct.Struct("!HHHH")


class IpProto(IntEnum):
    """IP protocol numbers the builder writes."""

    UDP = 17


class IpFlag(IntFlag):
    """The three flag bits at the top of the IPv4 fragment field (RFC 791)."""

    NONE = 0
    RESERVED = 4
    DF = 2  # don't fragment
    MF = 1  # more fragments


@dataclass(frozen=True, slots=True)
class IPv4:
    """The IPv4 header fields a test may want to set.

    ``frag_offset`` counts 8-octet units, as the wire field does. ``options``
    are padded with zeros (End of Option List) to a multiple of four bytes.
    ``checksum`` and ``total_length`` are computed when None.
    """

    src: Address = "0.0.0.0"
    dst: Address = "255.255.255.255"
    tos: int = 0
    ttl: int = 64
    ident: int = 0
    flags: IpFlag = IpFlag.NONE
    frag_offset: int = 0
    proto: int = IpProto.UDP
    options: bytes = b""
    checksum: int | None = None
    total_length: int | None = None


@dataclass(frozen=True, slots=True)
class UDP:
    """The UDP header: ports, and a checksum (None computes it, 0 means none)."""

    sport: int = 68
    dport: int = 67
    checksum: int | None = None
    length: int | None = None


def internet_checksum(data: bytes) -> int:
    """Return the ones' complement of the ones' complement sum (RFC 1071)."""
    if len(data) % 2:
        data += b"\x00"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4_packet(header: IPv4, payload: bytes) -> bytes:
    """Return an IPv4 header followed by ``payload``."""
    options = header.options.ljust(-(-len(header.options) // 4) * 4, b"\x00")
    size = IPV4_HEADER.size + len(options)
    total_length = header.total_length
    unsummed = IPV4_HEADER.pack(
        0x40 | size // 4,
        header.tos,
        size + len(payload) if total_length is None else total_length,
        header.ident,
        header.flags << 13 | header.frag_offset,
        header.ttl,
        header.proto,
        0,
        pack_address(header.src),
        pack_address(header.dst),
    )
    checksum = header.checksum
    if checksum is None:
        checksum = internet_checksum(unsummed + options)
    summed = unsummed[:10] + struct.pack("!H", checksum) + unsummed[12:]
    return summed + options + payload


def udp_datagram(ip: IPv4, udp: UDP, payload: bytes) -> bytes:
    """Return a UDP header and ``payload``, checksummed over the IPv4 pseudo-header.

    "If the computed checksum is zero, it is transmitted as all ones"
    (RFC 768), since zero on the wire means no checksum.
    """
    length = UDP_HEADER.size + len(payload) if udp.length is None else udp.length
    checksum = udp.checksum
    if checksum is None:
        pseudo = struct.pack(
            "!4s4sBBH", pack_address(ip.src), pack_address(ip.dst), 0, ip.proto, length
        )
        unsummed = UDP_HEADER.pack(udp.sport, udp.dport, length, 0) + payload
        checksum = internet_checksum(pseudo + unsummed) or 0xFFFF
    return UDP_HEADER.pack(udp.sport, udp.dport, length, checksum) + payload


def udp_ipv4(payload: bytes, ip: IPv4 = IPv4(), udp: UDP = UDP()) -> bytes:
    """Return ``payload`` in a UDP datagram in an IPv4 packet."""
    return ipv4_packet(ip, udp_datagram(ip, udp, payload))
