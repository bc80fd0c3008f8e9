"""find_datagram: which frames tcpdump's BOOTP/DHCP filter selects, and how
the link, IP and UDP headers of those frames decode, damaged ones included."""

import struct
from ipaddress import IPv4Address, IPv6Address

import pytest

from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.craft.fuzz import LINKS, random_frames
from dhcpcheck.craft.ip import UDP, IpFlag, IPv4, ipv4_packet, udp_datagram, udp_ipv4
from dhcpcheck.craft.link import (
    EtherType,
    SllPacketType,
    VlanTag,
    ethernet,
    linux_sll,
    linux_sll2,
    null_loopback,
)
from dhcpcheck.decode.ip import (
    BadIPHeader,
    ChecksumStatus,
    IPv4Header,
    IPv6Header,
    IpVersion,
    internet_checksum,
)
from dhcpcheck.decode.link import (
    DLT_RAW,
    EthernetHeader,
    LinuxSll2Header,
    LinuxSllHeader,
    LoopbackHeader,
    RawHeader,
    find_datagram,
    selects,
)

CLIENT = "fa:16:3e:d6:62:84"
PAYLOAD = Bootp(xid=0x6265AB6D, chaddr=CLIENT).encode()
PACKET = udp_ipv4(PAYLOAD)
FRAME = ethernet(PACKET, src=CLIENT)
ALL_NODES = bytes.fromhex("ff020000000000000000000000010002")


def ipv6_packet(
    payload: bytes = PAYLOAD,
    sport: int = 68,
    dport: int = 67,
    checksum: int | None = None,
    payload_length: int | None = None,
    next_header: int = 17,
) -> bytes:
    """An IPv6 packet from :: to ff02::1:2 carrying UDP, checksummed unless told."""
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    pseudo = bytes(16) + ALL_NODES + struct.pack("!I3xB", len(udp), 17)
    if checksum is None:
        checksum = internet_checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", checksum) + udp[8:]
    size = len(udp) if payload_length is None else payload_length
    header = struct.pack("!IHBB", 0x6AB12345, size, next_header, 64)
    return header + bytes(16) + ALL_NODES + udp


def test_ethernet_frame_decodes_every_layer() -> None:
    datagram = find_datagram(FRAME, LinkType.ETHERNET)

    assert datagram is not None
    assert datagram.link == EthernetHeader(
        bytes(6 * [0xFF]), bytes.fromhex("fa163ed66284"), EtherType.IPV4, None
    )
    assert isinstance(datagram.ip, IPv4Header)
    assert (datagram.ip.source, datagram.ip.destination) == (
        IPv4Address("0.0.0.0"),
        IPv4Address("255.255.255.255"),
    )
    assert datagram.ip.checksum.status is ChecksumStatus.OK
    assert datagram.udp is not None
    assert (datagram.udp.source_port, datagram.udp.destination_port) == (68, 67)
    assert datagram.payload == PAYLOAD
    assert datagram.payload_length == len(PAYLOAD)
    assert datagram.udp_checksum.status is ChecksumStatus.OK
    assert datagram.source_mac == bytes.fromhex("fa163ed66284")
    assert datagram.destination_mac == bytes(6 * [0xFF])


@pytest.mark.parametrize(
    ("sport", "dport", "selected"),
    [(68, 67, True), (67, 68, True), (67, 67, True), (5000, 68, True), (68, 53, True)],
    ids=str,
)
def test_either_port_67_or_68_selects(sport: int, dport: int, selected: bool) -> None:
    frame = ethernet(udp_ipv4(PAYLOAD, udp=UDP(sport, dport)), src=CLIENT)

    assert (find_datagram(frame, LinkType.ETHERNET) is not None) is selected


def test_other_ports_and_protocols_are_rejected() -> None:
    other_ports = ethernet(udp_ipv4(PAYLOAD, udp=UDP(1000, 53)), src=CLIENT)
    tcp = ethernet(udp_ipv4(PAYLOAD, ip=IPv4(proto=6)), src=CLIENT)
    arp = ethernet(PACKET, src=CLIENT, ethertype=0x0806)

    for frame in (other_ports, tcp, arp):
        assert find_datagram(frame, LinkType.ETHERNET) is None


