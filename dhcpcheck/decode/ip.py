"""IPv4, IPv6 and UDP headers as they carry DHCP, with their checksums verified.

Sans-I/O: bytes in, frozen values out. Callers hand over bytes already known
to hold a whole fixed header; IPv6 extension headers are not followed.
"""

import struct
from dataclasses import dataclass
from enum import IntEnum, IntFlag, StrEnum
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address

IPV4_HEADER = 20  # RFC 791 section 3.1, without options
IPV6_HEADER = 40  # RFC 8200 section 3
# Where the addresses sit in the headers: read as bytes, they need no
# IPv4Address, whose `packed` and `str` run Python code.
IPV4_SOURCE = slice(12, 16)
IPV4_DESTINATION = slice(16, 20)
IPV6_ADDRESSES = slice(8, 40)
UDP_HEADER = 8  # RFC 768
UDP = 17  # the protocol number of UDP, in IPv4 and IPv6 alike
ADDRESSES_SHARED = 65536  # recent distinct IPv4 addresses kept: 17 MB when full
# The fixed IPv4 header: version and IHL, TOS, total length, identification,
# flags and fragment offset, TTL, protocol, checksum, source, destination.
IPV4_FIXED = struct.Struct("!BBHHHBBH4s4s")
UDP_FIELDS = struct.Struct("!HHHH")  # ports, length, checksum


class IpVersion(IntEnum):
    """The version nibble that opens every IP header."""

    V4 = 4
    V6 = 6


class IpFlag(IntFlag):
    """The three flag bits of RFC 791 section 3.1, as they sit in their field."""

    MF = 1  # more fragments
    DF = 2  # don't fragment
    RESERVED = 4  # "must be zero"


# Every value the three bits can take, made once: a packet's flags are looked
# up here, as calling IpFlag, or testing a bit with `&`, runs Python code.
ALL_FLAGS = tuple(IpFlag(bits) for bits in range(8))
MORE_FRAGMENTS = frozenset(flags for flags in ALL_FLAGS if flags & IpFlag.MF)


class IPOption(IntEnum):
    """IPv4 option codes (IANA "IP Option Numbers") that decoding or printing
    has to know."""

    EOL = 0
    NOP = 1
    RR = 7
    TS = 68
    TRACEROUTE = 82
    SECURITY = 130
    LSRR = 131
    SSRR = 137
    RA = 148


SOURCE_ROUTES = (IPOption.LSRR, IPOption.SSRR)


class Ecn(IntEnum):
    """The two low bits of the IPv4 TOS byte (RFC 3168 section 5)."""

    NOT_ECT = 0
    ECT1 = 1
    ECT0 = 2
    CE = 3


class ChecksumStatus(StrEnum):
    """What a header checksum says about the bytes it covers."""

    OK = "ok"
    BAD = "bad"
    ABSENT = "absent"  # an IPv4 UDP checksum of zero: the sender computed none
    UNVERIFIED = "unverified"  # the covered bytes are not all at hand


@dataclass(frozen=True, slots=True)
class Checksum:
    """A received checksum and, once verified, the value it should have had."""

    status: ChecksumStatus
    received: int
    expected: int | None = None  # the value that would verify; None if unverified


@dataclass(frozen=True, slots=True)
class IPv4Header:
    """An IPv4 header (RFC 791 section 3.1) with at least its 20 fixed bytes."""

    version: int
    ihl: int  # in 32-bit words; at least 5 here
    tos: int
    total_length: int
    identification: int
    flags: IpFlag
    fragment_offset: int  # in units of 8 bytes
    ttl: int
    protocol: int
    checksum: Checksum
    source: IPv4Address
    destination: IPv4Address
    options: bytes

    @property
    def header_length(self) -> int:
        """The header's size in bytes, options included."""
        return self.ihl * 4

    @property
    def fragmented(self) -> bool:
        """True for any fragment: more follow, or this one is not the first."""
        return self.flags in MORE_FRAGMENTS or self.fragment_offset != 0


@dataclass(frozen=True, slots=True)
class IPv6Header:
    """The fixed IPv6 header (RFC 8200 section 3)."""

    version: int
    traffic_class: int
    flow_label: int
    payload_length: int
    next_header: int
    hop_limit: int
    source: IPv6Address
    destination: IPv6Address

    @property
    def header_length(self) -> int:
        """The header's size in bytes; extension headers are never counted."""
        return IPV6_HEADER


@dataclass(frozen=True, slots=True)
class BadIPHeader:
    """The first byte of a packet that cannot be read as the IP header it claims.

    ``announced`` is the version the link layer named (by EtherType or address
    family), None where the link carries bare IP and the nibble alone decides.
    """

    announced: IpVersion | None
    version: int
    ihl: int


@dataclass(frozen=True, slots=True)
class UdpHeader:
    """A UDP header (RFC 768); length and checksum are None when not captured."""

    source_port: int
    destination_port: int
    length: int | None
    checksum: int | None


IPHeader = IPv4Header | IPv6Header


