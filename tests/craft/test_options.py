import pytest

from dhcpcheck.craft import options as opt
from dhcpcheck.decode.options import MessageType, OptionCode


def test_pad_and_end_are_one_byte() -> None:
    assert opt.option_bytes(OptionCode.PAD, b"") == b"\x00"
    assert opt.option_bytes(OptionCode.END, b"") == b"\xff"


def test_declared_length_can_lie() -> None:
    assert opt.option_bytes(12, b"abc", length=9) == b"\x0c\x09abc"
    assert opt.option_bytes(OptionCode.END, b"", length=0) == b"\xff\x00"


def test_options_keep_order_and_duplicates_then_end() -> None:
    options = [(12, b"a"), (0, b""), (12, b"b")]
    assert opt.encode_options(options) == b"\x0c\x01a\x00\x0c\x01b\xff"
    assert opt.encode_options(options, end=False) == b"\x0c\x01a\x00\x0c\x01b"


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (opt.message_type(MessageType.ACK), (53, b"\x05")),
        (opt.addresses(6, "1.1.1.2", "8.8.8.8"), (6, bytes([1, 1, 1, 2, 8, 8, 8, 8]))),
        (opt.uint32(51, 86400), (51, b"\x00\x01\x51\x80")),
        (opt.uint16(26, 1450), (26, b"\x05\xaa")),
        (opt.text(12, "host-1"), (12, b"host-1")),
        (opt.parameter_request(1, 3, 119), (55, b"\x01\x03\x77")),
    ],
)
def test_helpers_encode_values(option: opt.Option, expected: opt.Option) -> None:
    assert option == expected


def test_classless_routes_keep_significant_octets_only() -> None:
    code, value = opt.classless_routes(
        ("169.254.169.254/32", "1.1.1.2"),
        ("10.128.0.0/9", "1.1.1.3"),
        ("0.0.0.0/0", "1.1.1.1"),
    )
    assert code == 121
    assert value == bytes.fromhex(
        "20 a9fea9fe 01010102"  # /32: all four octets
        "09 0a80 01010103"  # /9: two octets
        "00 01010101"  # default route: none
    )


def test_classless_routes_refuse_host_bits() -> None:
    with pytest.raises(ValueError, match="has host bits set"):
        opt.classless_routes(("10.0.0.1/8", "1.1.1.1"))
