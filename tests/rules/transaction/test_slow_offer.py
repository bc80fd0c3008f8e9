"""slow-offer: first DISCOVER to first OFFER against the threshold."""

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
)

from dhcpcheck.rules.transaction.slow_offer import RULE
from dhcpcheck.transactions.model import Seen


def offer(seen: Messages, time: float, server: str = SERVER) -> Seen:
    return seen(time, MT.OFFER, options=[server_id(server)], src=server, yiaddr=ADDRESS)


def test_offer_after_the_threshold(seen: Messages) -> None:
    txn = one([seen(0, MT.DISCOVER), offer(seen, 2.4)])
    assert run(RULE, txn) == []  # the default, 4 s, allows a probing server
    (hit,) = run(RULE, txn, {"threshold": 1.0})
    assert hit.message == "offer after 2.4 s (threshold 1.0 s)"
    assert (hit.frames, hit.server) == ((2, 1), IPv4Address(SERVER))


def test_resent_discovers_are_counted_and_framed(seen: Messages) -> None:
    messages = [seen(0, MT.DISCOVER), seen(4, MT.DISCOVER, secs=4), offer(seen, 4.5)]
    (hit,) = run(RULE, one(messages))
    assert hit.message == "offer after 4.5 s and 2 discovers (threshold 4.0 s)"
    assert hit.frames == (3, 1, 2)


def test_only_the_first_offer_counts(seen: Messages) -> None:
    messages = [seen(0, MT.DISCOVER), offer(seen, 0.2), offer(seen, 3.0, OTHER)]
    assert run(RULE, one(messages)) == []


def test_threshold_setting_and_precision_near_it(seen: Messages) -> None:
    txn = one([seen(0, MT.DISCOVER), offer(seen, 3.005)])
    assert run(RULE, txn, {"threshold": 4.0}) == []
    (hit,) = run(RULE, txn, {"threshold": 3.0})
    assert hit.message == "offer after 3.005 s (threshold 3.0 s)"


def test_samples() -> None:
    assert found("openstack-dora.pcap", RULE.code) == []
    assert found("lab/dora-kea-dhclient.pcap", RULE.code) == []
    # dnsmasq pings the address before offering it (RFC 2131 section 2.2):
    # about 3 s, under the default threshold.
    assert found("lab/dora-dnsmasq-dhcpcd.pcap", RULE.code) == []


def test_clean_exchange(seen: Messages) -> None:
    assert run(RULE, one(dora(seen))) == []
