"""The text before the BOOTP body: link header, IP header, ports, verdicts.

Expected strings were read off tcpdump 4.99.3 for the same bytes; the last
tests compare whole captures with the installed tcpdump when there is one.
"""

import os
import struct
import subprocess
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import pytest

from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.writer import write_pcap
from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import UDP, IpFlag, IPv4, ipv4_packet, udp_ipv4
from dhcpcheck.craft.link import (
    EtherType,
    SllPacketType,
    VlanTag,
    ethernet,
    linux_sll,
    linux_sll2,
    null_loopback,
)
from dhcpcheck.decode.ip import internet_checksum
from dhcpcheck.decode.link import DLT_RAW, find_datagram
from dhcpcheck.report.tcpdump import render
from dhcpcheck.report.tcpdump.frame import format_datagram, format_ip_options
from dhcpcheck.report.tcpdump.settings import PrintSettings, TimestampMode

CLIENT = "fa:16:3e:d6:62:84"
PAYLOAD = Bootp(xid=0x6265AB6D, chaddr=CLIENT).encode()
PACKET = udp_ipv4(PAYLOAD)
ALL_NODES = bytes.fromhex("ff020000000000000000000000010002")
PLAIN = PrintSettings()
VV = PrintSettings(verbosity=2)
E = PrintSettings(link_header=True)
EV = PrintSettings(link_header=True, verbosity=1)
EVV = PrintSettings(link_header=True, verbosity=2)


def ipv6_packet(
    flow: int = 0x6AB12345, checksum: int | None = None, size: int | None = None
) -> bytes:
    """UDP from :: port 68 to ff02::1:2 port 67 carrying PAYLOAD."""
    udp = struct.pack("!HHHH", 68, 67, 8 + len(PAYLOAD), 0) + PAYLOAD
    pseudo = bytes(16) + ALL_NODES + struct.pack("!I3xB", len(udp), 17)
    if checksum is None:
        checksum = internet_checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", checksum) + udp[8:]
    header = struct.pack("!IHBB", flow, len(udp) if size is None else size, 17, 64)
    return header + bytes(16) + ALL_NODES + udp


def head(
    data: bytes,
    settings: PrintSettings = PLAIN,
    linktype: int = LinkType.ETHERNET,
    wirelen: int | None = None,
) -> str:
    """The frame's text up to the BOOTP body (all of it if there is none)."""
    wirelen = len(data) if wirelen is None else wirelen
    datagram = find_datagram(data, linktype, wirelen)
    assert datagram is not None
    text = format_datagram(datagram, wirelen, settings)
    assert text is not None
    return text.partition("BOOTP/DHCP")[0]


def eth(packet: bytes, **kwargs: object) -> bytes:
    return ethernet(packet, src=CLIENT, **kwargs)  # type: ignore[arg-type]


def test_ethernet_with_e_and_vv() -> None:
    assert head(eth(PACKET), EVV) == (
        "fa:16:3e:d6:62:84 > ff:ff:ff:ff:ff:ff, ethertype IPv4 (0x0800), length 342:"
        " (tos 0x0, ttl 64, id 0, offset 0, flags [none], proto UDP (17), length 328)"
        "\n    0.0.0.0.68 > 255.255.255.255.67: [udp sum ok] "
    )


def test_without_e_the_ip_header_names_itself() -> None:
    assert head(eth(PACKET)) == "IP 0.0.0.0.68 > 255.255.255.255.67: "


def test_vlan_tag() -> None:
    tag = VlanTag(vid=100, pcp=5, dei=True, tpid=EtherType.QINQ)

    assert head(eth(PACKET, tags=[tag]), E) == (
        "fa:16:3e:d6:62:84 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q-QinQ (0x88a8),"
        " length 346: vlan 100, p 5, DEI, ethertype IPv4 (0x0800),"
        " 0.0.0.0.68 > 255.255.255.255.67: "
    )


