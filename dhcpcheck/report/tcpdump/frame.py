"""What tcpdump prints for a BOOTP/DHCP frame before and around the BOOTP body.

Link header (-e), IP header (-v), addresses and ports, and the UDP checksum
verdict (IPv4 at -vv, IPv6 at -v). The body itself comes from `bootp`.
"""

import socket
from collections.abc import Callable
from enum import IntEnum
from functools import lru_cache
from ipaddress import IPv6Address

from dhcpcheck.decode.ip import (
    ALL_FLAGS,
    IPV4_DESTINATION,
    IPV4_HEADER,
    IPV4_SOURCE,
    UDP_HEADER,
    BadIPHeader,
    ChecksumStatus,
    Ecn,
    IpFlag,
    IPOption,
    IPv4Header,
    IPv6Header,
    IpVersion,
)
from dhcpcheck.decode.link import (
    AddressFamily,
    Datagram,
    EthernetHeader,
    EtherType,
    LinkHeader,
    LinuxSll2Header,
    LinuxSllHeader,
    LoopbackHeader,
    PacketType,
    RawHeader,
    VlanTag,
)
from dhcpcheck.report.tcpdump.bootp import format_bootp
from dhcpcheck.report.tcpdump.settings import PrintSettings

ETHERTYPE_NAMES: dict[int, str] = {
    EtherType.IPV4: "IPv4",
    EtherType.IPV6: "IPv6",
    EtherType.VLAN: "802.1Q",
    EtherType.QINQ: "802.1Q-QinQ",
    EtherType.VLAN_9100: "802.1Q-9100",
}
FAMILY_NAMES: dict[int, str] = {
    AddressFamily.INET: "IPv4",
    AddressFamily.INET6_BSD: "IPv6",
    AddressFamily.INET6_FREEBSD: "IPv6",
    AddressFamily.INET6_DARWIN: "IPv6",
}
DIRECTIONS: dict[int, str] = {
    PacketType.HOST: "In",
    PacketType.BROADCAST: "B",
    PacketType.MULTICAST: "M",
    PacketType.OTHERHOST: "P",
    PacketType.OUTGOING: "Out",
}
ECN_NAMES: dict[int, str] = {
    Ecn.NOT_ECT: "",
    Ecn.ECT1: ",ECT(1)",
    Ecn.ECT0: ",ECT(0)",
    Ecn.CE: ",CE",
}
FLAG_NAMES = ((IpFlag.MF, "+"), (IpFlag.DF, "DF"), (IpFlag.RESERVED, "rsvd"))
# `flags [...]` for each value of the three bits, indexed by that value.
FLAG_TEXTS = tuple(
    ", ".join(name for flag, name in FLAG_NAMES if flags & flag) or "none"
    for flags in ALL_FLAGS
)
CHECKSUM_VERDICTS = {
    ChecksumStatus.OK: "[udp sum ok] ",
    ChecksumStatus.ABSENT: "[no cksum] ",
    ChecksumStatus.UNVERIFIED: "",
}
# Ports whose printers come before BOOTP's in tcpdump: with one of them on
# either side, tcpdump prints DNS, TFTP, TSP or mDNS instead of BOOTP.
# TODO: such packets are left out, as dhcpcheck has no printer for those.
CLAIMED_PORTS = frozenset({53, 69, 525, 5353})
IPV4_MAPPED = b"\x00" * 10 + b"\xff\xff"


def format_datagram(
    datagram: Datagram, wirelen: int, settings: PrintSettings
) -> str | None:
    """The packet's text after its time stamp, without the final newline.

    None when tcpdump would hand the payload to another protocol's printer.
    """
    network = _network(datagram, settings)
    if network is None:
        return None
    return _link(datagram.link, wirelen, settings) + network


def _link(link: LinkHeader, wirelen: int, settings: PrintSettings) -> str:
    """The link layer's part: -e only, except SLL2's interface and direction."""
    text = _sll2_prefix(link) if isinstance(link, LinuxSll2Header) else ""
    if not settings.link_header:
        return text
    match link:
        case EthernetHeader():
            return _ethernet(link, wirelen)
        case LinuxSllHeader():
            return _sll(link, wirelen)
        case LinuxSll2Header():
            return text + _sll2(link, wirelen)
        case LoopbackHeader():
            name = FAMILY_NAMES.get(link.family, "Unknown")
            return f"AF {name} ({link.family}), length {wirelen}: "
        case RawHeader():
            return "ip: "


def _mac(address: bytes) -> str:
    return address.hex(":")


