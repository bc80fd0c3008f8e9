"""The BOOTP/DHCP decoder: fields, options, RFC 3396 joins and every defect."""

from ipaddress import IPv4Address

import pytest

from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.decode.bootp import Area, ProblemKind, decode_bootp

OFFER = Bootp(
    op=2,
    xid=0x6265AB6D,
    secs=3,
    flags=0x8000,
    yiaddr="1.1.1.13",
    siaddr="1.1.1.2",
    chaddr="fa:16:3e:d6:62:84",
    options=((53, b"\x02"), (54, bytes([1, 1, 1, 2])), (12, b"host-1-1-1-13")),
)


def kinds(payload: bytes) -> list[ProblemKind]:
    message = decode_bootp(payload)
    assert message is not None
    return [problem.kind for problem in message.problems]


def test_fields_are_named_and_typed_as_rfc_2131() -> None:
    message = decode_bootp(OFFER.encode())
    assert message is not None
    assert (message.op, message.htype, message.hlen) == (2, 1, 6)
    assert (message.xid, message.secs, message.broadcast) == (0x6265AB6D, 3, True)
    assert message.yiaddr == IPv4Address("1.1.1.13")
    assert message.siaddr == IPv4Address("1.1.1.2")
    assert message.client_mac == "fa:16:3e:d6:62:84"
    assert message.message_type == 2
    assert message.value(12) == b"host-1-1-1-13"
    assert [option.code for option in message.options] == [53, 54, 12]
    assert message.problems == ()
    assert not message.cut


def test_duplicates_are_kept_in_order_and_joined_per_rfc_3396() -> None:
    payload = Bootp(options=((12, b"ab"), (53, b"\x01"), (12, b"cd"))).encode()
    message = decode_bootp(payload)
    assert message is not None
    assert [option.code for option in message.options] == [12, 53, 12]
    assert message.value(12) == b"abcd"
    assert message.value(99) is None


def test_overload_reads_options_from_file_then_sname() -> None:
    file_area = bytes([15, 3]) + b"lab" + b"\xff"
    sname_area = bytes([12, 2]) + b"vm" + b"\xff"
    payload = Bootp(
        options=((53, b"\x02"), (52, b"\x03")), file=file_area, sname=sname_area
    ).encode()
    message = decode_bootp(payload)
    assert message is not None
    assert [(o.code, o.area) for o in message.options] == [
        (53, Area.OPTIONS),
        (52, Area.OPTIONS),
        (15, Area.FILE),
        (12, Area.SNAME),
    ]
    assert message.problems == ()


def test_bad_overload_value_is_a_problem_and_file_stays_a_file() -> None:
    payload = Bootp(options=((52, b"\x07"),), file=b"\x0f\x01x\xff").encode()
    message = decode_bootp(payload)
    assert message is not None
    assert [o.code for o in message.options] == [52]
    assert kinds(payload) == [ProblemKind.BAD_OVERLOAD]


def test_bad_cookie_keeps_header_and_skips_options() -> None:
    payload = Bootp(cookie=b"\xde\xad\xbe\xef", options=((53, b"\x01"),)).encode()
    message = decode_bootp(payload)
    assert message is not None
    assert message.options == ()
    assert message.cookie == b"\xde\xad\xbe\xef"
    assert kinds(payload) == [ProblemKind.BAD_COOKIE]


def test_missing_end_is_a_problem() -> None:
    payload = Bootp(options=((53, b"\x01"),), end=False, min_length=0).encode()
    assert kinds(payload) == [ProblemKind.MISSING_END]


def test_option_running_past_the_end_says_what_was_lost() -> None:
    payload = Bootp(raw_options=b"\x63\x82\x53\x63\x0c\x09abcd", min_length=0)
    message = decode_bootp(payload.encode())
    assert message is not None
    (option,) = message.options
    assert (option.code, option.length, option.data) == (12, 9, b"abcd")
    assert option.truncated
    (problem,) = message.problems
    assert problem.kind is ProblemKind.OPTION_TRUNCATED
    assert problem.detail == "option 12 truncated: 9 bytes declared, 4 present"


def test_capture_cut_is_told_apart_from_a_short_message() -> None:
    payload = OFFER.encode()
    message = decode_bootp(payload[:250], wire_size=len(payload))
    assert message is not None
    assert message.cut
    assert message.size == 250


@pytest.mark.parametrize("cut", range(len(OFFER.encode()) + 1))
def test_every_truncation_decodes_without_raising(cut: int) -> None:
    payload = OFFER.encode()[:cut]
    message = decode_bootp(payload)
    if cut < 8:
        assert message is None
        return
    assert message is not None
    assert message.xid == 0x6265AB6D
    if cut < 236:
        assert message.problems[0].kind is ProblemKind.TRUNCATED_HEADER
    assert all(len(o.data) <= o.length for o in message.options)


def test_trailing_bytes_after_end_are_ignored() -> None:
    payload = OFFER.encode() + b"\x01\x02\x03"
    message = decode_bootp(payload)
    assert message is not None
    assert message.problems == ()
    assert message.size == len(payload)