def test_linux_cooked_v1() -> None:
    frame = linux_sll(PACKET, CLIENT, SllPacketType.BROADCAST)

    assert head(frame, E, LinkType.LINUX_SLL) == (
        "  B fa:16:3e:d6:62:84 ethertype IPv4 (0x0800), length 344:"
        " 0.0.0.0.68 > 255.255.255.255.67: "
    )


def test_linux_cooked_v2_names_the_interface_even_without_e() -> None:
    frame = linux_sll2(PACKET, CLIENT, SllPacketType.OUTGOING, ifindex=0)

    assert head(frame, PLAIN, LinkType.LINUX_SLL2) == (
        "?     Out IP 0.0.0.0.68 > 255.255.255.255.67: "
    )
    assert head(frame, E, LinkType.LINUX_SLL2) == (
        "?     Out ifindex 0 fa:16:3e:d6:62:84 ethertype IPv4 (0x0800), length 348:"
        " 0.0.0.0.68 > 255.255.255.255.67: "
    )


def test_loopback_and_raw() -> None:
    assert head(null_loopback(PACKET), E, LinkType.NULL) == (
        "AF IPv4 (2), length 332: 0.0.0.0.68 > 255.255.255.255.67: "
    )
    assert head(PACKET, E, DLT_RAW) == "ip: 0.0.0.0.68 > 255.255.255.255.67: "


def test_ipv6_header_stays_on_the_first_line() -> None:
    frame = eth(ipv6_packet(), ethertype=0x86DD)

    assert head(frame, PrintSettings(verbosity=1)) == (
        "IP6 (class 0xab, flowlabel 0x12345, hlim 64, next-header UDP (17)"
        " payload length: 308) ::.68 > ff02::1:2.67: [udp sum ok] "
    )


def test_ipv6_truncated_and_bad_checksum() -> None:
    frame = eth(ipv6_packet(flow=0x60000000, checksum=0, size=320), ethertype=0x86DD)

    assert head(frame, EV) == (
        "fa:16:3e:d6:62:84 > ff:ff:ff:ff:ff:ff, ethertype IPv6 (0x86dd), length 362:"
        " truncated-ip6 - 12 bytes missing!(hlim 64, next-header UDP (17)"
        " payload length: 320) ::.68 > ff02::1:2.67: [bad udp cksum 0x0000 -> 0x97cd!] "
    )


@pytest.mark.parametrize(
    ("ip", "fields"),
    [
        (IPv4(tos=0x03, ttl=0), "tos 0x3,CE, id 0, offset 0, flags [none]"),
        (
            IPv4(tos=0x12, ident=7),
            "tos 0x12,ECT(0), ttl 64, id 7, offset 0, flags [none]",
        ),
        (
            IPv4(flags=IpFlag.MF | IpFlag.DF | IpFlag.RESERVED),
            "tos 0x0, ttl 64, id 0, offset 0, flags [+, DF, rsvd]",
        ),
    ],
    ids=["ttl-0", "ecn", "flags"],
)
def test_ipv4_fields(ip: IPv4, fields: str) -> None:
    text = head(eth(udp_ipv4(PAYLOAD, ip=ip)), PrintSettings(verbosity=1))

    header = f"IP ({fields}, proto UDP (17), length 328)"
    assert text == header + "\n    0.0.0.0.68 > 255.255.255.255.67: "


def test_bad_header_checksum_and_options() -> None:
    ip = IPv4(checksum=0x1234, options=bytes([148, 4, 0, 0]))

    assert head(eth(udp_ipv4(PAYLOAD, ip=ip)), VV).startswith(
        "IP (tos 0x0, ttl 64, id 0, offset 0, flags [none], proto UDP (17), length 332,"
        " options (RA), bad cksum 1234 (->e49d)!)"
    )


