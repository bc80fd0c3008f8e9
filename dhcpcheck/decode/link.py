"""Find the BOOTP/DHCP datagram in a captured frame, as tcpdump's filter would.

Sans-I/O: a frame's bytes and link type in, a frozen `Datagram` or None out.
It selects what `(udp port 67 or udp port 68) or (vlan and (udp port 67 or
udp port 68))` selects and describes damaged headers rather than raising.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.decode.ip import (
    UDP,
    UDP_HEADER,
    BadIPHeader,
    Checksum,
    ChecksumStatus,
    IPHeader,
    IPv4Header,
    IpVersion,
    UdpHeader,
    parse_ipv4,
    parse_ipv6,
    parse_udp,
    pseudo_header,
    verify,
)

# DLT_RAW's own number on Linux: libpcap reads it in a file as raw IP.
DLT_RAW = 12


class EtherType(IntEnum):
    """The EtherTypes on the way to IP (IEEE 802.1Q for the tags)."""

    IPV4 = 0x0800
    IPV6 = 0x86DD
    VLAN = 0x8100  # customer tag
    QINQ = 0x88A8  # service tag, IEEE 802.1ad
    VLAN_9100 = 0x9100  # pre-standard service tag


class PacketType(IntEnum):
    """Linux cooked captures: to whom the frame was addressed."""

    HOST = 0
    BROADCAST = 1
    MULTICAST = 2
    OTHERHOST = 3
    OUTGOING = 4


class AddressFamily(IntEnum):
    """BSD loopback headers: the AF_* value of the sending system."""

    INET = 2
    INET6_BSD = 24  # NetBSD, OpenBSD
    INET6_FREEBSD = 28
    INET6_DARWIN = 30


@dataclass(frozen=True, slots=True)
class VlanTag:
    """One IEEE 802.1Q tag and the EtherType that follows it."""

    tpid: int
    tci: int
    ethertype: int

    @property
    def vid(self) -> int:
        """The VLAN identifier."""
        return self.tci & 0x0FFF

    @property
    def pcp(self) -> int:
        """The priority code point."""
        return self.tci >> 13

    @property
    def dei(self) -> bool:
        """The drop eligible indicator (formerly CFI)."""
        return bool(self.tci & 0x1000)


@dataclass(frozen=True, slots=True)
class EthernetHeader:
    """An Ethernet II header, with the one VLAN tag the filter lets through."""

    destination: bytes
    source: bytes
    ethertype: int  # the outer type field: a TPID when tagged
    vlan: VlanTag | None

    @property
    def length(self) -> int:
        """Bytes before the IP header."""
        return 14 if self.vlan is None else 18


@dataclass(frozen=True, slots=True)
class LinuxSllHeader:
    """A Linux cooked capture v1 header (LINKTYPE_LINUX_SLL)."""

    packet_type: int
    hatype: int  # ARPHRD_* of the capturing device
    address_length: int
    address: bytes  # at most the 8 bytes the header has room for
    protocol: int

    @property
    def length(self) -> int:
        """Bytes before the IP header."""
        return 16


@dataclass(frozen=True, slots=True)
class LinuxSll2Header:
    """A Linux cooked capture v2 header (LINKTYPE_LINUX_SLL2)."""

    protocol: int
    ifindex: int
    hatype: int
    packet_type: int
    address_length: int
    address: bytes

    @property
    def length(self) -> int:
        """Bytes before the IP header."""
        return 20


@dataclass(frozen=True, slots=True)
class LoopbackHeader:
    """A BSD loopback header: NULL in the writer's byte order, LOOP big-endian."""

    linktype: int
    family: int

    @property
    def length(self) -> int:
        """Bytes before the IP header."""
        return 4


@dataclass(frozen=True, slots=True)
class RawHeader:
    """No header at all: the frame starts with the IP header."""

    linktype: int

    @property
    def length(self) -> int:
        """Bytes before the IP header."""
        return 0


LinkHeader = (
    EthernetHeader | LinuxSllHeader | LinuxSll2Header | LoopbackHeader | RawHeader
)


