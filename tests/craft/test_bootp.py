from collections.abc import Callable

import pytest

from dhcpcheck.craft import options as opt
from dhcpcheck.craft.bootp import MAGIC_COOKIE, Bootp, BootpFlag, BootpOp
from dhcpcheck.craft.ip import udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.decode.options import MessageType

MAC = "00:11:22:33:44:55"
Show = Callable[..., str]


def on_ethernet(message: Bootp) -> bytes:
    return ethernet(udp_ipv4(message.encode()), src=MAC)


def test_default_message_is_padded_to_300_after_cookie_and_end() -> None:
    data = Bootp(xid=0x01020304, chaddr=MAC).encode()
    assert len(data) == 300
    assert data[:8] == b"\x01\x01\x06\x00\x01\x02\x03\x04"
    assert data[28:44] == bytes.fromhex("001122334455") + bytes(10)
    assert data[236:241] == MAGIC_COOKIE + b"\xff"
    assert data[241:] == bytes(59)


def test_no_padding_and_trailer_after_padding() -> None:
    assert len(Bootp(min_length=0).encode()) == 241
    padded = Bootp(min_length=260, trailer=b"\xaa\xbb").encode()
    assert len(padded) == 262
    assert padded[-3:] == b"\x00\xaa\xbb"


def test_raw_options_replace_cookie_options_and_end() -> None:
    data = Bootp(
        options=[opt.message_type(MessageType.DISCOVER)],
        raw_options=b"\x01",
        min_length=0,
    )
    assert data.encode()[236:] == b"\x01"


def test_no_end_and_cookie_override() -> None:
    data = Bootp(cookie=b"\x63\x82\x53\x64", end=False, min_length=0).encode()
    assert data[236:] == b"\x63\x82\x53\x64"


def test_fixed_fields_refuse_overflow() -> None:
    with pytest.raises(ValueError, match="chaddr is 17 bytes"):
        Bootp(chaddr=bytes(17)).encode()
    with pytest.raises(ValueError, match="file is 129 bytes"):
        Bootp(file="x" * 129).encode()


def test_tcpdump_reads_every_fixed_field(show: Show) -> None:
    message = Bootp(
        op=BootpOp.BOOTREPLY,
        hops=2,
        xid=0xDEADBEEF,
        secs=5,
        flags=BootpFlag.BROADCAST,
        ciaddr="10.0.0.5",
        yiaddr="10.0.0.6",
        siaddr="10.0.0.7",
        giaddr="10.0.0.1",
        chaddr=MAC,
        sname="tftp.example",
        file="pxelinux.0",
        options=[opt.message_type(MessageType.OFFER)],
    )
    text = show(on_ethernet(message))
    assert "[udp sum ok] BOOTP/DHCP, Reply, length 300, hops 2, xid 0xdeadbeef" in text
    assert "secs 5, Flags [Broadcast] (0x8000)" in text
    for line in [
        "Client-IP 10.0.0.5",
        "Your-IP 10.0.0.6",
        "Server-IP 10.0.0.7",
        "Gateway-IP 10.0.0.1",
        f"Client-Ethernet-Address {MAC}",
        'sname "tftp.example"',
        'file "pxelinux.0"',
        "Magic Cookie 0x63825363",
        "DHCP-Message (53), length 1: Offer",
    ]:
        assert f"\t  {line}\n" in text or f"\t    {line}\n" in text


def test_tcpdump_reads_typical_options(show: Show) -> None:
    message = Bootp(
        chaddr=MAC,
        options=[
            opt.message_type(MessageType.REQUEST),
            opt.addresses(6, "1.1.1.2", "8.8.8.8"),
            opt.uint32(51, 3600),
            opt.uint16(57, 1500),
            opt.text(12, "vm-1"),
            opt.parameter_request(1, 3, 119),
            opt.classless_routes(("10.0.0.0/8", "1.1.1.1")),
        ],
    )
    text = show(on_ethernet(message))
    assert "Request from 00:11:22:33:44:55, length 300" in text
    assert "DHCP-Message (53), length 1: Request\n" in text
    assert "Domain-Name-Server (6), length 8: 1.1.1.2,8.8.8.8\n" in text
    assert "Lease-Time (51), length 4: 3600\n" in text
    assert "MSZ (57), length 2: 1500\n" in text
    assert 'Hostname (12), length 4: "vm-1"\n' in text
    assert "Subnet-Mask (1), Default-Gateway (3), Unknown (119)\n" in text
    assert "length 6: (10.0.0.0/8:1.1.1.1)\n" in text


def test_tcpdump_sees_a_broken_cookie(show: Show) -> None:
    message = Bootp(chaddr=MAC, cookie=b"\x01\x02\x03\x04")
    assert "\t  Vendor-#0x1020304" in show(on_ethernet(message))


def test_tcpdump_sees_a_lying_option_length(show: Show) -> None:
    raw = MAGIC_COOKIE + opt.option_bytes(12, b"abc", length=200)
    text = show(on_ethernet(Bootp(chaddr=MAC, raw_options=raw, min_length=0)))
    assert "Hostname (12), length 200: " in text
    assert "[|bootp]" in text