def test_only_the_first_fragment_is_selected() -> None:
    first = ethernet(udp_ipv4(PAYLOAD, ip=IPv4(flags=IpFlag.MF)), src=CLIENT)
    later = ethernet(udp_ipv4(PAYLOAD, ip=IPv4(frag_offset=1)), src=CLIENT)

    datagram = find_datagram(first, LinkType.ETHERNET)
    assert datagram is not None
    assert datagram.udp_checksum.status is ChecksumStatus.UNVERIFIED
    assert find_datagram(later, LinkType.ETHERNET) is None


@pytest.mark.parametrize("tpid", [EtherType.VLAN, EtherType.QINQ, 0x9100])
def test_one_vlan_tag_is_crossed(tpid: int) -> None:
    tag = VlanTag(vid=100, pcp=5, dei=True, tpid=tpid)  # type: ignore[arg-type]
    frame = ethernet(PACKET, src=CLIENT, tags=[tag])

    datagram = find_datagram(frame, LinkType.ETHERNET)

    assert datagram is not None
    assert isinstance(datagram.link, EthernetHeader)
    vlan = datagram.link.vlan
    assert vlan is not None
    assert (vlan.tpid, vlan.vid, vlan.pcp, vlan.dei) == (tpid, 100, 5, True)
    assert vlan.ethertype == EtherType.IPV4
    assert datagram.link.length == 18


def test_two_vlan_tags_are_not_crossed() -> None:
    tags = [VlanTag(5, tpid=EtherType.QINQ), VlanTag(7)]

    assert find_datagram(ethernet(PACKET, src=CLIENT, tags=tags), 1) is None


def test_linux_cooked_headers() -> None:
    v1 = linux_sll(PACKET, CLIENT, SllPacketType.BROADCAST)
    v2 = linux_sll2(PACKET, CLIENT, SllPacketType.OUTGOING, ifindex=7)

    first = find_datagram(v1, LinkType.LINUX_SLL)
    second = find_datagram(v2, LinkType.LINUX_SLL2)

    assert first is not None and second is not None
    assert first.link == LinuxSllHeader(1, 1, 6, bytes.fromhex("fa163ed66284"), 0x800)
    assert second.link == LinuxSll2Header(
        0x800, 7, 1, 4, 6, bytes.fromhex("fa163ed66284")
    )
    assert first.source_mac == second.source_mac == bytes.fromhex("fa163ed66284")
    assert first.destination_mac is None
    assert first.payload == second.payload == PAYLOAD


@pytest.mark.parametrize("order", ["little", "big"])
def test_null_loopback_in_either_byte_order(order: str) -> None:
    frame = null_loopback(PACKET, order)  # type: ignore[arg-type]

    datagram = find_datagram(frame, LinkType.NULL)

    assert datagram is not None
    assert datagram.link == LoopbackHeader(LinkType.NULL, 2)


def test_openbsd_loopback_is_big_endian_only() -> None:
    assert find_datagram(struct.pack(">I", 2) + PACKET, LinkType.LOOP) is not None
    assert find_datagram(struct.pack("<I", 2) + PACKET, LinkType.LOOP) is None


@pytest.mark.parametrize("family", [24, 28, 30])
def test_loopback_ipv6_families(family: int) -> None:
    datagram = find_datagram(struct.pack(">I", family) + ipv6_packet(), LinkType.LOOP)

    assert datagram is not None
    assert isinstance(datagram.ip, IPv6Header)


@pytest.mark.parametrize("linktype", [LinkType.RAW, DLT_RAW, LinkType.IPV4])
def test_raw_ipv4(linktype: int) -> None:
    datagram = find_datagram(PACKET, linktype)

    assert datagram is not None
    assert datagram.link == RawHeader(linktype)
    assert datagram.source_mac is None


@pytest.mark.parametrize("linktype", [LinkType.RAW, DLT_RAW, LinkType.IPV6])
def test_raw_ipv6(linktype: int) -> None:
    assert find_datagram(ipv6_packet(), linktype) is not None


def test_unknown_link_types_select_nothing() -> None:
    assert find_datagram(PACKET, 14) is None
    assert find_datagram(FRAME, LinkType.PPP) is None


def test_ipv6_header_and_checksum() -> None:
    datagram = find_datagram(ethernet(ipv6_packet(), CLIENT, ethertype=0x86DD), 1)

    assert datagram is not None
    ip = datagram.ip
    assert isinstance(ip, IPv6Header)
    assert (ip.traffic_class, ip.flow_label, ip.hop_limit) == (0xAB, 0x12345, 64)
    assert ip.destination == IPv6Address("ff02::1:2")
    assert datagram.udp_checksum.status is ChecksumStatus.OK