@dataclass(frozen=True, slots=True)
class Datagram:
    """A selected frame, decoded from the link header to the UDP payload.

    ``packet`` is the IP packet as captured, cut where its header says it
    ends; ``missing`` counts the bytes that header claims beyond the frame's
    length on the wire. ``payload`` holds the captured UDP payload up to the
    end of the IP packet and ``payload_length`` is its length as the UDP and
    IP headers agree on it (the smaller of the two).
    """

    link: LinkHeader
    ip: IPHeader | BadIPHeader
    packet: bytes
    missing: int
    udp: UdpHeader | None
    payload: bytes
    payload_length: int
    udp_checksum: Checksum

    @property
    def ip_payload_length(self) -> int:
        """What follows the IP header on the wire, by the IP header's count."""
        if isinstance(self.ip, BadIPHeader):
            return 0
        return _ip_total(self.ip) - self.ip.header_length

    @property
    def source_mac(self) -> bytes | None:
        """The sender's hardware address, where the link header has one."""
        link = self.link
        if isinstance(link, EthernetHeader):
            return link.source
        if isinstance(link, LinuxSllHeader | LinuxSll2Header):
            return link.address if link.address_length == 6 else None
        return None

    @property
    def destination_mac(self) -> bytes | None:
        """The receiver's hardware address; only Ethernet headers carry it."""
        return self.link.destination if isinstance(self.link, EthernetHeader) else None


@dataclass(frozen=True, slots=True)
class _Link:
    """How one link type leads to IP: where the filter looks, what it decodes."""

    locate: Callable[[bytes], tuple[int, IpVersion] | None]
    header: Callable[[bytes, int], LinkHeader]
    announces: bool  # the header names the IP version (False: raw IP)


_VERSIONS = frozenset(IpVersion)
_BOOTP_PORTS = (b"\x00\x43", b"\x00\x44")  # 67 and 68
_VLAN_TPIDS = frozenset(
    tpid.to_bytes(2, "big")
    for tpid in (EtherType.VLAN, EtherType.QINQ, EtherType.VLAN_9100)
)
_ETHER_IP = {
    EtherType.IPV4.to_bytes(2, "big"): IpVersion.V4,
    EtherType.IPV6.to_bytes(2, "big"): IpVersion.V6,
}
_INET6 = (
    AddressFamily.INET6_BSD,
    AddressFamily.INET6_FREEBSD,
    AddressFamily.INET6_DARWIN,
)
_LOOP_IP = {AddressFamily.INET.to_bytes(4, "big"): IpVersion.V4} | {
    family.to_bytes(4, "big"): IpVersion.V6 for family in _INET6
}
# TODO: libpcap compares a NULL header in the byte order of the file holding
# it; Frame does not say which that was, so both orders are accepted here.
_NULL_IP = _LOOP_IP | {value[::-1]: version for value, version in _LOOP_IP.items()}


def find_datagram(
    data: bytes, linktype: int, wirelen: int | None = None
) -> Datagram | None:
    """Decode the frame if tcpdump's BOOTP/DHCP filter selects it, else None.

    ``wirelen`` is the frame's length on the wire (the captured length when
    not given). Rejecting takes a few byte comparisons and builds nothing.
    """
    link = _LINKS.get(linktype)
    if link is None:
        return None
    found = link.locate(data)
    if found is None:
        return None
    offset, family = found
    ip = _network(data[offset:], family, link.announces)
    if ip is None:
        return None
    header = link.header(data, linktype)
    on_wire = (len(data) if wirelen is None else wirelen) - offset
    return _datagram(header, ip, data[offset:], on_wire)


# The furthest into a frame that `locate` reads: past a Linux cooked v2
# header (20 bytes) and an IPv4 header with 40 bytes of options (60), the
# two UDP ports (4).
_LOCATE_REACH = 20 + 60 + 4


def selects(buffer: bytes, start: int, stop: int, linktype: int) -> bool:
    """Whether the filter may select the frame held in ``buffer[start:stop]``.

    The first step of `find_datagram`, on the frame's first bytes only, for
    a capture reader to call before it builds the Frame (`capture.frame.
    Select`); `find_datagram` still drops a few frames it lets through.
    """
    link = _LINKS.get(linktype)
    if link is None:
        return False
    reach = start + _LOCATE_REACH
    return link.locate(buffer[start : stop if stop < reach else reach]) is not None


def _selects_ipv4(data: bytes, at: int) -> bool:
    """`udp port 67 or 68` on an IPv4 header at ``at``: the first fragment only."""
    if len(data) <= at + 9 or data[at + 9] != UDP:
        return False
    if data[at + 6] & 0x1F or data[at + 7]:
        return False
    return _ports_match(data, at + (data[at] & 0x0F) * 4)


