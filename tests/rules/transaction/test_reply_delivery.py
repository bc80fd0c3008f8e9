"""reply-delivery: RFC 2131 section 4.1's destination for each reply."""

from ipaddress import IPv4Address

import pytest
from rules.transaction.build import (
    ADDRESS,
    BROADCAST,
    MT,
    SERVER,
    Messages,
    found,
    one,
    requested,
    run,
    server_id,
)

from dhcpcheck.craft.options import addresses
from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.transaction.reply_delivery import RULE

RELAY = "198.51.100.1"
MASK = addresses(1, "255.255.255.0")
B = 0x8000

# (client message fields, reply type, reply fields, expected message, severity,
# field); every reply has option 54 and option 1 (255.255.255.0).
CASES = [
    ({}, MT.OFFER, {"dst": ADDRESS}, None, None, None),
    ({"flags": B}, MT.OFFER, {"dst": BROADCAST}, None, None, None),
    (
        {"flags": B},
        MT.OFFER,
        {"dst": ADDRESS},
        f"offer sent to {ADDRESS}:68 (expected {BROADCAST}:68, broadcast bit set)",
        Severity.WARNING,
        "flags",
    ),
    (
        {"flags": B},
        MT.ACK,
        {"dst": "192.0.2.255"},
        f"ack sent to 192.0.2.255:68 (expected {BROADCAST}:68, broadcast bit set)",
        Severity.INFO,
        "flags",
    ),
    (
        {},
        MT.OFFER,
        {"dst": BROADCAST},
        f"offer sent to {BROADCAST}:68 (expected {ADDRESS}:68, broadcast bit clear)",
        Severity.INFO,
        "flags",
    ),
    (
        {},
        MT.OFFER,
        {"dst": "192.0.2.9"},
        f"offer sent to 192.0.2.9:68 (expected {ADDRESS}:68, broadcast bit clear)",
        Severity.WARNING,
        "flags",
    ),
    (
        {"ciaddr": ADDRESS, "flags": B},
        MT.ACK,
        {"dst": BROADCAST},
        f"ack sent to {BROADCAST}:68 (expected {ADDRESS}:68, client's ciaddr)",
        Severity.WARNING,
        "ciaddr",
    ),
    (
        {},
        MT.NAK,
        {"dst": ADDRESS},
        f"nak sent to {ADDRESS}:68 (expected {BROADCAST}:68, naks are broadcast)",
        Severity.ERROR,
        None,
    ),
    (
        {},
        MT.OFFER,
        {"dst": ADDRESS, "dport": 67},
        f"offer sent to {ADDRESS}:67 (expected {ADDRESS}:68, broadcast bit clear)",
        Severity.ERROR,
        "flags",
    ),
    ({"giaddr": RELAY}, MT.OFFER, {"dst": RELAY, "relayed": True}, None, None, None),
    (
        {"giaddr": RELAY},
        MT.OFFER,
        {"dst": "198.51.100.7", "relayed": True},
        f"offer sent to 198.51.100.7:67 (expected {RELAY}:67, relay in giaddr)",
        Severity.ERROR,
        "giaddr",
    ),
    # the relay's own delivery on the client's segment: giaddr set, port 68
    ({"giaddr": RELAY}, MT.OFFER, {"dst": ADDRESS, "src": RELAY}, None, None, None),
    (
        {},
        MT.OFFER,
        {"dst": ADDRESS, "yiaddr": "0.0.0.0"},
        f"offer sent to {ADDRESS}:68 (expected {BROADCAST}:68, no yiaddr)",
        Severity.WARNING,
        "yiaddr",
    ),
]


@pytest.mark.parametrize(
    ("asked", "kind", "reply", "message", "severity", "field"), CASES
)
def test_destinations(
    seen: Messages,
    asked: dict[str, object],
    kind: MT,
    reply: dict[str, object],
    message: str | None,
    severity: Severity | None,
    field: str | None,
) -> None:
    client_type = MT.DISCOVER if kind is MT.OFFER else MT.REQUEST
    request = seen(0, client_type, options=[requested()], **asked)
    giaddr = asked.get("giaddr", "0.0.0.0")
    fields = {"yiaddr": "0.0.0.0" if kind is MT.NAK else ADDRESS, **reply}
    answer = seen(0.01, kind, options=[server_id(), MASK], giaddr=giaddr, **fields)
    hits = run(RULE, one([request, answer]))
    if message is None:
        assert hits == []
        return
    (hit,) = hits
    assert (hit.message, hit.severity, hit.field) == (message, severity, field)
    # to the client, the request whose flags and ciaddr decided is framed too
    frames = (2,) if reply.get("relayed") else (2, 1)
    assert (hit.frames, hit.server) == (frames, IPv4Address(SERVER))


def test_nak_to_relay_needs_the_broadcast_bit(seen: Messages) -> None:
    leg = {"relayed": True, "giaddr": RELAY}
    txn = one(
        [
            seen(0, MT.REQUEST, options=[requested()], src=RELAY, dst=SERVER, **leg),
            seen(0.01, MT.NAK, options=[server_id()], dst=RELAY, **leg),
        ]
    )
    (hit,) = run(RULE, txn)
    assert hit.message == "nak to relay with broadcast bit clear (flags 0x0000)"
    assert (hit.severity, hit.field, hit.frames) == (Severity.ERROR, "flags", (2,))


def test_the_clients_flags_count_not_the_reply_copy(seen: Messages) -> None:
    txn = one(
        [
            seen(0, MT.DISCOVER, flags=B),
            seen(0.01, MT.OFFER, options=[server_id()], yiaddr=ADDRESS, dst=BROADCAST),
        ]
    )
    assert run(RULE, txn) == []


def test_samples() -> None:
    for sample in (
        "openstack-dora.pcap",
        "lab/nak.pcap",
        "lab/inform.pcap",
        "lab/renew.pcap",
        "lab/rebind.pcap",
        "lab/relay-client-side.pcap",
        "lab/relay-server-side.pcap",
    ):
        assert found(sample, RULE.code) == [], sample