@pytest.mark.parametrize(
    ("udp", "verdict"),
    [
        (UDP(checksum=0), "[no cksum] "),
        (UDP(checksum=0x12), "[bad udp cksum 0x0012 -> 0x96d3!] "),
    ],
    ids=["absent", "bad"],
)
def test_udp_checksum_verdict_from_vv(udp: UDP, verdict: str) -> None:
    frame = eth(udp_ipv4(PAYLOAD, udp=udp))

    assert head(frame, VV).endswith(f"255.255.255.255.67: {verdict}")
    assert head(frame, PrintSettings(verbosity=1)).endswith("255.255.255.255.67: ")


def test_fragments_get_no_verdict() -> None:
    frame = eth(udp_ipv4(PAYLOAD, ip=IPv4(flags=IpFlag.MF), udp=UDP(checksum=0)))

    assert head(frame, VV).endswith("255.255.255.255.67: ")


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (36, "IP 0.0.0.0 > 255.255.255.255:  [|udp]"),
        (39, "IP 0.0.0.0.68 > 255.255.255.255.67:  [|udp]"),
        (42, "IP 0.0.0.0.68 > 255.255.255.255.67:  [|bootp]"),
        (43, "IP 0.0.0.0.68 > 255.255.255.255.67: "),
    ],
)
def test_snapshot_cuts(size: int, text: str) -> None:
    frame = eth(PACKET)

    assert head(frame[:size], wirelen=len(frame)) == text


@pytest.mark.parametrize(
    ("packet", "text"),
    [
        (udp_ipv4(PAYLOAD, ip=IPv4(total_length=10)), "IP bad-len 10"),
        (
            udp_ipv4(PAYLOAD, ip=IPv4(total_length=26)),
            "IP 0.0.0.0.68 > 255.255.255.255.67: truncated-udp 6",
        ),
        (
            udp_ipv4(PAYLOAD, udp=UDP(length=7)),
            "IP 0.0.0.0.68 > 255.255.255.255.67: truncated-udplength 7",
        ),
        (
            udp_ipv4(PAYLOAD, ip=IPv4(total_length=338)),
            "IP truncated-ip - 10 bytes missing! 0.0.0.0.68 > 255.255.255.255.67: ",
        ),
        (bytes([0x55]) + PACKET[1:], "IP5 (invalid)"),
        (bytes([0x65]) + PACKET[1:], "IP6, wrong link-layer encapsulation (invalid)"),
        (bytes([0x41]) + PACKET[1:4] + b"\x00\x44" + PACKET[6:], "IP bad-hlen 4"),
    ],
    ids=["bad-len", "truncated-udp", "udplength", "truncated-ip", "ip5", "ip6", "hlen"],
)
def test_damaged_headers(packet: bytes, text: str) -> None:
    assert head(eth(packet)) == text


def test_version_error_under_the_ipv6_ethertype() -> None:
    frame = eth(bytes([0x45]) + ipv6_packet()[1:], ethertype=0x86DD)

    assert head(frame) == "IP6 version error: 4 != 6"
    assert head(frame, E).endswith("length 362: version error: 4 != 6")


def test_options_cut_by_the_capture_end_the_packet_with_ip_marker() -> None:
    route = bytes([7, 8, 4, 1, 2, 3, 4, 0])  # RR whose bad length reads on
    frame = eth(udp_ipv4(PAYLOAD, ip=IPv4(options=route)))

    assert head(frame[:44], PrintSettings(verbosity=1), wirelen=len(frame)) == (
        "IP (tos 0x0, ttl 64, id 0, offset 0, flags [none], proto UDP (17), length 336,"
        " options (RR [bad length 8] 1.2.3.4 [truncated-option]))"
        "\n    0.0.0.0 > 255.255.255.255:  [|ip]"
    )


def test_ports_of_other_printers_yield_nothing() -> None:
    frame = eth(udp_ipv4(PAYLOAD, udp=UDP(68, 53)))
    datagram = find_datagram(frame, LinkType.ETHERNET)

    assert datagram is not None
    assert format_datagram(datagram, len(frame), PLAIN) is None


UDP_AFTER = bytes.fromhex("00440043")  # what follows the options: the ports


