from rules.message.build import CLIENT, XID, MakeSeen, Run

from dhcpcheck.rules.base import Hit
from dhcpcheck.rules.message.too_many_hops import RULE
from dhcpcheck.transactions.model import Seen


def relayed(seen: MakeSeen, hops: int) -> Seen:
    return seen(1, hops=hops, giaddr="198.51.100.1", sport=67, frame=5)


def test_fires_above_sixteen(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, relayed(seen, 17)) == [
        Hit(
            "hops 17 (relays drop requests above 16)",
            frames=(5,),
            xid=XID,
            client=CLIENT,
            field="hops",
        )
    ]
    assert run(RULE, relayed(seen, 16)) == []


def test_honours_max_hops(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, relayed(seen, 5), {"max-hops": 4})
    assert [hit.message for hit in hits] == ["hops 5 (relays drop requests above 4)"]


def test_silent_on_replies(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(5, hops=20)) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