def _selects_ipv6(data: bytes, at: int) -> bool:
    """`udp port 67 or 68` on an IPv6 header at ``at``: UDP must come next."""
    if len(data) <= at + 6 or data[at + 6] != UDP:
        return False
    return _ports_match(data, at + 40)


def _ports_match(data: bytes, at: int) -> bool:
    """Either port 67 or 68; like the filter, reading the destination only if
    the source port does not match, and failing on what was not captured."""
    source = data[at : at + 2]
    if len(source) < 2:
        return False
    return source in _BOOTP_PORTS or data[at + 2 : at + 4] in _BOOTP_PORTS


_SELECTORS = {IpVersion.V4: _selects_ipv4, IpVersion.V6: _selects_ipv6}


def _selects(data: bytes, at: int, family: IpVersion) -> tuple[int, IpVersion] | None:
    return (at, family) if _SELECTORS[family](data, at) else None


def _locate_ethernet(data: bytes) -> tuple[int, IpVersion] | None:
    ethertype = data[12:14]
    family = _ETHER_IP.get(ethertype)
    if family is not None:
        return _selects(data, 14, family)
    if ethertype not in _VLAN_TPIDS:
        return None
    family = _ETHER_IP.get(data[16:18])
    return None if family is None else _selects(data, 18, family)


def _locate_sll(data: bytes) -> tuple[int, IpVersion] | None:
    family = _ETHER_IP.get(data[14:16])
    return None if family is None else _selects(data, 16, family)


def _locate_sll2(data: bytes) -> tuple[int, IpVersion] | None:
    family = _ETHER_IP.get(data[0:2])
    return None if family is None else _selects(data, 20, family)


def _locate_null(data: bytes) -> tuple[int, IpVersion] | None:
    family = _NULL_IP.get(data[0:4])
    return None if family is None else _selects(data, 4, family)


def _locate_loop(data: bytes) -> tuple[int, IpVersion] | None:
    family = _LOOP_IP.get(data[0:4])
    return None if family is None else _selects(data, 4, family)


def _locate_raw(data: bytes) -> tuple[int, IpVersion] | None:
    if not data:
        return None
    version = data[0] >> 4
    if version not in (IpVersion.V4, IpVersion.V6):
        return None
    return _selects(data, 0, IpVersion(version))


def _locate_ipv4(data: bytes) -> tuple[int, IpVersion] | None:
    return _selects(data, 0, IpVersion.V4)


def _locate_ipv6(data: bytes) -> tuple[int, IpVersion] | None:
    return _selects(data, 0, IpVersion.V6)


def _ethernet(data: bytes, linktype: int) -> EthernetHeader:
    ethertype = int.from_bytes(data[12:14], "big")
    vlan = None
    if ethertype not in (EtherType.IPV4, EtherType.IPV6):
        inner = int.from_bytes(data[16:18], "big")
        vlan = VlanTag(ethertype, int.from_bytes(data[14:16], "big"), inner)
    return EthernetHeader(data[0:6], data[6:12], ethertype, vlan)


def _sll(data: bytes, linktype: int) -> LinuxSllHeader:
    address_length = int.from_bytes(data[4:6], "big")
    return LinuxSllHeader(
        packet_type=int.from_bytes(data[0:2], "big"),
        hatype=int.from_bytes(data[2:4], "big"),
        address_length=address_length,
        address=data[6 : 6 + min(address_length, 8)],
        protocol=int.from_bytes(data[14:16], "big"),
    )


def _sll2(data: bytes, linktype: int) -> LinuxSll2Header:
    return LinuxSll2Header(
        protocol=int.from_bytes(data[0:2], "big"),
        ifindex=int.from_bytes(data[4:8], "big"),
        hatype=int.from_bytes(data[8:10], "big"),
        packet_type=data[10],
        address_length=data[11],
        address=data[12 : 12 + min(data[11], 8)],
    )


def _loopback(data: bytes, linktype: int) -> LoopbackHeader:
    family = int.from_bytes(data[0:4], "big")
    if linktype == LinkType.NULL and family > 0xFFFF:
        family = int.from_bytes(data[0:4], "little")
    return LoopbackHeader(linktype, family)


