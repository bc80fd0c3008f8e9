"""Follow each client across its transactions: the leases it was granted.

A `Lease` is one grant: an ACK that binds an address, with the lease time and
T1/T2 it carried, counted from the REQUEST that won it (RFC 2131 section
4.4.1). The renewals and rebinds that follow it are recorded against it.
A streaming history keeps what the rules need of a long capture, not all of it.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address

from dhcpcheck.decode.ip import ipv4_address
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.decode.values import ValueFormatError, unsigned
from dhcpcheck.transactions.model import (
    UNSET,
    Kind,
    Outcome,
    Seen,
    Step,
    Transaction,
)

# RFC 2131 section 4.4.5: T1 defaults to 0.5 and T2 to 0.875 times the lease.
DEFAULT_T1_RATIO = 0.5
DEFAULT_T2_RATIO = 0.875
INFINITE = 0xFFFFFFFF  # RFC 2131 section 3.3: an infinite lease
_BINDING_KINDS = frozenset(
    {Kind.DORA, Kind.RAPID_COMMIT, Kind.INIT_REBOOT, Kind.RENEW, Kind.REBIND}
)


@dataclass(slots=True)
class Lease:
    """One grant of `address` by `server`, and what the client did with it."""

    address: IPv4Address
    server: IPv4Address | None
    start: float  # when the REQUEST that won it was sent
    lease_time: int | None  # seconds; None when the ACK had no option 51
    t1: int | None  # seconds as sent in option 58, None when absent
    t2: int | None  # seconds as sent in option 59, None when absent
    granted_by: Transaction
    renewals: list[Transaction] = field(default_factory=list)  # RENEW attempts
    rebinds: list[Transaction] = field(default_factory=list)  # REBIND attempts
    released: float | None = None
    ended: float | None = None  # when a later grant or a release replaced it

    @property
    def infinite(self) -> bool:
        """An infinite lease never expires and is never renewed."""
        return self.lease_time == INFINITE

    @property
    def renew_at(self) -> float | None:
        """When the client should start renewing: T1, sent or default."""
        return self._timer(self.t1, DEFAULT_T1_RATIO)

    @property
    def rebind_at(self) -> float | None:
        """When the client should start rebinding: T2, sent or default."""
        return self._timer(self.t2, DEFAULT_T2_RATIO)

    @property
    def expiry(self) -> float | None:
        """When the lease runs out unless renewed."""
        if self.lease_time is None or self.infinite:
            return None
        return self.start + self.lease_time

    def _timer(self, sent: int | None, ratio: float) -> float | None:
        if sent is not None:
            return self.start + sent
        if self.lease_time is None or self.infinite:
            return None
        return self.start + ratio * self.lease_time


@dataclass(slots=True)
class Client:
    """Everything seen of one client (htype and chaddr)."""

    identity: bytes
    transactions: list[Transaction] = field(default_factory=list)
    leases: list[Lease] = field(default_factory=list)

    @property
    def mac(self) -> str:
        """The client's hardware address as text."""
        return self.identity[1:].hex(":")

    @property
    def current(self) -> Lease | None:
        """The lease in force after the last transaction seen."""
        if self.leases and self.leases[-1].ended is None:
            return self.leases[-1]
        return None

    def forget(self, before: float, needed: Callable[[Lease], bool]) -> list[Lease]:
        """Drop the leases that ended before `before` and are not `needed`;
        return those dropped."""
        kept: list[Lease] = []
        gone: list[Lease] = []
        for lease in self.leases:
            past = lease.ended is not None and lease.ended < before
            (gone if past and not needed(lease) else kept).append(lease)
        self.leases = kept
        return gone


class Clients:
    """Collects closed transactions into per-client histories, in time order.

    A `streaming` history is for a capture too long to remember whole: it
    keeps slim copies of transactions (`slim`), only those with a DECLINE or
    NAK in `Client.transactions`, and drops old leases when told to
    (`forget`). Client records read from it would be incomplete.
    """

    def __init__(self, streaming: bool = False) -> None:
        self.by_identity: dict[bytes, Client] = {}
        self.streaming = streaming
        # Which clients hold a lease of each address, for address-conflict.
        self.holders: dict[IPv4Address, set[bytes]] = {}

    def add(self, txn: Transaction) -> Client:
        """Record a closed transaction against its client."""
        client = self.by_identity.setdefault(txn.client, Client(txn.client))
        kept = slim(txn) if self.streaming else txn
        if not self.streaming or _refused(txn):
            client.transactions.append(kept)
        granted = _apply(client, txn, kept)
        if granted is not None:
            self.holders.setdefault(granted.address, set()).add(client.identity)
        return client

    def forget(
        self, client: Client, before: float, needed: Callable[[Lease], bool]
    ) -> None:
        """Drop `client`'s leases that ended before `before` and are not
        `needed`: no transaction still open can bear on them."""
        for lease in client.forget(before, needed):
            if all(held.address != lease.address for held in client.leases):
                self.holders[lease.address].discard(client.identity)

    def __iter__(self) -> Iterator[Client]:
        return iter(self.by_identity.values())


