from ipaddress import IPv4Address

from rules.message.build import CLIENT, XID, MakeSeen, Run

from dhcpcheck.rules.base import Hit
from dhcpcheck.rules.message.op_type_mismatch import RULE
from dhcpcheck.transactions.model import Seen


def test_fires_on_a_discover_sent_as_reply(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(1, op=2, frame=1)) == [
        Hit(
            "DHCPDISCOVER sent as BOOTREPLY (op 2, expected 1)",
            frames=(1,),
            xid=XID,
            client=CLIENT,
            field="op",
        )
    ]


def test_fires_on_an_ack_sent_as_request(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, seen(5, op=1))
    assert [(hit.message, hit.server) for hit in hits] == [
        ("DHCPACK sent as BOOTREQUEST (op 1, expected 2)", IPv4Address("192.0.2.1"))
    ]


def test_fires_on_an_op_that_is_neither(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, seen(3, op=0))
    assert [hit.message for hit in hits] == [
        "op 0 (expected 1 BOOTREQUEST or 2 BOOTREPLY)"
    ]


def test_silent_on_types_either_end_sends_and_on_bootp(
    seen: MakeSeen, run: Run
) -> None:
    assert run(RULE, seen(18, op=1)) == []  # DHCPTLS, RFC 7724
    assert run(RULE, seen(18, op=2)) == []
    assert run(RULE, seen(None, op=2)) == []
    assert run(RULE, seen(99, op=2)) == []  # invalid-option-value's


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
