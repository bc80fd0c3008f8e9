"""client-id-not-echoed: RFC 6842 echo of option 61 in every reply."""

from ipaddress import IPv4Address

from rules.transaction.build import (
    MT,
    SERVER,
    Messages,
    dora,
    found,
    one,
    requested,
    run,
    server_id,
)

from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.transaction.client_id_not_echoed import RULE

CLIENT_ID = (61, bytes.fromhex("0100005e005310"))


def test_missing_in_offer_and_ack_is_a_warning_each(seen: Messages) -> None:
    txn = one(dora(seen, request=[CLIENT_ID]))
    offer, ack = run(RULE, txn)
    assert offer.message == "offer without option 61 (client sent 0100005e005310)"
    assert (offer.frames, offer.server, offer.option) == (
        (2, 1),
        IPv4Address(SERVER),
        None,
    )
    assert offer.severity is None
    assert ack.message == "ack without option 61 (client sent 0100005e005310)"
    assert ack.frames == (4, 3)


def test_altered_is_an_error(seen: Messages) -> None:
    altered = (61, bytes.fromhex("0100005e005311"))
    txn = one(
        [
            seen(0, MT.REQUEST, options=[requested(), CLIENT_ID]),
            seen(0.01, MT.NAK, options=[server_id(), altered]),
        ]
    )
    (hit,) = run(RULE, txn)
    assert hit.message == "nak option 61 0100005e005311 (client sent 0100005e005310)"
    assert (hit.severity, hit.option) == (Severity.ERROR, 61)


def test_echoed_or_never_sent_is_silent(seen: Messages) -> None:
    echoed = dora(seen, request=[CLIENT_ID], offer=[CLIENT_ID], ack=[CLIENT_ID])
    assert run(RULE, one(echoed)) == []
    assert run(RULE, one(dora(seen))) == []


def test_samples() -> None:
    assert found("openstack-dora.pcap", RULE.code) == []
    # dnsmasq 2.90 does not echo udhcpc's client identifier (RFC 2131 era)
    assert found("lab/dora-dnsmasq-udhcpc.pcap", RULE.code) == [
        "offer without option 61 (client sent 0100005e005310)",
        "offer without option 61 (client sent 0100005e005310)",
        "ack without option 61 (client sent 0100005e005310)",
    ]
