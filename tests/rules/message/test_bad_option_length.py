from ipaddress import IPv4Address

from rules.message.build import CLIENT, SERVER, XID, MakeSeen, Run

from dhcpcheck.rules.base import Hit
from dhcpcheck.rules.message.bad_option_length import RULE
from dhcpcheck.transactions.model import Seen


def test_fires_on_a_router_list_of_six_bytes(seen: MakeSeen, run: Run) -> None:
    message = seen(2, options=((3, bytes(6)),), frame=5)
    assert run(RULE, message) == [
        Hit(
            "option 3 length 6 (expected a multiple of 4, at least 4)",
            frames=(5,),
            xid=XID,
            client=CLIENT,
            server=IPv4Address(SERVER),
            option=3,
        )
    ]


def test_fixed_and_minimum_lengths(seen: MakeSeen, run: Run) -> None:
    message = seen(1, options=((54, bytes(5)), (61, b"\x01"), (80, b"\x00")))
    assert [hit.message for hit in run(RULE, message)] == [
        "option 54 length 5 (expected 4)",
        "option 61 length 1 (expected at least 2)",
        "option 80 length 1 (expected 0)",
    ]


def test_split_instances_are_judged_joined(seen: MakeSeen, run: Run) -> None:
    halves = seen(2, options=((3, bytes(2)), (6, bytes(4)), (3, bytes(2))))
    broken = seen(2, options=((121, bytes(2)), (121, bytes(2))))
    assert run(RULE, halves) == []
    assert [hit.message for hit in run(RULE, broken)] == [
        "option 121 length 4 in 2 instances (expected at least 5)"
    ]


def test_leaves_whole_repeats_to_duplicate_option(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(2, options=((53, b"\x02"),))) == []


def test_leaves_cut_options_to_option_truncated(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(2, options=((54, bytes(4)),), snap=246)) == []


def test_unknown_codes_take_any_length(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(1, options=((224, b""), (230, bytes(7))))) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
