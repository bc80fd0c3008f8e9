"""reply-from-unselected-server: ACK or NAK from a server not chosen."""

from ipaddress import IPv4Address

from rules.transaction.build import (
    ADDRESS,
    MT,
    OTHER,
    Messages,
    dora,
    found,
    one,
    requested,
    run,
    server_id,
)

from dhcpcheck.rules.transaction.reply_from_unselected_server import RULE


def test_nak_from_the_other_server(seen: Messages) -> None:
    messages = dora(seen)
    messages.append(seen(0.04, MT.NAK, options=[server_id(OTHER)], src=OTHER))
    (hit,) = run(RULE, one(messages))
    assert hit.message == "nak from 192.0.2.2 (request selected 192.0.2.1)"
    assert (hit.frames, hit.server, hit.option) == ((5, 3), IPv4Address(OTHER), 54)


def test_ack_from_the_other_server(seen: Messages) -> None:
    (hit,) = run(RULE, one(dora(seen, acked_by=OTHER)))
    assert hit.message == "ack from 192.0.2.2 (request selected 192.0.2.1)"
    assert hit.frames == (4, 3)


def test_other_states_and_replies_without_server_id_are_not_judged(
    seen: Messages,
) -> None:
    init_reboot = [
        seen(0, MT.REQUEST, options=[requested()]),
        seen(0.01, MT.ACK, options=[server_id(OTHER)], yiaddr=ADDRESS),
    ]
    assert run(RULE, one(init_reboot)) == []
    no_id = dora(seen)
    no_id[3] = seen(0.03, MT.ACK, yiaddr=ADDRESS, src="192.0.2.254")  # via a relay
    assert run(RULE, one(no_id)) == []
    assert run(RULE, one(dora(seen))) == []


def test_samples() -> None:
    for sample in ("openstack-dora.pcap", "lab/two-servers.pcap"):
        assert found(sample, RULE.code) == []
    # dnsmasq NAKs a REQUEST that selected the other server ("wrong server-ID")
    assert found("lab/two-servers-nak.pcap", RULE.code) == [
        "nak from 192.0.2.1 (request selected 192.0.2.2)"
    ]