def _ethertype(value: int) -> str:
    return f"ethertype {ETHERTYPE_NAMES.get(value, 'Unknown')} (0x{value:04x})"


def _ethernet(link: EthernetHeader, wirelen: int) -> str:
    text = f"{_mac(link.source)} > {_mac(link.destination)}, "
    text += f"{_ethertype(link.ethertype)}, length {wirelen}: "
    return text if link.vlan is None else text + _vlan(link.vlan)


def _vlan(tag: VlanTag) -> str:
    dei = ", DEI" if tag.dei else ""
    return f"vlan {tag.vid}, p {tag.pcp}{dei}, {_ethertype(tag.ethertype)}, "


def _cooked_address(length: int, address: bytes) -> str:
    """The sender's address, printed only when it has an Ethernet address's size."""
    return _mac(address) + " " if length == 6 else ""


def _sll(link: LinuxSllHeader, wirelen: int) -> str:
    direction = DIRECTIONS.get(link.packet_type, "?")
    address = _cooked_address(link.address_length, link.address)
    return f"{direction:>3} {address}{_ethertype(link.protocol)}, length {wirelen}: "


def _sll2_prefix(link: LinuxSll2Header) -> str:
    """Interface name and direction, printed with or without -e."""
    direction = DIRECTIONS.get(link.packet_type, "?")
    return f"{_interface_name(link.ifindex):<5} {direction:<4}"


@lru_cache(maxsize=64)
def _interface_name(ifindex: int) -> str:
    """The name this machine gives interface ``ifindex``, as tcpdump looks it up.

    The capture does not record names, so tcpdump asks the reading host;
    the text therefore depends on the machine, and "?" marks an unknown index.
    """
    try:
        return socket.if_indextoname(ifindex)
    except (OSError, OverflowError, ValueError):
        return "?"


def _sll2(link: LinuxSll2Header, wirelen: int) -> str:
    address = _cooked_address(link.address_length, link.address)
    ethertype = _ethertype(link.protocol)
    return f"ifindex {link.ifindex} {address}{ethertype}, length {wirelen}: "


def _network(datagram: Datagram, settings: PrintSettings) -> str | None:
    ip = datagram.ip
    if isinstance(ip, BadIPHeader):
        return _bad_ip(ip, settings)
    if isinstance(ip, IPv4Header):
        return _ipv4(datagram, ip, settings)
    return _ipv6(datagram, ip, settings)


def _bad_ip(ip: BadIPHeader, settings: PrintSettings) -> str:
    """A header whose version or length forbids reading further."""
    if ip.announced is IpVersion.V6:
        prefix = "" if settings.link_header else "IP6 "
        return f"{prefix}version error: {ip.version} != 6"
    if ip.version == IpVersion.V4:
        prefix = "" if settings.link_header else "IP "
        return f"{prefix}bad-hlen {ip.ihl * 4}"
    if ip.announced is None:
        return f"unknown ip {ip.version}"
    if ip.version == IpVersion.V6:
        return "IP6, wrong link-layer encapsulation (invalid)"
    return f"IP{ip.version} (invalid)"


def _ipv4(datagram: Datagram, ip: IPv4Header, settings: PrintSettings) -> str | None:
    text = "" if settings.link_header else "IP "
    if ip.total_length < ip.header_length:
        return f"{text}bad-len {ip.total_length}"
    if datagram.missing:
        text += f"truncated-ip - {datagram.missing} bytes missing! "
    options_cut = False
    if settings.verbosity:
        fields, options_cut = _ipv4_fields(datagram, ip)
        text += f"({fields})\n    "
    packet = datagram.packet  # its bytes make the text faster than str(ip.source)
    source = socket.inet_ntoa(packet[IPV4_SOURCE])
    destination = socket.inet_ntoa(packet[IPV4_DESTINATION])
    if options_cut:
        return f"{text}{source} > {destination}:  [|ip]"
    udp = _udp(datagram, source, destination, settings)
    return None if udp is None else text + udp


def _ipv4_fields(datagram: Datagram, ip: IPv4Header) -> tuple[str, bool]:
    """The -v fields of an IPv4 header; True too if its options were cut short."""
    fields = [f"tos 0x{ip.tos:x}{ECN_NAMES[ip.tos & 3]}"]
    if ip.ttl:
        fields.append(f"ttl {ip.ttl}")
    fields += [
        f"id {ip.identification}",
        f"offset {ip.fragment_offset * 8}",
        f"flags [{FLAG_TEXTS[ip.flags]}]",
        f"proto UDP ({ip.protocol})",  # the filter lets nothing else through
        f"length {ip.total_length}",
    ]
    cut = False
    if ip.options:
        text, cut = format_ip_options(datagram.packet[IPV4_HEADER:], len(ip.options))
        fields.append(f"options ({text})")
    checksum = ip.checksum
    if checksum.status is ChecksumStatus.BAD:
        fields.append(f"bad cksum {checksum.received:x} (->{checksum.expected:x})!")
    return ", ".join(fields), cut


