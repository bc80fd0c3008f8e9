"""Structured option values: each format, and each way it can be wrong."""

from ipaddress import IPv4Address

import pytest

from dhcpcheck.decode import values
from dhcpcheck.decode.values import ValueFormatError


def test_client_identifier_splits_type_from_identifier() -> None:
    ident = values.client_identifier(bytes.fromhex("01fa163ed66284"))
    assert ident.type == 1
    assert ident.identifier.hex(":") == "fa:16:3e:d6:62:84"


def test_client_identifier_needs_two_bytes() -> None:
    with pytest.raises(ValueFormatError, match="min 2"):
        values.client_identifier(b"\x01")


def test_relay_agent_suboptions() -> None:
    data = b"\x01\x04eth0\x02\x02\xaa\xbb"
    subs = values.suboptions(data)
    assert [(s.code, s.data) for s in subs] == [(1, b"eth0"), (2, b"\xaa\xbb")]


@pytest.mark.parametrize("data", [b"\x01", b"\x01\x05abc"])
def test_suboption_truncation_is_named(data: bytes) -> None:
    with pytest.raises(ValueFormatError, match="sub-option"):
        values.suboptions(data)


def test_classless_routes_of_the_seed_offer() -> None:
    data = bytes([32, 169, 254, 169, 254, 1, 1, 1, 2, 0, 1, 1, 1, 1])
    routes = values.classless_routes(data)
    assert [(str(r.destination), str(r.router)) for r in routes] == [
        ("169.254.169.254/32", "1.1.1.2"),
        ("0.0.0.0/0", "1.1.1.1"),
    ]


def test_classless_route_host_bits_are_masked_as_a_client_would() -> None:
    (route,) = values.classless_routes(bytes([4, 0x1F, 1, 1, 1, 1]))
    assert str(route.destination) == "16.0.0.0/4"


@pytest.mark.parametrize(
    ("data", "problem"),
    [(bytes([33, 1, 2, 3, 4, 5, 6, 7, 8, 9]), "max 32"), (bytes([24, 10]), "trunc")],
)
def test_classless_route_errors(data: bytes, problem: str) -> None:
    with pytest.raises(ValueFormatError, match=problem):
        values.classless_routes(data)


def test_user_classes_and_their_errors() -> None:
    assert values.user_classes(b"\x03abc\x01d") == (b"abc", b"d")
    with pytest.raises(ValueFormatError):
        values.user_classes(b"\x00")
    with pytest.raises(ValueFormatError):
        values.user_classes(b"\x05ab")


def test_client_fqdn() -> None:
    fqdn = values.client_fqdn(b"\x05\x00\x00\x04host\x00")
    assert (fqdn.flags, fqdn.name) == (5, b"\x04host\x00")
    with pytest.raises(ValueFormatError):
        values.client_fqdn(b"\x01\x00")


def test_vendor_blocks() -> None:
    data = (4491).to_bytes(4) + b"\x02\xaa\xbb" + (9).to_bytes(4) + b"\x00"
    blocks = values.vendor_blocks(data)
    assert [(b.enterprise, b.data) for b in blocks] == [(4491, b"\xaa\xbb"), (9, b"")]
    with pytest.raises(ValueFormatError):
        values.vendor_blocks(data[:-1] + b"\x05")


def test_addresses_and_unsigned() -> None:
    assert values.addresses(bytes([1, 1, 1, 2, 8, 8, 8, 8])) == (
        IPv4Address("1.1.1.2"),
        IPv4Address("8.8.8.8"),
    )
    with pytest.raises(ValueFormatError):
        values.addresses(b"\x01\x02\x03")
    assert values.unsigned(b"\x00\x01\x51\x80", 4) == 86400
    with pytest.raises(ValueFormatError, match="expected 4"):
        values.unsigned(b"\x00\x01", 4)
