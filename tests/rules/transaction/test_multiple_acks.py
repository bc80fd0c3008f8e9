"""multiple-acks: servers that ACK one client with different addresses."""

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

from dhcpcheck.rules.transaction.multiple_acks import RULE
from dhcpcheck.transactions.model import Seen


def ack(seen: Messages, time: float, server: str, yiaddr: str) -> Seen:
    return seen(time, MT.ACK, options=[server_id(server)], src=server, yiaddr=yiaddr)


def test_init_reboot_acked_with_two_addresses(seen: Messages) -> None:
    txn = one(
        [
            seen(0, MT.REQUEST, options=[requested()]),
            ack(seen, 0.01, SERVER, ADDRESS),
            ack(seen, 0.02, OTHER, "192.0.2.150"),
            ack(seen, 0.03, OTHER, "192.0.2.150"),  # one server counts once
        ]
    )
    (hit,) = run(RULE, txn)
    assert hit.message == (
        "acks from 2 servers assign different addresses "
        f"({ADDRESS} from {SERVER}, 192.0.2.150 from {OTHER})"
    )
    assert (hit.frames, hit.server, hit.field) == ((3, 2), IPv4Address(OTHER), "yiaddr")


def test_agreeing_servers_and_selecting_replies_are_silent(seen: Messages) -> None:
    agree = [
        seen(0, MT.REQUEST, options=[requested()]),
        ack(seen, 0.01, SERVER, ADDRESS),
        ack(seen, 0.02, OTHER, ADDRESS),
    ]
    assert run(RULE, one(agree)) == []
    selecting = dora(seen)
    selecting.append(ack(seen, 0.04, OTHER, "192.0.2.150"))  # the other rule's
    assert run(RULE, one(selecting)) == []


def test_samples() -> None:
    for sample in ("openstack-dora.pcap", "lab/two-servers.pcap"):
        assert found(sample, RULE.code) == []