def _raw(data: bytes, linktype: int) -> RawHeader:
    return RawHeader(linktype)


_LINKS = {
    LinkType.NULL: _Link(_locate_null, _loopback, announces=True),
    LinkType.ETHERNET: _Link(_locate_ethernet, _ethernet, announces=True),
    DLT_RAW: _Link(_locate_raw, _raw, announces=False),
    LinkType.RAW: _Link(_locate_raw, _raw, announces=False),
    LinkType.LOOP: _Link(_locate_loop, _loopback, announces=True),
    LinkType.LINUX_SLL: _Link(_locate_sll, _sll, announces=True),
    LinkType.IPV4: _Link(_locate_ipv4, _raw, announces=False),
    LinkType.IPV6: _Link(_locate_ipv6, _raw, announces=False),
    LinkType.LINUX_SLL2: _Link(_locate_sll2, _sll2, announces=True),
}


def _network(
    packet: bytes, family: IpVersion, announced: bool
) -> IPHeader | BadIPHeader | None:
    """Decode the IP header where the filter found one of ``family``.

    On raw links the version nibble chooses the header. Where it names the
    other IP version than the filter assumed (only possible on links 228 and
    229), tcpdump goes on to print whatever protocol that header announces;
    such a frame is dropped here unless its header is already too short.
    """
    # TODO: print those frames' IPv4 (link 229) and IPv6 (link 228) headers.
    version, ihl = packet[0] >> 4, packet[0] & 0x0F
    if not announced and version != family and version in _VERSIONS:
        if version == IpVersion.V4 and ihl < 5:
            return BadIPHeader(None, version, ihl)
        return None
    if version == family:
        if family is IpVersion.V6:
            return parse_ipv6(packet)
        if ihl >= 5:
            return parse_ipv4(packet)
    return BadIPHeader(family if announced else None, version, ihl)


def _ip_total(ip: IPHeader) -> int:
    """The packet length the IP header gives, its own bytes included."""
    if isinstance(ip, IPv4Header):
        return ip.total_length
    return ip.header_length + ip.payload_length


_NO_UDP_CHECKSUM = Checksum(ChecksumStatus.UNVERIFIED, 0)  # none captured


def _datagram(
    link: LinkHeader, ip: IPHeader | BadIPHeader, packet: bytes, on_wire: int
) -> Datagram:
    if isinstance(ip, BadIPHeader):
        return Datagram(link, ip, packet, 0, None, b"", 0, _NO_UDP_CHECKSUM)
    total = _ip_total(ip)
    if total < ip.header_length:
        return Datagram(link, ip, packet, 0, None, b"", 0, _NO_UDP_CHECKSUM)
    packet = packet[:total]
    missing = max(total - on_wire, 0)
    udp = parse_udp(packet[ip.header_length : ip.header_length + UDP_HEADER])
    if udp is None or udp.length is None or udp.checksum is None:
        return Datagram(link, ip, packet, missing, udp, b"", 0, _NO_UDP_CHECKSUM)
    segment = packet[ip.header_length :]
    covered = min(udp.length, total - ip.header_length)
    return Datagram(
        link=link,
        ip=ip,
        packet=packet,
        missing=missing,
        udp=udp,
        payload=segment[UDP_HEADER:],
        payload_length=max(covered - UDP_HEADER, 0),
        udp_checksum=_udp_checksum(ip, packet, udp, covered),
    )


def _udp_checksum(
    ip: IPHeader, packet: bytes, udp: UdpHeader, covered: int
) -> Checksum:
    """Verify the UDP checksum over the ``covered`` bytes of the IP ``packet``'s
    payload, when all are captured.

    For IPv4 "an all zero transmitted checksum value means that the
    transmitter generated no checksum" (RFC 768); IPv6 has no such value
    (RFC 8200 section 8.1), so a zero there is simply wrong.
    """
    received = udp.checksum or 0  # present: a shorter header is never verified
    if isinstance(ip, IPv4Header) and received == 0:
        return Checksum(ChecksumStatus.ABSENT, 0)
    fragment = isinstance(ip, IPv4Header) and ip.fragmented
    segment = packet[ip.header_length : ip.header_length + covered]
    if fragment or covered < UDP_HEADER or len(segment) < covered:
        return Checksum(ChecksumStatus.UNVERIFIED, received)
    return verify(pseudo_header(ip, packet, covered) + segment, received)
