"""slow-ack: each request to its first ACK or NAK against the threshold."""

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
    requested,
    run,
    server_id,
)

from dhcpcheck.rules.transaction.slow_ack import RULE


def test_ack_after_the_threshold(seen: Messages) -> None:
    messages = dora(seen)[:3]
    messages.append(seen(2.42, MT.ACK, options=[server_id()], yiaddr=ADDRESS))
    (hit,) = run(RULE, one(messages))
    assert hit.message == "ack after 2.4 s (threshold 1.0 s)"
    assert (hit.frames, hit.server) == ((5, 3), IPv4Address(SERVER))


def test_measured_from_the_latest_resend(seen: Messages) -> None:
    again = {"options": [requested()]}
    messages = [
        seen(0, MT.REQUEST, **again),
        seen(4, MT.REQUEST, secs=4, **again),
        seen(4.5, MT.NAK, options=[server_id()]),
    ]
    assert run(RULE, one(messages)) == []
    (hit,) = run(RULE, one(messages), {"threshold": 0.2})
    assert hit.message == "nak after 0.5 s (threshold 0.2 s)"
    assert hit.frames == (3, 2)


def test_inform_counts_and_only_the_first_reply(seen: Messages) -> None:
    messages = [
        seen(0, MT.INFORM, ciaddr=ADDRESS, src=ADDRESS),
        seen(1.5, MT.ACK, options=[server_id()], dst=ADDRESS),
        seen(3.0, MT.ACK, options=[server_id(OTHER)], src=OTHER, dst=ADDRESS),
    ]
    (hit,) = run(RULE, one(messages))
    assert hit.message == "ack after 1.5 s (threshold 1.0 s)"


def test_samples() -> None:
    for sample in ("openstack-dora.pcap", "lab/inform.pcap", "lab/renew.pcap"):
        assert found(sample, RULE.code) == []