def _ipv6(datagram: Datagram, ip: IPv6Header, settings: PrintSettings) -> str | None:
    text = "" if settings.link_header else "IP6 "
    if datagram.missing:
        text += f"truncated-ip6 - {datagram.missing} bytes missing!"
    if settings.verbosity:
        text += f"({_ipv6_fields(ip)}) "
    source, destination = ipv6_text(ip.source), ipv6_text(ip.destination)
    udp = _udp(datagram, source, destination, settings)
    return None if udp is None else text + udp


def _ipv6_fields(ip: IPv6Header) -> str:
    fields = []
    if ip.traffic_class:
        fields.append(f"class 0x{ip.traffic_class:02x}")
    if ip.flow_label:
        fields.append(f"flowlabel 0x{ip.flow_label:05x}")
    fields.append(f"hlim {ip.hop_limit}")
    # The filter lets nothing but UDP through.
    fields.append(f"next-header UDP ({ip.next_header}) payload length: ")
    return ", ".join(fields) + str(ip.payload_length)


def ipv6_text(address: IPv6Address) -> str:
    """An IPv6 address as inet_ntop writes it: RFC 5952, and a dotted quad
    at the end of IPv4-compatible (::a.b.c.d) and IPv4-mapped addresses."""
    packed = address.packed
    compatible = packed[:12] == bytes(12) and packed[12:14] != b"\x00\x00"
    if compatible or packed[:12] == IPV4_MAPPED:
        prefix = "::" if compatible else "::ffff:"
        return prefix + ".".join(str(byte) for byte in packed[12:])
    return str(address)


def _udp(
    datagram: Datagram, source: str, destination: str, settings: PrintSettings
) -> str | None:
    """Ports, length complaints, checksum verdict and the BOOTP body."""
    udp = datagram.udp
    if udp is None:
        return f"{source} > {destination}:  [|udp]"
    head = f"{source}.{udp.source_port} > {destination}.{udp.destination_port}: "
    if datagram.ip_payload_length < UDP_HEADER:
        return f"{head}truncated-udp {datagram.ip_payload_length}"
    if udp.length is None:
        return f"{head} [|udp]"
    if udp.length < UDP_HEADER:
        return f"{head}truncated-udplength {udp.length}"
    if udp.checksum is None:
        return f"{head} [|udp]"
    if {udp.source_port, udp.destination_port} & CLAIMED_PORTS:
        return None
    body = format_bootp(datagram.payload, datagram.payload_length, settings)
    return head + _checksum(datagram, settings) + body


def _checksum(datagram: Datagram, settings: PrintSettings) -> str:
    """The UDP checksum verdict: IPv4 from -vv and unfragmented, IPv6 from -v."""
    ip = datagram.ip
    if isinstance(ip, IPv4Header) and (settings.verbosity < 2 or ip.fragmented):
        return ""
    if settings.verbosity < 1:
        return ""
    checksum = datagram.udp_checksum
    if checksum.status is ChecksumStatus.BAD:
        received, expected = checksum.received, checksum.expected
        return f"[bad udp cksum 0x{received:04x} -> 0x{expected:04x}!] "
    return CHECKSUM_VERDICTS[checksum.status]


def format_ip_options(data: bytes, length: int) -> tuple[str, bool]:
    """IPv4 options as tcpdump -v lists them; True too when the capture ends
    inside one. ``data`` starts at the first option and runs to the end of
    what was captured of the packet, since malformed route and time stamp
    options make tcpdump read past their own length."""
    items: list[str] = []
    at = 0
    while at < length:
        code = data[at]
        name = OPTION_NAMES.get(code, f"unknown {code}")
        if code in (IPOption.EOL, IPOption.NOP):
            items.append(name)
            if code == IPOption.EOL:
                break
            at += 1
            continue
        size = data[at + 1] if at + 1 < len(data) else None
        if size is None:
            items.append(name + " [truncated-option]")
            return ",".join(items), True
        if size < 2 or size > length - at:
            items.append(f"{name} [bad length {size}]")
            break
        text, cut = OPTION_PRINTERS.get(code, _no_detail)(data, at, size)
        items.append(name + text)
        if cut:
            return ",".join(items), True
        at += size
    return ",".join(items), False


