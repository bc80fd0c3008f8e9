from rules.message.build import CLIENT, XID, MakeSeen, Run

from dhcpcheck.rules.base import Hit
from dhcpcheck.rules.message.chaddr_source_mismatch import RULE
from dhcpcheck.transactions.model import Seen

SPOOFER = "02:00:00:00:00:99"


def test_fires_when_another_station_sends_the_request(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(1, mac_src=SPOOFER, frame=4)) == [
        Hit(
            f"chaddr {CLIENT} not the ethernet source ({SPOOFER})",
            frames=(4,),
            xid=XID,
            client=CLIENT,
            field="chaddr",
        )
    ]


def test_compares_without_regard_to_case(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(1, mac_src=CLIENT.upper())) == []


def test_honours_forwarders(seen: MakeSeen, run: Run) -> None:
    message = seen(1, mac_src=SPOOFER)
    assert run(RULE, message, {"forwarders": [SPOOFER.upper()]}) == []


def test_silent_where_the_source_is_a_relay_or_unknown(
    seen: MakeSeen, run: Run
) -> None:
    relayed = seen(1, mac_src=SPOOFER, giaddr="192.0.2.1", sport=67)
    raw_ip = seen(1, mac_src=None)
    reply = seen(2, mac_src=SPOOFER)
    assert run(RULE, relayed) == run(RULE, raw_ip) == run(RULE, reply) == []


def test_silent_on_unicast_that_a_router_may_have_forwarded(
    seen: MakeSeen, run: Run
) -> None:
    """A RENEWING request from another subnet reaches the server's link with
    the router's MAC as its Ethernet source."""
    leased = "198.51.100.7"
    renewing = seen(3, mac_src=SPOOFER, src=leased, dst="192.0.2.1", ciaddr=leased)
    assert run(RULE, renewing) == []


def test_silent_on_non_ethernet_addresses(seen: MakeSeen, run: Run) -> None:
    message = seen(1, htype=32, hlen=0, chaddr=b"", mac_src=SPOOFER)
    assert run(RULE, message) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
