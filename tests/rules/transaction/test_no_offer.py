"""no-offer: unanswered DISCOVERs, judged after the tracker closes them."""

from rules.transaction.build import (
    MT,
    Messages,
    dora,
    found,
    one,
    run,
    server_id,
    track,
)

from dhcpcheck.rules.transaction.no_offer import RULE
from dhcpcheck.transactions.model import Outcome


def test_discovers_without_offer_are_one_hit_naming_them_all(seen: Messages) -> None:
    discovers = [seen(0, MT.DISCOVER), seen(4.1, MT.DISCOVER, secs=4)]
    discovers.append(seen(12.0, MT.DISCOVER, secs=12))
    later = seen(200, MT.DISCOVER, xid=1)  # closes the first by idle time
    txn = track([*discovers, later])[0]
    assert txn.outcome is Outcome.NO_OFFER
    (hit,) = run(RULE, txn)
    assert hit.message == "no offer to 3 discovers over 12.0 s"
    assert hit.frames == (1, 2, 3)
    assert (hit.xid, hit.client, hit.server) == (0x6265AB6D, "fa:16:3e:d6:62:84", None)


def test_a_single_unanswered_discover(seen: Messages) -> None:
    txn = track([seen(0, MT.DISCOVER), seen(100, MT.DISCOVER, xid=1)])[0]
    assert [hit.message for hit in run(RULE, txn)] == ["no offer to discover"]


def test_cut_off_counts_only_once_the_client_has_resent(seen: Messages) -> None:
    alone = one([seen(0, MT.DISCOVER)])
    assert alone.outcome is Outcome.CUT_OFF
    assert run(RULE, alone) == []
    resent = one([seen(0, MT.DISCOVER), seen(2, MT.DISCOVER, secs=2)])
    assert resent.outcome is Outcome.CUT_OFF
    (hit,) = run(RULE, resent)
    assert hit.message == "no offer to 2 discovers over 2.0 s before the capture ended"


def test_silent_when_offered_or_rapid_committed(seen: Messages) -> None:
    offered = [seen(0, MT.DISCOVER), seen(0.1, MT.OFFER, options=[server_id()])]
    assert run(RULE, one(offered)) == []
    rapid = [
        seen(0, MT.DISCOVER, options=[(80, b"")]),
        seen(0.1, MT.ACK, options=[server_id(), (80, b"")], yiaddr="192.0.2.107"),
    ]
    assert run(RULE, one(rapid)) == []
    assert run(RULE, one(dora(seen))) == []


def test_samples() -> None:
    assert found("openstack-dora.pcap", RULE.code) == []
    (no_server,) = found("lab/no-server.pcap", RULE.code)  # recorded, may vary
    assert no_server.startswith("no offer to ")