# What a slim copy keeps of a message's options: those that client and
# capture rules, the lint reports and the transaction records read.
_HISTORY_OPTIONS = frozenset(
    {
        OptionCode.HOSTNAME,
        OptionCode.REQUESTED_IP,
        OptionCode.MESSAGE_TYPE,
        OptionCode.SERVER_ID,
        OptionCode.MESSAGE,
    }
)


def slim(txn: Transaction) -> Transaction:
    """A copy of a closed transaction with what client rules and records
    read: its messages without sname, file, problems and most options."""
    steps = [
        Step(_slim_seen(step.seen), step.retransmission, step.copy_of)
        for step in txn.steps
    ]
    return Transaction(txn.xid, txn.client, steps, txn.kind, txn.outcome, txn.latency)


def _slim_seen(seen: Seen) -> Seen:
    message = seen.message
    options = tuple(o for o in message.options if o.code in _HISTORY_OPTIONS)
    light = replace(message, sname=b"", file=b"", options=options, problems=())
    return replace(seen, message=light, udp_checksum=None)


def _refused(txn: Transaction) -> bool:
    """Whether `txn` holds a DECLINE or a NAK, which client rules look for."""
    return bool(txn.of_type(MessageType.DECLINE) or txn.of_type(MessageType.NAK))


def _apply(client: Client, txn: Transaction, kept: Transaction) -> Lease | None:
    """Update `client`'s leases for `txn`, recording `kept` (`txn` or its
    slim copy) in them; return the lease it granted, if any."""
    lease = client.current
    if txn.kind is Kind.RENEW and lease is not None:
        lease.renewals.append(kept)
    elif txn.kind is Kind.REBIND and lease is not None:
        lease.rebinds.append(kept)
    if txn.kind is Kind.RELEASE and lease is not None:
        lease.released = lease.ended = txn.start
    if txn.kind is Kind.DECLINE and lease is not None and _declines(txn, lease):
        lease.ended = txn.start  # RFC 2131 3.1(5): the address is in use
    if txn.outcome is not Outcome.BOUND or txn.kind not in _BINDING_KINDS:
        return None
    granted = _grant(txn, kept)
    if granted is not None:
        if lease is not None:
            lease.ended = granted.start
        client.leases.append(granted)
    return granted


def _declines(txn: Transaction, lease: Lease) -> bool:
    """Whether the DECLINE names the lease's address in option 50."""
    declines = txn.of_type(MessageType.DECLINE)
    named = _address(declines[0], OptionCode.REQUESTED_IP) if declines else None
    return named == lease.address


def _grant(txn: Transaction, kept: Transaction) -> Lease | None:
    """The lease an ACK of `txn` grants, counted from the REQUEST that won it
    and recorded as granted by `kept`."""
    acks = txn.of_type(MessageType.ACK)
    if not acks:
        return None
    ack = acks[-1]
    won_by = _winning_request(txn, ack)
    address = ack.message.yiaddr
    if address == UNSET:
        address = won_by.message.ciaddr
    return Lease(
        address=address,
        server=_address(ack, OptionCode.SERVER_ID),
        start=won_by.time,
        lease_time=_seconds(ack, OptionCode.LEASE_TIME),
        t1=_seconds(ack, OptionCode.RENEWAL_TIME),
        t2=_seconds(ack, OptionCode.REBINDING_TIME),
        granted_by=kept,
    )


def _winning_request(txn: Transaction, ack: Seen) -> Seen:
    """The first REQUEST (or rapid-commit DISCOVER) of the exchange."""
    for kind in (MessageType.REQUEST, MessageType.DISCOVER):
        sent = [s for s in txn.of_type(kind) if s.time <= ack.time]
        if sent:
            return sent[0]
    return ack


def _seconds(seen: Seen, code: OptionCode) -> int | None:
    data = seen.message.value(code)
    if data is None:
        return None
    try:
        return unsigned(data, 4)
    except ValueFormatError:
        return None


def _address(seen: Seen, code: OptionCode) -> IPv4Address | None:
    data = seen.message.value(code)
    return ipv4_address(data) if data is not None and len(data) == 4 else None
