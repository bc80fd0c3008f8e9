"""address-conflict: one address bound to two clients at the same time.

At the end of the capture, lays every lease out as the span its client held
the address: from the ACK that granted it to the first of its expiry, a later
grant, a RELEASE or DECLINE, a NAK to a renewal, or the end of the capture.
Two spans of one address that overlap and belong to different clients are a
conflict. RFC 2131 section 1.6
(https://www.rfc-editor.org/rfc/rfc2131#section-1.6) sets the goal:

    Guarantee that any specific network address will not be in use by
    more than one DHCP client at a time,

Two servers with overlapping pools, a server that lost its lease database, or
a failover pair out of step each hand out addresses already bound; both
clients then answer ARP for it. A client that finds out first sends a
DECLINE (see decline-seen), which ends its span but not the conflict.

A capture that misses a unicast RELEASE makes the old span look longer than
it was; capture next to the server to see them all.

Failing exchange:

    0 s ACK 192.0.2.107 to 00:00:5e:00:53:10, lease 3600 s
    100 s ACK 192.0.2.107 to 00:00:5e:00:53:11
    -> 192.0.2.107 bound to 2 clients at once (00:00:5e:00:53:10 and
       00:00:5e:00:53:11 for 3500 s)

No settings. One finding per address and pair of clients; frames: the ACK of
the later binding, then that of the earlier. State: none of its own, it
reads the clients' leases the pipeline keeps.
"""

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address

from dhcpcheck.rules.base import CaptureRule, Hit, Settings, Severity
from dhcpcheck.rules.lease.grants import given_up, granting_ack, span
from dhcpcheck.transactions.leases import Client, Clients, Lease
from dhcpcheck.transactions.model import Seen, Transaction

_UNSET = IPv4Address(0)


@dataclass(frozen=True, slots=True)
class Binding:
    """An address held by one client from `start` until `until`."""

    client: Client
    lease: Lease
    ack: Seen
    until: float

    @property
    def start(self) -> float:
        """When the ACK bound it."""
        return self.ack.time


class AddressConflicts:
    """Nothing to accumulate: the leases are read at the end."""

    def __init__(self, settings: Settings) -> None:
        pass

    def add(self, txn: Transaction) -> None:
        """Leases come from the clients at `finish`."""

    def finish(self, clients: Iterable[Client], end: float) -> Iterator[Hit]:
        """One hit per address and pair of clients whose bindings overlap."""
        for bindings in _by_address(clients, end).values():
            yield from _overlaps(sorted(bindings, key=lambda b: b.start))


def _by_address(
    clients: Iterable[Client], end: float
) -> dict[IPv4Address, list[Binding]]:
    found: dict[IPv4Address, list[Binding]] = {}
    for client in clients:
        for lease in client.leases:
            if lease.address != _UNSET:
                binding = _binding(client, lease, end)
                found.setdefault(lease.address, []).append(binding)
    return found


def _binding(client: Client, lease: Lease, end: float) -> Binding:
    """The span `client` held `lease`, if the capture ends at `end`."""
    ack = granting_ack(lease)
    ends = [end, given_up(client, lease)]
    if lease.lease_time is not None and not lease.infinite:
        ends.append(ack.time + lease.lease_time)
    until = min(time for time in ends if time is not None)
    return Binding(client, lease, ack, until)


def keeps(clients: Clients, client: Client, lease: Lease, settings: Settings) -> bool:
    """Whether another client held the address of an ended lease while its
    client did (or may yet be found to have: the end of the capture is not
    known, so spans still open count as endless)."""
    if lease.address == _UNSET:
        return False
    mine = _binding(client, lease, math.inf)
    for identity in clients.holders.get(lease.address, ()):
        other = clients.by_identity[identity]
        if other is client:
            continue
        for theirs in other.leases:
            if theirs.address == lease.address:
                held = _binding(other, theirs, math.inf)
                if mine.start <= held.until and held.start <= mine.until:
                    return True
    return False


def _overlaps(bindings: list[Binding]) -> Iterator[Hit]:
    """The first overlap of each pair of clients; `bindings` sorted by start."""
    reported: set[frozenset[bytes]] = set()
    held: list[Binding] = []
    for binding in bindings:
        held = [earlier for earlier in held if earlier.until > binding.start]
        for earlier in held:
            pair = frozenset({earlier.client.identity, binding.client.identity})
            if len(pair) == 2 and pair not in reported:
                reported.add(pair)
                yield _hit(earlier, binding)
        held.append(binding)


def _hit(earlier: Binding, later: Binding) -> Hit:
    overlap = min(earlier.until, later.until) - later.start
    return Hit(
        f"{later.lease.address} bound to 2 clients at once ({earlier.client.mac}"
        f" and {later.client.mac} for {span(overlap)})",
        frames=(later.ack.frame, earlier.ack.frame),
        xid=later.ack.message.xid,
        client=later.client.mac,
        server=later.lease.server,
    )


RULE = CaptureRule(
    code="DHC403",
    name="address-conflict",
    severity=Severity.ERROR,
    summary="one address bound to two clients at overlapping times",
    doc=__doc__ or "",
    start=AddressConflicts,
    keeps=keeps,
)
