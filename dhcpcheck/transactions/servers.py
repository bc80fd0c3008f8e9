"""Per-server statistics, the way Kea's perfdhcp reports a server's answers.

A server is known by its server identifier (option 54), or by its IP source
address when it sends none; the addresses and MACs it used are collected.
"""

import statistics
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address

from dhcpcheck.decode.ip import ipv4_address
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.transactions.model import UNSET, Seen, Transaction


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
        rank = max(0, -(-95 * len(ordered) // 100) - 1)  # nearest-rank p95
        return cls(
            count=len(ordered),
            min=ordered[0],
            median=statistics.median(ordered),
            p95=ordered[rank],
            max=ordered[-1],
        )


@dataclass(slots=True)
class Server:
    """What one DHCP server was seen to do."""

    identifier: IPv4Address
    ips: set[IPv4Address] = field(default_factory=set)
    macs: set[str] = field(default_factory=set)
    counts: dict[MessageType, int] = field(default_factory=dict)
    addresses: set[IPv4Address] = field(default_factory=set)  # yiaddr of ACKs
    # Seconds, as C doubles: one sample per reply adds up in a long capture.
    offer_latency: "array[float]" = field(default_factory=lambda: array("d"))
    ack_latency: "array[float]" = field(default_factory=lambda: array("d"))

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
        server = self.by_identifier.setdefault(identifier, Server(identifier))
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
