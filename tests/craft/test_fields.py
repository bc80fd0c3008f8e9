from ipaddress import IPv4Address

import pytest

from dhcpcheck.craft.fields import fit, pack_address, pack_mac, pack_text


def test_address_from_text_or_object() -> None:
    assert pack_address("192.0.2.1") == b"\xc0\x00\x02\x01"
    assert pack_address(IPv4Address("10.0.0.255")) == b"\x0a\x00\x00\xff"


def test_mac_from_text_or_bytes() -> None:
    assert pack_mac("fa:16:3e:d6:62:84") == bytes.fromhex("fa163ed66284")
    assert pack_mac(b"\x01\x02") == b"\x01\x02"


def test_text_is_utf8_and_bytes_pass() -> None:
    assert pack_text("é") == b"\xc3\xa9"
    assert pack_text(b"\xff\x00") == b"\xff\x00"


def test_fit_pads_and_refuses_overflow() -> None:
    assert fit(b"ab", 4, "x") == b"ab\x00\x00"
    with pytest.raises(ValueError, match="sname is 65 bytes, the field holds 64"):
        fit(bytes(65), 64, "sname")
