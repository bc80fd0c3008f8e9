"""reply-to-decline-or-release: DECLINE and RELEASE have no answer."""

from ipaddress import IPv4Address

from rules.transaction.build import (
    ADDRESS,
    MT,
    SERVER,
    Messages,
    found,
    one,
    requested,
    run,
    server_id,
)

from dhcpcheck.rules.transaction.reply_to_decline_or_release import RULE


def test_ack_after_release(seen: Messages) -> None:
    release = seen(0, MT.RELEASE, options=[server_id()], ciaddr=ADDRESS, dst=SERVER)
    txn = one([release, seen(0.01, MT.ACK, options=[server_id()], dst=ADDRESS)])
    (hit,) = run(RULE, txn)
    assert hit.message == "ack after release (no reply expected)"
    assert (hit.frames, hit.server) == ((2, 1), IPv4Address(SERVER))


def test_each_reply_after_a_decline_counts(seen: Messages) -> None:
    decline = seen(0, MT.DECLINE, options=[server_id(), requested()])
    txn = one([decline, seen(0.01, MT.NAK), seen(0.02, None, op=2)])
    assert [hit.message for hit in run(RULE, txn)] == [
        "nak after decline (no reply expected)",
        "bootp after decline (no reply expected)",
    ]


def test_silent_without_reply_or_without_decline(seen: Messages) -> None:
    release = seen(0, MT.RELEASE, options=[server_id()], ciaddr=ADDRESS)
    assert run(RULE, one([release])) == []
    offered = [seen(0, MT.DISCOVER), seen(0.01, MT.OFFER, options=[server_id()])]
    assert run(RULE, one(offered)) == []


def test_samples() -> None:
    for sample in ("lab/decline.pcap", "lab/release.pcap"):
        assert found(sample, RULE.code) == []
