"""Per-server statistics, the way Kea's perfdhcp reports a server's answers.

A server is known by its server identifier (option 54), or by its IP source
address when it sends none; the addresses and MACs it used are collected.
"""

import math
import statistics
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address

from dhcpcheck.decode.ip import ipv4_address
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.transactions.model import UNSET, Seen, Transaction

# A server's latencies are kept one by one up to this many; past it, as a
# histogram whose buckets are 0.1 % wide, so that a watch of days or a
# capture of millions of replies holds a bounded amount.
EXACT_SAMPLES = 1 << 16
BUCKET_RATIO = 1.001
_LOG_RATIO = math.log(BUCKET_RATIO)
_ZERO_BUCKET = -(1 << 30)  # latencies of 0 s (or less) on a coarse clock


@dataclass(frozen=True, slots=True)
class Spread:
    """min, median, 95th percentile and max of a list of latencies, seconds."""

    count: int
    min: float
    median: float
    p95: float
    max: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> "Spread | None":
        """The spread of `samples`, or None when there are none."""
        if not samples:
            return None
        ordered = sorted(samples)
        return cls(
            count=len(ordered),
            min=ordered[0],
            median=statistics.median(ordered),
            p95=ordered[_p95_rank(len(ordered))],
            max=ordered[-1],
        )


def _p95_rank(count: int) -> int:
    """The index of the nearest-rank 95th percentile among `count` sorted."""
    return max(0, -(-95 * count // 100) - 1)


class Latencies:
    """One server's response times, in seconds: exact while there are at most
    EXACT_SAMPLES, then median and p95 within 0.1 % (count, min and max stay
    exact)."""

    __slots__ = ("_buckets", "_samples", "count", "max", "min")

    def __init__(self) -> None:
        self.count = 0
        self.min = math.inf
        self.max = -math.inf
        # Seconds, as C doubles, until there are too many to keep.
        self._samples: array[float] | None = array("d")
        self._buckets: Counter[int] = Counter()

    def append(self, seconds: float) -> None:
        """Count one response time."""
        self.count += 1
        self.min = min(self.min, seconds)
        self.max = max(self.max, seconds)
        if self._samples is None:
            self._buckets[_bucket(seconds)] += 1
            return
        self._samples.append(seconds)
        if len(self._samples) > EXACT_SAMPLES:
            self._buckets.update(_bucket(sample) for sample in self._samples)
            self._samples = None

    def spread(self) -> Spread | None:
        """min, median, p95 and max; None before the first sample."""
        if self._samples is not None:
            return Spread.of(self._samples)
        ordered = sorted(self._buckets.items())
        return Spread(
            count=self.count,
            min=self.min,
            median=self._at(ordered, (self.count - 1) // 2),
            p95=self._at(ordered, _p95_rank(self.count)),
            max=self.max,
        )

    def _at(self, ordered: list[tuple[int, int]], rank: int) -> float:
        """The middle of the bucket holding the sample of index `rank`."""
        seen = 0
        for bucket, count in ordered:
            seen += count
            if seen > rank:
                middle = 0.0 if bucket == _ZERO_BUCKET else BUCKET_RATIO**bucket
                return min(max(middle, self.min), self.max)
        return self.max


def _bucket(seconds: float) -> int:
    if seconds <= 0:
        return _ZERO_BUCKET
    return round(math.log(seconds) / _LOG_RATIO)


@dataclass(slots=True)
class Server:
    """What one DHCP server was seen to do."""

    identifier: IPv4Address
    ips: set[IPv4Address] = field(default_factory=set)
    macs: set[str] = field(default_factory=set)
    counts: dict[MessageType, int] = field(default_factory=dict)
    addresses: set[IPv4Address] = field(default_factory=set)  # yiaddr of ACKs
    offer_latency: Latencies = field(default_factory=Latencies)
    ack_latency: Latencies = field(default_factory=Latencies)

    def count(self, kind: MessageType) -> int:
        """How many messages of `kind` this server sent (relay copies not)."""
        return self.counts.get(kind, 0)


class Servers:
    """Collects servers' replies from closed transactions."""

    def __init__(self) -> None:
        self.by_identifier: dict[IPv4Address, Server] = {}

    def add(self, txn: Transaction) -> None:
        """Account for every server reply in `txn`."""
        for step in txn.steps:
            seen = step.seen
            if step.copy_of is not None or seen.from_client:
                continue
            if seen.type not in _KNOWN_TYPES:
                continue
            server = self._server(seen)
            kind = MessageType(seen.type)
            server.counts[kind] = server.count(kind) + 1
            if kind is MessageType.ACK and seen.message.yiaddr != UNSET:
                server.addresses.add(seen.message.yiaddr)
            _latency(server, txn, seen, kind)

    def __iter__(self) -> Iterator[Server]:
        return iter(sorted(self.by_identifier.values(), key=lambda s: s.identifier))

    def _server(self, seen: Seen) -> Server:
        identifier = server_identifier(seen)
        server = self.by_identifier.get(identifier)
        if server is None:  # made only when new: a Server is six containers
            server = self.by_identifier[identifier] = Server(identifier)
        server.ips.add(seen.ip_src)
        if seen.mac_src is not None:
            server.macs.add(seen.mac_src)
        return server


def server_identifier(seen: Seen) -> IPv4Address:
    """Option 54 of a server message, or its IP source address without one."""
    data = seen.message.value(OptionCode.SERVER_ID)
    if data is not None and len(data) == 4:
        return ipv4_address(data)
    return seen.ip_src


def _latency(server: Server, txn: Transaction, reply: Seen, kind: MessageType) -> None:
    """Time from the client message this reply answers to the reply."""
    asked = _ANSWERS.get(kind)
    if asked is None:
        return
    earlier = [s for s in txn.of_type(asked) if s.time <= reply.time]
    if not earlier:
        return
    samples = server.offer_latency if kind is MessageType.OFFER else server.ack_latency
    # An OFFER answers the first DISCOVER; an ACK the latest REQUEST before it.
    asked_at = earlier[0] if kind is MessageType.OFFER else earlier[-1]
    samples.append(reply.time - asked_at.time)


_KNOWN_TYPES = frozenset(MessageType)
_ANSWERS = {
    MessageType.OFFER: MessageType.DISCOVER,
    MessageType.ACK: MessageType.REQUEST,
    MessageType.NAK: MessageType.REQUEST,
}
