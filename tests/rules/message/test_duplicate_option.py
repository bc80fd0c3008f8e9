from ipaddress import IPv4Address

from rules.message.build import CLIENT, SERVER, XID, MakeSeen, Run

from dhcpcheck.craft.bootp import MAGIC_COOKIE, Bootp
from dhcpcheck.craft.options import option_bytes
from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.rules.message.duplicate_option import RULE
from dhcpcheck.transactions.model import Seen

SERVER_1 = (54, bytes([192, 0, 2, 1]))
SERVER_2 = (54, bytes([192, 0, 2, 2]))
DNS_1 = (6, bytes([192, 0, 2, 53]))
DNS_2 = (6, bytes([192, 0, 2, 54]))


def test_fires_on_a_repeated_fixed_length_option(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(5, options=(SERVER_1, SERVER_2), frame=8)) == [
        Hit(
            "option 54 repeated: 2 instances (joined length 8, expected 4)",
            frames=(8,),
            xid=XID,
            client=CLIENT,
            server=IPv4Address(SERVER),  # no single server id: the IP source
            option=54,
        )
    ]


def test_a_repeated_message_type_is_an_error(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, seen(1, options=((53, b"\x03"),)))
    assert [(hit.message, hit.severity) for hit in hits] == [
        ("option 53 repeated: 2 instances (joined length 2, expected 1)", None)
    ]


def test_a_needless_split_is_info(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, seen(5, options=(DNS_1, SERVER_1, DNS_2)))
    assert [(hit.message, hit.severity, hit.option) for hit in hits] == [
        ("option 6 split into 2 instances (8 bytes fit in one)", Severity.INFO, 6)
    ]


def test_needless_splits_can_be_left_out(seen: MakeSeen, run: Run) -> None:
    message = seen(5, options=(DNS_1, DNS_2))
    assert run(RULE, message, {"needless-splits": False}) == []


def test_silent_on_a_long_option_split_as_rfc_3396_says(
    seen: MakeSeen, run: Run
) -> None:
    names = (119, bytes(255)), (119, bytes(45))
    assert run(RULE, seen(5, options=names)) == []


def test_silent_on_a_split_across_overloaded_fields(seen: MakeSeen, run: Run) -> None:
    area = MAGIC_COOKIE + option_bytes(53, b"\x05") + option_bytes(52, b"\x01")
    area += option_bytes(*DNS_1) + b"\xff"
    file = option_bytes(*DNS_2) + b"\xff"
    payload = Bootp(op=2, xid=XID, chaddr=CLIENT, file=file, raw_options=area).encode()
    assert run(RULE, seen(5, payload=payload)) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
