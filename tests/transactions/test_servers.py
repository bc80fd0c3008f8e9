"""Per-server counts and perfdhcp-style latency spreads."""

from collections.abc import Callable
from ipaddress import IPv4Address

import pytest

from dhcpcheck.decode.options import MessageType
from dhcpcheck.transactions.model import Seen
from dhcpcheck.transactions.servers import Servers, Spread
from dhcpcheck.transactions.tracker import Tracker

MakeSeen = Callable[..., Seen]


def sid(address: str) -> tuple[tuple[int, bytes], ...]:
    return ((54, IPv4Address(address).packed),)


def test_two_servers_are_told_apart_with_their_latencies(seen: MakeSeen) -> None:
    messages = [
        seen(0.0, 1),
        seen(0.01, 2, options=sid("1.1.1.2"), yiaddr="1.1.1.13", src="1.1.1.2"),
        seen(0.05, 2, options=sid("1.1.1.3"), yiaddr="1.1.1.99", src="1.1.1.3"),
        seen(0.10, 3, options=sid("1.1.1.2")),
        seen(0.13, 5, options=sid("1.1.1.2"), yiaddr="1.1.1.13", src="1.1.1.2"),
    ]
    tracker = Tracker()
    for message in messages:
        tracker.feed(message)
    servers = Servers()
    for txn in tracker.finish():
        servers.add(txn)
    first, second = servers
    assert first.identifier == IPv4Address("1.1.1.2")
    assert (first.count(MessageType.OFFER), first.count(MessageType.ACK)) == (1, 1)
    assert first.addresses == {IPv4Address("1.1.1.13")}
    assert first.offer_latency == pytest.approx([0.01])
    assert first.ack_latency == pytest.approx([0.03])
    assert second.count(MessageType.ACK) == 0
    assert second.offer_latency == pytest.approx([0.05])


def test_unknown_message_types_are_not_counted(seen: MakeSeen) -> None:
    tracker = Tracker()
    tracker.feed(seen(0.0, 99, op=2, src="1.1.1.2"))
    servers = Servers()
    for txn in tracker.finish():
        servers.add(txn)
    assert list(servers) == []


def test_spread_uses_nearest_rank_p95() -> None:
    spread = Spread.of([float(n) for n in range(1, 101)])
    assert spread is not None
    assert (spread.min, spread.median, spread.p95, spread.max) == (1, 50.5, 95, 100)
    assert Spread.of([]) is None
