"""Per-server counts and perfdhcp-style latency spreads."""

from collections.abc import Callable
from ipaddress import IPv4Address

import pytest

from dhcpcheck.decode.options import MessageType
from dhcpcheck.transactions.model import Seen
from dhcpcheck.transactions.servers import (
    EXACT_SAMPLES,
    Latencies,
    Servers,
    Spread,
)
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
    assert only(first.offer_latency) == pytest.approx(0.01)
    assert only(first.ack_latency) == pytest.approx(0.03)
    assert second.count(MessageType.ACK) == 0
    assert only(second.offer_latency) == pytest.approx(0.05)
    assert second.ack_latency.spread() is None


def only(latencies: Latencies) -> float:
    """The one latency counted."""
    spread = latencies.spread()
    assert spread is not None and spread.count == 1
    assert spread.min == spread.median == spread.p95 == spread.max
    return spread.min


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


def test_latencies_are_exact_while_few() -> None:
    latencies = Latencies()
    samples = [n / 1000 for n in range(EXACT_SAMPLES, 0, -1)]
    for sample in samples:
        latencies.append(sample)
    assert latencies.spread() == Spread.of(samples)


def test_many_latencies_keep_a_bounded_histogram_within_a_thousandth() -> None:
    latencies = Latencies()
    samples = [
        0.0,
        *(((n * 7919) % 10_007 + 1) / 1e4 for n in range(3 * EXACT_SAMPLES)),
    ]
    for sample in samples:
        latencies.append(sample)
    exact = Spread.of(samples)
    spread = latencies.spread()
    assert exact is not None and spread is not None
    assert (spread.count, spread.min, spread.max) == (exact.count, 0.0, exact.max)
    assert spread.median == pytest.approx(exact.median, rel=1e-3)
    assert spread.p95 == pytest.approx(exact.p95, rel=1e-3)
    assert len(latencies._buckets) < 10_000
