from ipaddress import IPv4Address

from rules.message.build import CLIENT, SERVER, XID, MakeSeen, Run

from dhcpcheck.rules.base import Hit
from dhcpcheck.rules.message.mask_after_router import RULE
from dhcpcheck.transactions.model import Seen

MASK = (1, bytes([255, 255, 255, 0]))
ROUTER = (3, bytes([192, 0, 2, 1]))


def test_fires_when_the_router_comes_first(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(5, options=((51, bytes(4)), ROUTER, MASK), frame=4)) == [
        Hit(
            "subnet mask after router (option 1 is option #4, option 3 #3)",
            frames=(4,),
            xid=XID,
            client=CLIENT,
            server=IPv4Address(SERVER),
            option=1,
        )
    ]


def test_silent_in_the_right_order_or_with_one_of_them(
    seen: MakeSeen, run: Run
) -> None:
    assert run(RULE, seen(5, options=(MASK, ROUTER))) == []
    assert run(RULE, seen(5, options=(ROUTER,))) == []


def test_silent_on_client_messages(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(3, options=(ROUTER, MASK))) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