def test_ipv6_has_no_absent_checksum() -> None:
    frame = ethernet(ipv6_packet(checksum=0), CLIENT, ethertype=0x86DD)

    datagram = find_datagram(frame, LinkType.ETHERNET)

    assert datagram is not None
    assert datagram.udp_checksum.status is ChecksumStatus.BAD


def test_ipv6_must_carry_udp_directly() -> None:
    frame = ethernet(ipv6_packet(next_header=0), CLIENT, ethertype=0x86DD)

    assert find_datagram(frame, LinkType.ETHERNET) is None


@pytest.mark.parametrize(
    ("checksum", "status", "expected"),
    [
        (None, ChecksumStatus.OK, 0x96D3),  # as the builder computes it
        (0, ChecksumStatus.ABSENT, None),
        (0x1234, ChecksumStatus.BAD, 0x96D3),
    ],
)
def test_udp_checksum_verdicts(
    checksum: int | None, status: ChecksumStatus, expected: int | None
) -> None:
    frame = ethernet(udp_ipv4(PAYLOAD, udp=UDP(checksum=checksum)), src=CLIENT)

    datagram = find_datagram(frame, LinkType.ETHERNET)

    assert datagram is not None
    assert datagram.udp_checksum.status is status
    assert datagram.udp_checksum.expected == expected


def test_bad_ip_header_checksum_gives_the_right_one() -> None:
    frame = ethernet(udp_ipv4(PAYLOAD, ip=IPv4(checksum=0x1234)), src=CLIENT)
    good = find_datagram(FRAME, LinkType.ETHERNET)

    datagram = find_datagram(frame, LinkType.ETHERNET)

    assert datagram is not None and good is not None
    assert isinstance(datagram.ip, IPv4Header) and isinstance(good.ip, IPv4Header)
    assert datagram.ip.checksum.status is ChecksumStatus.BAD
    assert datagram.ip.checksum.expected == good.ip.checksum.received


def test_source_route_checksum_covers_the_final_destination() -> None:
    route = bytes([131, 7, 4, 10, 0, 0, 9, 0])  # LSRR to 10.0.0.9, then EOL
    udp = udp_datagram(IPv4(dst="10.0.0.9"), UDP(), PAYLOAD)
    packet = ipv4_packet(IPv4(dst="10.0.0.1", options=route), udp)

    datagram = find_datagram(ethernet(packet, src=CLIENT), LinkType.ETHERNET)

    assert datagram is not None
    assert datagram.udp_checksum.status is ChecksumStatus.OK


def test_udp_length_and_ip_length_the_smaller_wins() -> None:
    short_udp = ethernet(udp_ipv4(PAYLOAD, udp=UDP(length=108)), src=CLIENT)
    long_udp = ethernet(udp_ipv4(PAYLOAD, udp=UDP(length=4000)), src=CLIENT)

    short = find_datagram(short_udp, LinkType.ETHERNET)
    long = find_datagram(long_udp, LinkType.ETHERNET)

    assert short is not None and long is not None
    assert short.payload_length == 100
    assert short.payload == PAYLOAD  # what the IP packet holds stays readable
    assert long.payload_length == len(PAYLOAD)


def test_trailer_after_the_ip_packet_is_cut_off() -> None:
    datagram = find_datagram(FRAME + bytes(20), LinkType.ETHERNET)

    assert datagram is not None
    assert datagram.packet == PACKET
    assert datagram.payload == PAYLOAD


def test_ip_length_beyond_the_wire_counts_missing_bytes() -> None:
    total = len(PACKET) + 10
    frame = ethernet(udp_ipv4(PAYLOAD, ip=IPv4(total_length=total)), src=CLIENT)

    datagram = find_datagram(frame, LinkType.ETHERNET)

    assert datagram is not None
    assert datagram.missing == 10
    assert datagram.ip_payload_length == total - 20


def test_total_length_below_header_length_stops_decoding() -> None:
    frame = ethernet(udp_ipv4(PAYLOAD, ip=IPv4(total_length=10)), src=CLIENT)

    datagram = find_datagram(frame, LinkType.ETHERNET)

    assert datagram is not None
    assert datagram.udp is None
    assert datagram.payload == b""