@pytest.mark.parametrize(
    ("options", "text"),
    [
        ("01010101", "NOP,NOP,NOP,NOP"),
        ("00000000", "EOL"),
        ("94041234", "RA value 4660"),
        ("94030000", "RA [bad length 3],EOL"),
        ("070b08010203040506070800", "RR 1.2.3.4, 5.6.7.8,EOL"),
        ("0708040102030400", "RR [bad length 8] 1.2.3.4 0.0.68.0"),
        ("07040500", "RR [bad length 4] [bad ptr 5] 0.0.68.0,"),
        (
            "8902010203040506",
            "SSRR [bad length 2],NOP,unknown 2,unknown 5 [bad length 6]",
        ),
        ("440c05000000000100000002", "timestamp TS{TSONLY ^ 1@ 2@}"),
        ("440c0d010102030400000002", "timestamp TS{TS+ADDR 2@1.2.3.4 ^ }"),
        ("440405f0", "timestamp TS{TSONLY ^  [15 hops not recorded]} "),
        ("440c0902" + "00" * 8, "timestamp TS{[bad ptr 9][bad ts type 2]}"),
        ("44030500", "timestamp[bad length 3],EOL"),
        (
            "4405010203040506",
            "timestamp TS{[bad length 5][bad ptr 1][bad ts type 2] ^ },"
            "unknown 4 [bad length 5]",
        ),
        ("19000000", "unknown 25 [bad length 0]"),
        ("820b" + "00" * 10, "security,EOL"),
        ("520c" + "00" * 10, "traceroute"),
    ],
)
def test_ip_options(options: str, text: str) -> None:
    data = bytes.fromhex(options)

    assert format_ip_options(data + UDP_AFTER, len(data)) == (text, False)


def test_ip_options_running_past_the_capture() -> None:
    data = bytes.fromhex("0708040102030400")

    assert format_ip_options(data + b"\x00", len(data)) == (
        "RR [bad length 8] 1.2.3.4 [truncated-option]",
        True,
    )


def frame_at(number: int, seconds: float, data: bytes, cut: int | None = None) -> Frame:
    return captured(number, int(seconds * 1e9), LinkType.ETHERNET, data, cut)


def test_render_numbers_stamps_and_skips_as_tcpdump() -> None:
    dhcp = eth(PACKET)
    dns = eth(udp_ipv4(PAYLOAD, udp=UDP(68, 53)))
    other = eth(udp_ipv4(PAYLOAD, udp=UDP(1000, 2000)))
    liar = Frame(5, 9, 0, LinkType.ETHERNET, dhcp, 100)
    frames = [
        frame_at(1, 1, other),
        frame_at(2, 2, dhcp),
        frame_at(3, 3.5, dns),
        liar,
        frame_at(6, 4, dhcp),
    ]
    settings = PrintSettings(timestamps=TimestampMode.DELTA, numbered=True)

    request = "BOOTP/DHCP, Request from fa:16:3e:d6:62:84, length 300\n"
    assert list(render(frames, settings)) == [
        f"    1   00:00:00.000000 IP 0.0.0.0.68 > 255.255.255.255.67: {request}",
        "    3  [Invalid header: len(100) < caplen(342)]\n",
        f"    4   00:00:00.500000 IP 0.0.0.0.68 > 255.255.255.255.67: {request}",
    ]


def variants(packet: bytes) -> Iterator[bytes]:
    """The packet, damaged in the ways tcpdump has words for."""
    yield packet
    yield ipv4_packet(
        IPv4(tos=0xFF, ttl=0, options=bytes([68, 8, 5, 0x11])), packet[28:]
    )
    for cut in (20, 24, 27, 28, 29, 100):
        yield packet[:cut]


