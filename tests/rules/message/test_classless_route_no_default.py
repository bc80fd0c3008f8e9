from ipaddress import IPv4Address

from rules.message.build import CLIENT, SERVER, XID, MakeSeen, Run

from dhcpcheck.craft.options import classless_routes
from dhcpcheck.rules.base import Hit
from dhcpcheck.rules.message.classless_route_no_default import RULE
from dhcpcheck.transactions.model import Seen

ROUTER = (3, bytes([192, 0, 2, 1]))
LOCAL_ONLY = classless_routes(("10.0.0.0/8", "192.0.2.254"))
WITH_DEFAULT = classless_routes(("10.0.0.0/8", "192.0.2.254"), ("0.0.0.0/0", SERVER))


def test_fires_when_121_drops_the_default_route(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(5, options=(ROUTER, LOCAL_ONLY), frame=4)) == [
        Hit(
            "option 121 has no default route while option 3 names 192.0.2.1 "
            "(clients that use 121 ignore 3)",
            frames=(4,),
            xid=XID,
            client=CLIENT,
            server=IPv4Address(SERVER),
            option=121,
        )
    ]


def test_silent_with_a_default_route_or_without_option_3(
    seen: MakeSeen, run: Run
) -> None:
    assert run(RULE, seen(5, options=(ROUTER, WITH_DEFAULT))) == []
    assert run(RULE, seen(5, options=(LOCAL_ONLY,))) == []


def test_silent_on_malformed_routes(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(5, options=(ROUTER, (121, b"\x21" + bytes(8))))) == []


def test_silent_on_client_messages(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(3, options=(ROUTER, LOCAL_ONLY))) == []


def test_silent_on_the_seed_dora_which_sends_both(dora: list[Seen], run: Run) -> None:
    offer_codes = [option.code for option in dora[1].message.options]
    assert 3 in offer_codes and 121 in offer_codes
    assert [hit for message in dora for hit in run(RULE, message)] == []
