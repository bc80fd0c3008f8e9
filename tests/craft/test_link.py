from collections.abc import Callable

import pytest

from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.craft.ip import udp_ipv4
from dhcpcheck.craft.link import (
    LINK_HEADERS,
    EtherType,
    SllPacketType,
    VlanTag,
    ethernet,
    linux_sll,
    linux_sll2,
    null_loopback,
)

Show = Callable[..., str]
MAC = "00:11:22:33:44:55"
PACKET = udp_ipv4(Bootp(chaddr=MAC).encode())


def test_ethernet_header_bytes() -> None:
    frame = ethernet(b"ip", src=MAC, dst="02:00:00:00:00:01")
    assert frame == bytes.fromhex("020000000001 001122334455 0800") + b"ip"


def test_tags_go_outermost_first() -> None:
    tags = [VlanTag(100, pcp=3, tpid=EtherType.QINQ), VlanTag(4095, dei=True)]
    frame = ethernet(b"", src=MAC, tags=tags)
    assert frame[12:] == bytes.fromhex("88a8 6064 8100 1fff 0800")


def test_ethernet_refuses_short_address() -> None:
    with pytest.raises(ValueError, match="6 bytes"):
        ethernet(b"", src="00:11:22")


def test_cooked_headers_bytes() -> None:
    v1 = linux_sll(b"", MAC, SllPacketType.BROADCAST)
    assert v1 == bytes.fromhex("0001 0001 0006 0011223344550000 0800")
    v2 = linux_sll2(b"", MAC, ifindex=7)
    assert v2 == bytes.fromhex("0800 0000 00000007 0001 04 06 0011223344550000")


def test_loopback_family_in_either_order() -> None:
    assert null_loopback(b"") == b"\x02\x00\x00\x00"
    assert null_loopback(b"", "big") == b"\x00\x00\x00\x02"


@pytest.mark.parametrize("linktype", list(LINK_HEADERS), ids=lambda link: link.name)
def test_tcpdump_finds_dhcp_on_every_link_type(show: Show, linktype: LinkType) -> None:
    text = show(LINK_HEADERS[linktype](PACKET, MAC), linktype)
    assert f"[udp sum ok] BOOTP/DHCP, Request from {MAC}, length 300" in text


@pytest.mark.parametrize(
    ("frame", "linktype", "header"),
    [
        (
            ethernet(PACKET, src=MAC, tags=[VlanTag(100, 3, tpid=EtherType.QINQ)]),
            LinkType.ETHERNET,
            f"{MAC} > ff:ff:ff:ff:ff:ff, ethertype 802.1Q-QinQ (0x88a8), length 346:"
            " vlan 100, p 3, ethertype IPv4 (0x0800),",
        ),
        (
            ethernet(PACKET, src=MAC, tags=[VlanTag(5), VlanTag(6)]),
            LinkType.ETHERNET,
            "ethertype 802.1Q (0x8100), length 350: vlan 5, p 0, ethertype 802.1Q"
            " (0x8100), vlan 6, p 0, ethertype IPv4 (0x0800),",
        ),
        (
            linux_sll(PACKET, MAC, SllPacketType.HOST),
            LinkType.LINUX_SLL,
            f" In {MAC} ethertype IPv4 (0x0800), length 344:",
        ),
        (
            linux_sll2(PACKET, MAC, ifindex=9),
            LinkType.LINUX_SLL2,
            f"Out ifindex 9 {MAC} ethertype IPv4 (0x0800), length 348:",
        ),
        (null_loopback(PACKET, "big"), LinkType.NULL, " AF IPv4 (2), length 332:"),
    ],
)
def test_tcpdump_reads_link_headers(
    show: Show, frame: bytes, linktype: LinkType, header: str
) -> None:
    text = show(frame, linktype, "-e")
    assert header in text
    assert "[udp sum ok] BOOTP/DHCP" in text
