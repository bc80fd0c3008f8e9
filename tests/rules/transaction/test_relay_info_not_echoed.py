"""relay-info-not-echoed: option 82 back to the relay, on the relay leg only."""

from ipaddress import IPv4Address

from rules.transaction.build import (
    ADDRESS,
    MT,
    SERVER,
    Messages,
    found,
    one,
    run,
    server_id,
)

from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.transaction.relay_info_not_echoed import RULE

RELAY = "192.0.2.254"
CIRCUIT = (82, bytes.fromhex("010465746830"))  # circuit-id "eth0"
LEG = {"relayed": True, "giaddr": RELAY}


def test_offer_to_relay_without_option_82(seen: Messages) -> None:
    txn = one(
        [
            seen(0, MT.DISCOVER, options=[CIRCUIT], src=RELAY, dst=SERVER, **LEG),
            seen(0.01, MT.OFFER, options=[server_id()], dst=RELAY, **LEG),
        ]
    )
    (hit,) = run(RULE, txn)
    assert hit.message == "offer to relay without option 82 (relay sent 010465746830)"
    assert (hit.frames, hit.server, hit.severity) == ((2, 1), IPv4Address(SERVER), None)


def test_altered_option_82_is_an_error(seen: Messages) -> None:
    changed = (82, bytes.fromhex("010465746831"))
    txn = one(
        [
            seen(0, MT.REQUEST, options=[CIRCUIT], src=RELAY, dst=SERVER, **LEG),
            seen(0.01, MT.ACK, options=[server_id(), changed], dst=RELAY, **LEG),
        ]
    )
    (hit,) = run(RULE, txn)
    assert hit.message == "ack option 82 010465746831 (relay sent 010465746830)"
    assert (hit.severity, hit.option) == (Severity.ERROR, 82)


def test_both_legs_seen_only_the_relay_leg_counts(seen: Messages) -> None:
    txn = one(
        [
            seen(0, MT.DISCOVER),
            seen(0.001, MT.DISCOVER, options=[CIRCUIT], src=RELAY, dst=SERVER, **LEG),
            seen(0.01, MT.OFFER, options=[server_id(), CIRCUIT], dst=RELAY, **LEG),
            seen(0.011, MT.OFFER, options=[server_id()], src=RELAY, dst=ADDRESS,
                 giaddr=RELAY),
        ]
    )  # fmt: skip
    assert txn.steps[1].copy_of == 0 and txn.steps[3].copy_of == 2
    assert run(RULE, txn) == []


def test_samples() -> None:
    for sample in ("lab/relay-server-side.pcap", "lab/relay-client-side.pcap"):
        assert found(sample, RULE.code) == []
