from rules.message.build import CLIENT, XID, MakeSeen, Run

from dhcpcheck.rules.base import Hit
from dhcpcheck.rules.message.text_trailing_nul import RULE
from dhcpcheck.transactions.model import Seen


def test_fires_on_a_host_name_ending_in_nul(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(3, options=((12, b"host\x00"),), frame=3)) == [
        Hit(
            "option 12 text ends in a nul byte",
            frames=(3,),
            xid=XID,
            client=CLIENT,
            option=12,
        )
    ]


def test_judges_the_joined_value(seen: MakeSeen, run: Run) -> None:
    split = seen(3, options=((15, b"exam\x00"), (15, b"ple.org")))
    ends = seen(3, options=((15, b"example"), (15, b".org\x00")))
    assert run(RULE, split) == []
    assert [hit.option for hit in run(RULE, ends)] == [15]


def test_only_text_options(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(3, options=((43, b"\x01\x00"), (61, b"\x00ab\x00")))) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
