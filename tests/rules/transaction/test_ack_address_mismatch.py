"""ack-address-mismatch: yiaddr against option 50 or ciaddr."""

from ipaddress import IPv4Address

from rules.transaction.build import (
    ADDRESS,
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

from dhcpcheck.rules.transaction.ack_address_mismatch import RULE


def test_selecting_ack_with_another_address(seen: Messages) -> None:
    (hit,) = run(RULE, one(dora(seen, acked="192.0.2.108")))
    assert hit.message == f"ack assigns 192.0.2.108 (requested {ADDRESS})"
    assert (hit.frames, hit.field, hit.server) == (
        (4, 3),
        "yiaddr",
        IPv4Address(SERVER),
    )


def test_renewal_ack_is_held_to_ciaddr(seen: Messages) -> None:
    txn = one(
        [
            seen(0, MT.REQUEST, ciaddr=ADDRESS, src=ADDRESS, dst=SERVER),
            seen(0.01, MT.ACK, options=[server_id()], yiaddr="192.0.2.9"),
        ]
    )
    (hit,) = run(RULE, txn)
    assert hit.message == f"ack assigns 192.0.2.9 (client's ciaddr {ADDRESS})"


def test_matching_or_unjudgeable_acks_are_silent(seen: Messages) -> None:
    assert run(RULE, one(dora(seen))) == []
    init_reboot = [
        seen(0, MT.REQUEST, options=[requested()]),
        seen(0.01, MT.ACK, options=[server_id()], yiaddr=ADDRESS),
    ]
    assert run(RULE, one(init_reboot)) == []
    rapid = [  # option 50 in a DISCOVER is a hint only
        seen(0, MT.DISCOVER, options=[requested(), (80, b"")]),
        seen(0.01, MT.ACK, options=[server_id(), (80, b"")], yiaddr="192.0.2.9"),
    ]
    assert run(RULE, one(rapid)) == []
    short = [  # option 50 of 3 bytes names no address
        seen(0, MT.REQUEST, options=[(50, b"\xc0\x00\x02")]),
        seen(0.01, MT.ACK, options=[server_id()], yiaddr=ADDRESS),
    ]
    assert run(RULE, one(short)) == []


def test_samples() -> None:
    for sample in ("openstack-dora.pcap", "lab/renew.pcap", "lab/rebind.pcap"):
        assert found(sample, RULE.code) == []
