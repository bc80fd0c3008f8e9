"""nak: what each NAK refused, in which state, and the server's reason."""

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

from dhcpcheck.craft.options import text
from dhcpcheck.rules.transaction.nak import RULE


def test_nak_to_init_reboot_quotes_the_server_message(seen: Messages) -> None:
    reason = text(56, "wrong network")
    txn = one(
        [
            seen(0, MT.REQUEST, options=[requested("203.0.113.55")]),
            seen(0.01, MT.NAK, options=[server_id(), reason], flags=0x8000),
        ]
    )
    (hit,) = run(RULE, txn)
    assert hit.message == 'nak to init-reboot request for 203.0.113.55: "wrong network"'
    assert (hit.frames, hit.server, hit.option) == ((2, 1), IPv4Address(SERVER), 56)


def test_nak_to_renewal_names_ciaddr_and_has_no_message(seen: Messages) -> None:
    txn = one(
        [
            seen(0, MT.REQUEST, ciaddr=ADDRESS, src=ADDRESS, dst=SERVER),
            seen(0.01, MT.NAK, options=[server_id()]),
        ]
    )
    (hit,) = run(RULE, txn)
    assert hit.message == f"nak to renewing request for {ADDRESS}"
    assert hit.option is None


def test_wire_text_is_escaped_and_trailing_nuls_dropped(seen: Messages) -> None:
    reason = (56, b"bad\x1b[31m \\ lease\x00\x00")
    txn = one(
        [
            seen(0, MT.REQUEST, options=[server_id(), requested()]),
            seen(0.01, MT.NAK, options=[server_id(), reason]),
        ]
    )
    (hit,) = run(RULE, txn)
    assert hit.message == (
        f'nak to selecting request for {ADDRESS}: "bad\\x1b[31m \\x5c lease"'
    )


def test_nak_without_its_request_is_still_reported(seen: Messages) -> None:
    (hit,) = run(RULE, one([seen(0, MT.NAK, options=[server_id()])]))
    assert hit.message == "nak (request not captured)"
    assert hit.frames == (1,)


def test_samples() -> None:
    assert found("openstack-dora.pcap", RULE.code) == []
    assert found("lab/nak.pcap", RULE.code) == [
        'nak to init-reboot request for 203.0.113.55: "wrong network"'
    ]
