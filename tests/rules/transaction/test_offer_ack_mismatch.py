"""offer-ack-mismatch: the chosen OFFER against its ACK, option by option."""

from ipaddress import IPv4Address

import pytest
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

from dhcpcheck.craft.options import addresses, text, uint32
from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.transaction.offer_ack_mismatch import RULE


def test_router_changed_between_offer_and_ack(seen: Messages) -> None:
    txn = one(
        dora(
            seen,
            offer=[addresses(1, "255.255.255.0"), addresses(3, SERVER)],
            ack=[addresses(1, "255.255.255.0"), addresses(3, "192.0.2.254")],
        )
    )
    (hit,) = run(RULE, txn)
    assert hit.message == "option 3 (router) 192.0.2.254 in ack (192.0.2.1 in offer)"
    assert (hit.frames, hit.option, hit.server) == ((4, 2), 3, IPv4Address(SERVER))
    assert hit.severity is None


def test_timers_differ_at_info_and_values_read_by_layout(seen: Messages) -> None:
    txn = one(
        dora(
            seen,
            offer=[uint32(51, 3600), text(15, "example.org"), (2, b"\xff" * 4)],
            ack=[uint32(51, 7200), text(15, "example.net"), (2, b"\x00" * 4)],
        )
    )
    hits = run(RULE, txn)
    assert [(hit.message, hit.severity) for hit in hits] == [
        ("option 2 (time offset) 0 in ack (-1 in offer)", None),
        ('option 15 (domain name) "example.net" in ack ("example.org" in offer)', None),
        ("option 51 (address time) 7200 in ack (3600 in offer)", Severity.INFO),
    ]


def test_ignore_setting_takes_codes_and_names(seen: Messages) -> None:
    txn = one(dora(seen, offer=[text(15, "a")], ack=[text(15, "b")]))
    assert run(RULE, txn, {"ignore": ["15"]}) == []
    assert run(RULE, txn, {"ignore": ["domain-name"]}) == []
    with pytest.raises(ValueError, match="no option 'dns'"):
        run(RULE, txn, {"ignore": ["dns"]})


def test_only_the_selected_servers_offer_is_compared(seen: Messages) -> None:
    messages = dora(seen, offer=[addresses(3, SERVER)], ack=[addresses(3, SERVER)])
    other = seen(0.005, MT.OFFER, options=[server_id(OTHER), addresses(3, OTHER)])
    messages.insert(1, other)
    assert run(RULE, one(messages)) == []


def test_per_message_and_one_sided_options_are_not_compared(seen: Messages) -> None:
    txn = one(
        dora(
            seen,
            offer=[text(56, "offered"), (61, b"\x01abcdef"), addresses(6, SERVER)],
            ack=[text(56, "acked"), (61, b"\x01ghijkl"), addresses(42, SERVER)],
        )
    )
    assert run(RULE, txn) == []


def test_acks_outside_selecting_are_not_compared(seen: Messages) -> None:
    messages = [
        seen(0, MT.OFFER, options=[server_id(), addresses(3, SERVER)]),
        seen(1, MT.REQUEST, options=[requested()]),  # init-reboot
        seen(1.01, MT.ACK, options=[server_id(), addresses(3, OTHER)], yiaddr=ADDRESS),
    ]
    assert run(RULE, one(messages)) == []


def test_long_opaque_values_are_cut(seen: Messages) -> None:
    txn = one(dora(seen, offer=[(43, bytes(20))], ack=[(43, bytes(19) + b"\x01")]))
    (hit,) = run(RULE, txn)
    assert hit.message == (
        "option 43 (vendor specific) 00000000000000000000000000000... in ack "
        "(00000000000000000000000000000... in offer)"
    )


def test_samples() -> None:
    for sample in ("openstack-dora.pcap", "lab/dora-kea-dhclient.pcap"):
        assert found(sample, RULE.code) == []