def parse_ipv4(packet: bytes) -> IPv4Header:
    """Decode an IPv4 header from ``packet``, which must hold all its bytes."""
    (
        first,
        tos,
        total_length,
        identification,
        flags_offset,
        ttl,
        protocol,
        received,
        source,
        destination,
    ) = IPV4_FIXED.unpack_from(packet)
    ihl = first & 0x0F
    header_length = ihl * 4
    return IPv4Header(
        version=first >> 4,
        ihl=ihl,
        tos=tos,
        total_length=total_length,
        identification=identification,
        flags=ALL_FLAGS[flags_offset >> 13],
        fragment_offset=flags_offset & 0x1FFF,
        ttl=ttl,
        protocol=protocol,
        checksum=verify(packet[:header_length], received),
        source=ipv4_address(source),
        destination=ipv4_address(destination),
        options=packet[IPV4_HEADER:header_length],
    )


@lru_cache(maxsize=ADDRESSES_SHARED)
def ipv4_address(packed: bytes) -> IPv4Address:
    """The address of four bytes, made once and then shared: a capture says
    the same few addresses (0.0.0.0 above all) in every message, and finding
    one costs a tenth of making it, and no memory."""
    return IPv4Address(packed)


def parse_ipv6(packet: bytes) -> IPv6Header:
    """Decode the fixed IPv6 header from the first 40 bytes of ``packet``."""
    first = int.from_bytes(packet[0:4], "big")
    return IPv6Header(
        version=first >> 28,
        traffic_class=(first >> 20) & 0xFF,
        flow_label=first & 0xFFFFF,
        payload_length=int.from_bytes(packet[4:6], "big"),
        next_header=packet[6],
        hop_limit=packet[7],
        source=IPv6Address(packet[8:24]),
        destination=IPv6Address(packet[24:40]),
    )


def parse_udp(segment: bytes) -> UdpHeader | None:
    """Decode what ``segment`` holds of a UDP header; None without both ports."""
    if len(segment) >= UDP_HEADER:
        return UdpHeader(*UDP_FIELDS.unpack_from(segment))
    if len(segment) < 4:
        return None
    return UdpHeader(
        source_port=int.from_bytes(segment[0:2], "big"),
        destination_port=int.from_bytes(segment[2:4], "big"),
        length=int.from_bytes(segment[4:6], "big") if len(segment) >= 6 else None,
        checksum=int.from_bytes(segment[6:8], "big") if len(segment) >= 8 else None,
    )


def pseudo_header(ip: IPHeader, packet: bytes, length: int) -> bytes:
    """The pseudo-header a UDP checksum covers (RFC 768; RFC 8200 section 8.1);
    ``packet`` holds the header ``ip`` was decoded from."""
    if isinstance(ip, IPv4Header):
        destination = final_destination(ip.options, packet[IPV4_DESTINATION])
        addresses = packet[IPV4_SOURCE] + destination
        return addresses + bytes((0, UDP)) + length.to_bytes(2, "big")
    addresses = packet[IPV6_ADDRESSES]
    return addresses + length.to_bytes(4, "big") + bytes((0, 0, 0, UDP))


def final_destination(options: bytes, destination: bytes) -> bytes:
    """Where a source-routed packet is finally going: its route's last address.

    A sender sums the final destination into the checksum, while the header
    names the next hop. The first loose or strict route (RFC 791 section 3.1)
    long enough to hold an address decides; its last four bytes are taken.
    """
    at = 0
    while at < len(options) and options[at] != IPOption.EOL:
        if options[at] == IPOption.NOP:
            at += 1
            continue
        size = options[at + 1] if at + 1 < len(options) else 0
        if size < 2 or size > len(options) - at:
            break
        if options[at] in SOURCE_ROUTES and size >= 7:
            return options[at + size - 4 : at + size]
        at += size
    return destination


def verify(covered: bytes, received: int) -> Checksum:
    """Check a checksum against the bytes it covers, the checksum field included.

    "If the computed checksum is zero" the data is intact (RFC 1071 section
    1, step 3); otherwise the expected value is found by the incremental
    update of RFC 1624 section 3, eqn. 3, from the received one.
    """
    computed = internet_checksum(covered)
    if computed == 0:
        return Checksum(ChecksumStatus.OK, received, received)
    return Checksum(ChecksumStatus.BAD, received, _fold(received + computed))


def internet_checksum(data: bytes) -> int:
    """The one's complement of the one's complement sum of ``data`` (RFC 1071).

    Summing 16-bit words with end-around carry is arithmetic modulo 0xFFFF,
    so one big-integer remainder replaces the loop over the words.
    """
    if len(data) % 2:
        data += b"\x00"
    whole = int.from_bytes(data, "big")
    folded = whole % 0xFFFF or (0xFFFF if whole else 0)
    return ~folded & 0xFFFF


def _fold(value: int) -> int:
    """Add the carries above 16 bits back in, as one's complement addition does."""
    value = (value & 0xFFFF) + (value >> 16)
    return (value & 0xFFFF) + (value >> 16)
