import struct
from collections.abc import Callable

import pytest

from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.craft.fields import pack_address
from dhcpcheck.craft.ip import (
    UDP,
    IpFlag,
    IPv4,
    internet_checksum,
    ipv4_packet,
    udp_datagram,
    udp_ipv4,
)
from dhcpcheck.craft.link import ethernet

Show = Callable[..., str]
MAC = "00:11:22:33:44:55"
MESSAGE = Bootp(chaddr=MAC).encode()
SERVER = IPv4(src="192.0.2.1", dst="192.0.2.99")


def pseudo_header(ip: IPv4, length: int) -> bytes:
    addresses = pack_address(ip.src), pack_address(ip.dst)
    return struct.pack("!4s4sxBH", *addresses, 17, length)


def test_checksum_of_rfc1071_example() -> None:
    # RFC 1071 section 3: the words sum to 0xddf2 (with end-around carry).
    assert internet_checksum(bytes.fromhex("0001f203f4f5f6f7")) == 0xFFFF - 0xDDF2


def test_checksum_pads_odd_length_with_zero() -> None:
    assert internet_checksum(b"\x01") == 0xFFFF - 0x0100


def test_ipv4_header_fields_and_checksum() -> None:
    header = IPv4(tos=0x10, ttl=128, ident=0x1234, flags=IpFlag.DF, frag_offset=0)
    packet = ipv4_packet(header, b"xyz")
    assert packet[:10] == bytes.fromhex("4510 0017 1234 4000 8011")
    assert internet_checksum(packet[:20]) == 0
    assert packet[20:] == b"xyz"


def test_ip_options_are_padded_to_words() -> None:
    packet = ipv4_packet(IPv4(options=b"\x01\x01\x01"), b"")
    assert packet[0] == 0x46
    assert packet[20:24] == b"\x01\x01\x01\x00"
    assert internet_checksum(packet[:24]) == 0


def test_fragment_field_holds_flags_and_offset() -> None:
    header = IPv4(flags=IpFlag.MF | IpFlag.RESERVED, frag_offset=185)
    assert ipv4_packet(header, b"")[6:8] == struct.pack("!H", 0xA000 | 185)


def test_given_checksum_and_length_are_written_as_is() -> None:
    packet = ipv4_packet(IPv4(checksum=0xBEEF, total_length=9999), b"")
    assert packet[2:4] == struct.pack("!H", 9999)
    assert packet[10:12] == b"\xbe\xef"


def test_udp_checksum_covers_pseudo_header() -> None:
    datagram = udp_datagram(SERVER, UDP(67, 68), MESSAGE)
    assert datagram[:6] == struct.pack("!HHH", 67, 68, 308)
    assert internet_checksum(pseudo_header(SERVER, 308) + datagram) == 0


def test_udp_checksum_of_zero_is_sent_as_all_ones() -> None:
    # A payload word equal to the checksum without it brings the sum to 0xffff.
    word = udp_datagram(SERVER, UDP(), b"\x00\x00")[6:8]
    assert udp_datagram(SERVER, UDP(), word)[6:8] == b"\xff\xff"


@pytest.mark.parametrize(
    ("checksum", "wire"), [(0, b"\x00\x00"), (0x1234, b"\x12\x34")]
)
def test_given_udp_checksum_is_written_as_is(checksum: int, wire: bytes) -> None:
    assert udp_datagram(SERVER, UDP(checksum=checksum), b"")[6:8] == wire


def test_tcpdump_reads_ip_header(show: Show) -> None:
    header = IPv4(
        tos=0x10, ttl=128, ident=4660, flags=IpFlag.DF, options=b"\x94\x04\0\0"
    )
    text = show(ethernet(udp_ipv4(MESSAGE, header), src=MAC))
    ip = "tos 0x10, ttl 128, id 4660, offset 0, flags [DF], proto UDP (17), length 332"
    assert f"({ip}, options (RA))\n" in text
    assert "0.0.0.0.68 > 255.255.255.255.67: [udp sum ok] BOOTP/DHCP" in text


@pytest.mark.parametrize(
    ("udp", "verdict"),
    [
        (UDP(), "[udp sum ok]"),
        (UDP(checksum=0), "[no cksum]"),
        (UDP(checksum=0x1234), "[bad udp cksum 0x1234 -> "),
    ],
)
def test_tcpdump_agrees_on_udp_checksum(show: Show, udp: UDP, verdict: str) -> None:
    text = show(ethernet(udp_ipv4(MESSAGE, SERVER, udp), src=MAC))
    assert f"192.0.2.1.68 > 192.0.2.99.67: {verdict}" in text


def test_tcpdump_sees_bad_ip_checksum(show: Show) -> None:
    text = show(ethernet(udp_ipv4(MESSAGE, IPv4(checksum=0x1234)), src=MAC))
    assert "bad cksum 1234 (->" in text


def test_tcpdump_sees_a_fragment(show: Show) -> None:
    header = IPv4(ident=7, flags=IpFlag.MF, frag_offset=1)
    text = show(ethernet(udp_ipv4(MESSAGE, header), src=MAC))
    assert "id 7, offset 8, flags [+], proto UDP (17), length 328)\n" in text
    assert "0.0.0.0 > 255.255.255.255: ip-proto-17\n" in text