def _no_detail(data: bytes, at: int, size: int) -> tuple[str, bool]:
    return "", False


def _router_alert(data: bytes, at: int, size: int) -> tuple[str, bool]:
    """RA (RFC 2113): a 16-bit value, shown when not zero."""
    if size < 4:
        return f" [bad length {size}]", False
    value = int.from_bytes(data[at + 2 : at + 4], "big")
    return (f" value {value}" if value else ""), False


def _route(data: bytes, at: int, size: int) -> tuple[str, bool]:
    """RR, LSRR and SSRR (RFC 791): the addresses, a comma after each one
    the pointer has passed."""
    if size < 3:
        return f" [bad length {size}]", False
    text = f" [bad length {size}]" if (size + 1) % 4 else ""
    pointer = data[at + 2]
    slot = (pointer - 1) % 2**32  # tcpdump reckons unsigned: 0 is far past
    if slot < 3 or (slot + 1) % 4 or slot > size + 1:
        text += f" [bad ptr {pointer}]"
    for offset in range(3, size, 4):
        start = at + offset
        if start + 4 > len(data):
            return text + " [truncated-option]", True
        text += " " + ".".join(str(byte) for byte in data[start : start + 4])
        if slot > offset:
            text += ","
    return text, False


class TimestampFlag(IntEnum):
    """The low nibble of the time stamp option's fourth byte (RFC 791)."""

    TSONLY = 0
    TSANDADDR = 1
    PRESPEC = 3


TIMESTAMP_KINDS: dict[int, str] = {
    TimestampFlag.TSONLY: "TSONLY",
    TimestampFlag.TSANDADDR: "TS+ADDR",
    TimestampFlag.PRESPEC: "PRESPEC",
}


def _timestamp(data: bytes, at: int, size: int) -> tuple[str, bool]:
    """TS (RFC 791): each hop's stamp, `^` where the pointer points."""
    if size < 4:
        return f"[bad length {size}]", False
    slot = (data[at + 2] - 1) % 2**32
    overflow, kind = data[at + 3] >> 4, data[at + 3] & 0x0F
    step = 4 if kind == TimestampFlag.TSONLY else 8
    text = " TS{"
    if (size - 4) % step:
        text += f"[bad length {size}]"
    if slot < 4 or (slot - 4) % step or slot > size + 1:
        text += f"[bad ptr {data[at + 2]}]"
    offset = 0  # where the pointer would mark the end: nowhere for bad kinds
    if kind in TIMESTAMP_KINDS:
        text += TIMESTAMP_KINDS[kind]
        offset = 4
        while offset < size:
            entry = _timestamp_entry(data, at + offset, kind)
            if entry is None:
                return text + " [truncated-option]", True
            text += (" ^ " if slot == offset else " ") + entry
            offset += step
    else:
        text += f"[bad ts type {kind}]"
    if slot == offset:
        text += " ^ "
    if overflow:
        return f"{text} [{overflow} hops not recorded]}} ", False
    return text + "}", False


def _timestamp_entry(data: bytes, start: int, kind: int) -> str | None:
    """One hop: `stamp@` or `stamp@address`; None if it runs past the capture."""
    size = 4 if kind == TimestampFlag.TSONLY else 8
    if start + size > len(data):
        return None
    if kind == TimestampFlag.TSONLY:
        return f"{int.from_bytes(data[start : start + 4], 'big')}@"
    stamp = int.from_bytes(data[start + 4 : start + 8], "big")
    return f"{stamp}@" + ".".join(str(byte) for byte in data[start : start + 4])


OPTION_NAMES: dict[int, str] = {
    IPOption.EOL: "EOL",
    IPOption.NOP: "NOP",
    IPOption.RR: "RR",
    IPOption.TS: "timestamp",
    IPOption.TRACEROUTE: "traceroute",
    IPOption.SECURITY: "security",
    IPOption.LSRR: "LSRR",
    IPOption.SSRR: "SSRR",
    IPOption.RA: "RA",
}
OPTION_PRINTERS: dict[int, Callable[[bytes, int, int], tuple[str, bool]]] = {
    IPOption.RR: _route,
    IPOption.LSRR: _route,
    IPOption.SSRR: _route,
    IPOption.TS: _timestamp,
    IPOption.RA: _router_alert,
}