WRAPPERS: dict[int, list[Callable[[bytes], bytes]]] = {
    LinkType.ETHERNET: [
        eth,
        lambda packet: eth(packet, tags=[VlanTag(4000, 7)]),
        lambda packet: eth(packet, tags=[VlanTag(1, tpid=EtherType.QINQ)]),
    ],
    LinkType.LINUX_SLL: [lambda packet: linux_sll(packet, CLIENT, SllPacketType.HOST)],
    LinkType.LINUX_SLL2: [lambda packet: linux_sll2(packet, CLIENT, ifindex=0)],
    LinkType.NULL: [null_loopback],
    LinkType.RAW: [lambda packet: packet],
}


def capture(linktype: int) -> list[Frame]:
    """Frames that use every way through ``linktype`` to a BOOTP payload."""
    bodies = [
        udp_ipv4(
            PAYLOAD,
            ip=IPv4(src="10.0.0.1", options=bytes([7, 7, 4, 1, 2, 3, 4])),
            udp=UDP(67, 68, checksum=0x1234),
        ),
        udp_ipv4(
            PAYLOAD, ip=IPv4(flags=IpFlag.DF, total_length=400), udp=UDP(checksum=0)
        ),
        udp_ipv4(PAYLOAD, udp=UDP(length=100)),
        udp_ipv4(PAYLOAD, ip=IPv4(total_length=30)),
        udp_ipv4(PAYLOAD, ip=IPv4(checksum=1)),
        udp_ipv4(PAYLOAD, ip=IPv4(total_length=10)),
        udp_ipv4(PAYLOAD, ip=IPv4(total_length=26)),
        udp_ipv4(PAYLOAD, udp=UDP(length=7)),
        PACKET,
    ]
    links = WRAPPERS[linktype]
    datas = [
        wrap(packet)[:cut]
        for body in bodies
        for wrap in links
        for packet in variants(body)
        for cut in (None, len(wrap(b"")) + 21, len(wrap(b"")) + 40)
    ]
    if linktype == LinkType.ETHERNET:
        datas += [eth(packet, ethertype=0x86DD) for packet in IPV6_PACKETS]
    return [
        Frame(
            number,
            10**9 + 7 * number,
            1234567 * number % 10**9,
            linktype,
            data,
            len(data) + 3 * number % 5,
        )
        for number, data in enumerate(datas, start=1)
    ]


IPV6_PACKETS = [
    ipv6_packet(),
    ipv6_packet(flow=0x60000001, checksum=0),
    ipv6_packet(flow=0x6F000000, size=400),
    ipv6_packet(size=4),
    ipv6_packet(size=12),
    bytes([0x45]) + ipv6_packet()[1:],
]


FLAGS = {
    "n": PrintSettings(),
    "n-v": PrintSettings(verbosity=1),
    "n-vv": PrintSettings(verbosity=2),
    "n-e": PrintSettings(link_header=True),
    "n-e-vvv": PrintSettings(link_header=True, verbosity=3),
}


@pytest.mark.parametrize("flags", FLAGS)
@pytest.mark.parametrize(
    "linktype",
    [
        LinkType.ETHERNET,
        LinkType.LINUX_SLL,
        LinkType.LINUX_SLL2,
        LinkType.NULL,
        LinkType.RAW,
    ],
    ids=lambda linktype: linktype.name,
)
def test_same_text_as_the_installed_tcpdump(
    linktype: LinkType, flags: str, tmp_path: Path, utc: None
) -> None:
    frames = capture(linktype)
    stream = BytesIO()
    write_pcap(stream, frames, linktype)
    path = tmp_path / "frames.pcap"
    path.write_bytes(stream.getvalue())
    # `vlan` cannot be compiled for the other link types: tcpdump refuses it.
    bootp = "udp port 67 or udp port 68"
    expression = f"({bootp}) or (vlan and ({bootp}))"
    if linktype != LinkType.ETHERNET:
        expression = bootp
    options = ["-" + flag for flag in flags.split("-")]
    command = ["tcpdump", "-r", str(path), *options, expression]
    env = {**os.environ, "TZ": "UTC"}
    done = subprocess.run(command, capture_output=True, env=env, check=True)

    text = "".join(render(frames, FLAGS[flags]))

    assert text == done.stdout.decode()