@pytest.mark.parametrize(
    ("first_byte", "announced", "version", "ihl"),
    [
        (0x55, IpVersion.V4, 5, 5),
        (0x65, IpVersion.V4, 6, 5),
        (0x41, IpVersion.V4, 4, 1),
    ],
)
def test_unreadable_ip_headers_are_described(
    first_byte: int, announced: IpVersion, version: int, ihl: int
) -> None:
    packet = bytearray(PACKET)
    packet[0] = first_byte
    packet[4:6] = b"\x00\x44"  # where a 4-byte header would put the source port

    datagram = find_datagram(ethernet(bytes(packet), src=CLIENT), LinkType.ETHERNET)

    assert datagram is not None
    assert datagram.ip == BadIPHeader(announced, version, ihl)


def test_wrong_version_in_an_ipv6_ethertype() -> None:
    packet = bytearray(ipv6_packet())
    packet[0] = 0x45

    datagram = find_datagram(ethernet(bytes(packet), CLIENT, ethertype=0x86DD), 1)

    assert datagram is not None
    assert datagram.ip == BadIPHeader(IpVersion.V6, 4, 5)


def test_raw_link_names_unknown_versions_with_no_announcement() -> None:
    packet = bytes([0x55]) + PACKET[1:]

    datagram = find_datagram(packet, LinkType.IPV4)

    assert datagram is not None
    assert datagram.ip == BadIPHeader(None, 5, 5)
    assert find_datagram(packet, LinkType.RAW) is None  # the filter checks 4 or 6


@pytest.mark.parametrize("size", range(len(FRAME) + 1))
def test_every_truncation_is_described_without_raising(size: int) -> None:
    datagram = find_datagram(FRAME[:size], LinkType.ETHERNET, len(FRAME))

    ports_end = 14 + 20 + 2  # the filter reads the source port, which matches
    assert (datagram is not None) is (size >= ports_end)
    if datagram is None:
        return
    assert datagram.missing == 0
    udp = datagram.udp
    assert (udp is not None) is (size >= ports_end + 2)
    if udp is not None:
        assert (udp.length is not None) is (size >= ports_end + 4)
        assert (udp.checksum is not None) is (size >= ports_end + 6)
    assert datagram.payload == PAYLOAD[: max(size - 42, 0)]
    verified = size == len(FRAME)
    status = ChecksumStatus.OK if verified else ChecksumStatus.UNVERIFIED
    assert datagram.udp_checksum.status is status


def test_destination_port_outside_the_capture_rejects_a_non_matching_source() -> None:
    frame = ethernet(udp_ipv4(PAYLOAD, udp=UDP(5000, 67)), src=CLIENT)

    assert find_datagram(frame[:37], LinkType.ETHERNET) is None
    assert find_datagram(frame[:38], LinkType.ETHERNET) is not None


def test_ip_options_move_the_ports() -> None:
    options = bytes([1, 1, 1, 0])
    frame = ethernet(udp_ipv4(PAYLOAD, ip=IPv4(options=options)), src=CLIENT)

    datagram = find_datagram(frame, LinkType.ETHERNET)

    assert datagram is not None
    assert isinstance(datagram.ip, IPv4Header)
    assert datagram.ip.options == options
    assert datagram.payload == PAYLOAD


def test_internet_checksum_rfc1071_example() -> None:
    # RFC 1071 section 3: the words sum to 0xddf2, so the checksum is ~0xddf2.
    data = bytes.fromhex("0001f203f4f5f6f7")

    assert internet_checksum(data) == 0x220D
    assert internet_checksum(b"") == 0xFFFF
    assert internet_checksum(b"\xff\xff") == 0


@pytest.mark.parametrize("linktype", list(LINKS))
def test_selects_lets_through_every_frame_the_filter_selects(
    linktype: LinkType,
) -> None:
    for frame in random_frames(seed=67, count=200, linktype=linktype):
        around = b"\xee" * 7 + frame.data + b"\x00\x43" * 50  # no bleeding
        start, stop = 7, 7 + len(frame.data)
        found = find_datagram(frame.data, frame.linktype, frame.wirelen)
        if found is not None:
            assert selects(around, start, stop, linktype)
        assert selects(around, start, stop, linktype) == selects(
            frame.data, 0, len(frame.data), linktype
        )


def test_selects_rejects_other_traffic_and_link_types() -> None:
    tcp = ipv4_packet(IPv4(proto=6), bytes(20))
    frame = ethernet(tcp, src="02:00:00:00:00:01")
    assert not selects(frame, 0, len(frame), LinkType.ETHERNET)
    dhcp = ethernet(udp_ipv4(Bootp().encode()), src="02:00:00:00:00:01")
    assert selects(dhcp, 0, len(dhcp), LinkType.ETHERNET)
    assert not selects(dhcp, 0, len(dhcp), LinkType.PPP)
