"""offer-not-taken: OFFERs with no REQUEST at all; losing OFFERs are normal."""

from ipaddress import IPv4Address

from rules.transaction.build import (
    ADDRESS,
    MT,
    OTHER,
    SERVER,
    Messages,
    dora,
    found,
    one,
    run,
    server_id,
    track,
)

from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.transaction.offer_not_taken import RULE
from dhcpcheck.transactions.model import Seen


def offer(seen: Messages, time: float, server: str = SERVER, **fields: object) -> Seen:
    return seen(time, MT.OFFER, options=[server_id(server)], src=server, **fields)


def test_unicast_offers_the_client_never_took(seen: Messages) -> None:
    messages = [
        seen(0, MT.DISCOVER),
        offer(seen, 0.01, dst=ADDRESS, yiaddr=ADDRESS),
        seen(4, MT.DISCOVER, secs=4),
        offer(seen, 4.01, dst=ADDRESS, yiaddr=ADDRESS),
    ]
    txn = track([*messages, seen(100, MT.DISCOVER, xid=1)])[0]
    (hit,) = run(RULE, txn)
    assert hit.message == f"no request after 2 offers ({ADDRESS} from {SERVER})"
    assert hit.frames == (2, 4)
    assert hit.server == IPv4Address(SERVER)
    assert RULE.severity is Severity.INFO


def test_each_server_and_address_is_named_once(seen: Messages) -> None:
    messages = [
        seen(0, MT.DISCOVER),
        offer(seen, 0.01, yiaddr=ADDRESS),
        offer(seen, 0.02, server=OTHER, yiaddr="192.0.2.200"),
    ]
    txn = track([*messages, seen(100, MT.DISCOVER, xid=1)])[0]
    (hit,) = run(RULE, txn)
    assert hit.message == (
        f"no request after 2 offers ({ADDRESS} from {SERVER}, 192.0.2.200 from {OTHER})"
    )


def test_losing_offer_and_ipv6_only_offer_are_normal(seen: Messages) -> None:
    losing = dora(seen)
    losing.insert(1, offer(seen, 0.005, server=OTHER, yiaddr="192.0.2.200"))
    assert run(RULE, one(losing)) == []
    v6only = [
        seen(0, MT.DISCOVER),
        seen(0.01, MT.OFFER, options=[server_id(), (108, bytes(4))]),
    ]
    txn = track([*v6only, seen(100, MT.DISCOVER, xid=1)])[0]
    assert run(RULE, txn) == []


def test_samples() -> None:
    for sample in ("openstack-dora.pcap", "lab/two-servers.pcap"):
        assert found(sample, RULE.code) == []
