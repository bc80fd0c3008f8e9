"""Follow each client across its transactions: the leases it was granted.

A `Lease` is one grant: an ACK that binds an address, with the lease time and
T1/T2 it carried, counted from the REQUEST that won it (RFC 2131 section
4.4.1). The renewals and rebinds that follow it are recorded against it.
A streaming history keeps what the rules need of a long capture, not all of it.
"""

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from ipaddress import IPv4Address

from dhcpcheck.decode.bootp import MAGIC_COOKIE, Message, Option
from dhcpcheck.decode.ip import ipv4_address
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.decode.values import ValueFormatError, unsigned
from dhcpcheck.transactions.model import (
    UNSET,
    Kind,
    Latency,
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
    # Tuples: most leases see none or one, and an empty tuple costs nothing.
    renewals: tuple[Transaction, ...] = ()  # RENEW attempts
    rebinds: tuple[Transaction, ...] = ()  # REBIND attempts
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
    # What client rules read, recorded as transactions come, so that a
    # streaming history need not keep the transactions: every DECLINE with
    # the address it names (option 50), every NAK sent to the client, and
    # the host name (option 12) it sent last. None until the first comes:
    # a flood brings half a million clients, and an empty list costs 56 B.
    declines: list[tuple[Seen, IPv4Address | None]] | None = None
    naks: list[Seen] | None = None
    hostname: bytes | None = None

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
    keeps no `Client.transactions`, slim copies of the transactions its
    leases and NAKs and DECLINEs come from (`slim`, without host names or
    step latencies, repeated values shared), and drops old leases when told
    to (`forget`). Client records read from it would be incomplete.
    """

    def __init__(self, streaming: bool = False) -> None:
        self.by_identity: dict[bytes, Client] = {}
        self.streaming = streaming
        # Which clients hold a lease of each address, for address-conflict:
        # almost always one, and a tuple of one is a fifth of a set's size.
        self.holders: dict[IPv4Address, tuple[bytes, ...]] = {}
        # One copy of the values every slim message repeats.
        self._pool = Pool()

    def add(self, txn: Transaction) -> Client:
        """Record a closed transaction against its client."""
        client = self.by_identity.get(txn.client)
        if client is None:
            client = self.by_identity[txn.client] = Client(txn.client)
        kept = self._history(txn) if self.streaming else txn
        if not self.streaming:
            client.transactions.append(kept)
        declines = kept.of_type(MessageType.DECLINE)
        if declines:
            client.declines = client.declines or []
            client.declines += [
                (seen, _address(seen, OptionCode.REQUESTED_IP)) for seen in declines
            ]
        naks = kept.of_type(MessageType.NAK)
        if naks:
            client.naks = client.naks or []
            client.naks += naks
        named = sent_hostname(txn)
        if named is not None:
            client.hostname = named
        granted = _apply(client, txn, kept)
        if granted is not None:
            held = self.holders.get(granted.address, ())
            if client.identity not in held:
                self.holders[granted.address] = (*held, client.identity)
        return client

    def forget(
        self, client: Client, before: float, needed: Callable[[Lease], bool]
    ) -> None:
        """Drop `client`'s leases that ended before `before` and are not
        `needed`: no transaction still open can bear on them."""
        gone = {lease.address for lease in client.forget(before, needed)}
        for address in gone:
            if all(held.address != address for held in client.leases):
                self._release(address, client.identity)

    def __iter__(self) -> Iterator[Client]:
        return iter(self.by_identity.values())

    def _release(self, address: IPv4Address, identity: bytes) -> None:
        others = tuple(held for held in self.holders[address] if held != identity)
        if others:
            self.holders[address] = others
        else:
            del self.holders[address]

    def _history(self, txn: Transaction) -> Transaction:
        """The slim copy a streaming history keeps: without the options only
        client records read, repeated values shared."""
        copy = slim(txn, _STREAMED_OPTIONS, self._pool)
        copy.latency = _NO_LATENCY  # no client rule reads it
        return copy


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
# A streaming history writes no client records: the host name can go.
_STREAMED_OPTIONS = _HISTORY_OPTIONS - {OptionCode.HOSTNAME}


def slim(
    txn: Transaction,
    options: frozenset[int] = _HISTORY_OPTIONS,
    pool: "Pool | None" = None,
) -> Transaction:
    """A copy of a closed transaction with what client rules and records
    read: its messages without sname, file, problems and most `options`.

    With a `pool`, values that many messages repeat are shared through it.
    """
    steps = [
        Step(_slim_seen(step.seen, options, pool), step.retransmission, step.copy_of)
        for step in txn.steps
    ]
    return Transaction(txn.xid, txn.client, steps, txn.kind, txn.outcome, txn.latency)


def _slim_seen(seen: Seen, options: frozenset[int], pool: "Pool | None") -> Seen:
    # Built field by field: dataclasses.replace costs several times as much,
    # and every message of a long capture passes here.
    message = seen.message
    chaddr, mac = message.chaddr, seen.mac_src
    size, wire_size = message.size, message.wire_size
    kept = tuple(o for o in message.options if o.code in options)
    if pool is not None:
        mac = None if mac is None else sys.intern(mac)
        kept = tuple(pool.option(o) for o in kept)
        size = pool.sizes.setdefault(size, size)
        wire_size = pool.sizes.setdefault(wire_size, wire_size)
    light = Message(
        op=message.op,
        htype=message.htype,
        hlen=message.hlen,
        hops=message.hops,
        xid=message.xid,
        secs=message.secs,
        flags=message.flags,
        ciaddr=message.ciaddr,
        yiaddr=message.yiaddr,
        siaddr=message.siaddr,
        giaddr=message.giaddr,
        chaddr=chaddr,
        sname=b"",
        file=b"",
        cookie=MAGIC_COOKIE if message.cookie == MAGIC_COOKIE else message.cookie,
        options=kept,
        problems=(),
        size=size,
        wire_size=wire_size,
    )
    return Seen(
        seen.frame,
        seen.time,
        seen.ip_src,
        seen.ip_dst,
        seen.sport,
        seen.dport,
        mac,
        light,
        seen.source,
    )


@dataclass(slots=True)
class Pool:
    """One copy of each value the slim messages of a long capture repeat:
    message sizes, and the options a server sends alike to every client.

    Only values that are few are pooled (`_POOLED`), so the pool grows with
    the servers, not with the clients (a flood brings half a million) or the
    length of the capture.
    """

    options: dict[Option, Option] = field(default_factory=dict)
    sizes: dict[int, int] = field(default_factory=dict)  # at most 65,536

    def option(self, option: Option) -> Option:
        """`option`, or an equal one met before."""
        if option.code not in _POOLED:
            return option
        return self.options.setdefault(option, option)


_POOLED = frozenset({OptionCode.MESSAGE_TYPE, OptionCode.SERVER_ID})
_NO_LATENCY = Latency()


def sent_hostname(txn: Transaction) -> bytes | None:
    """The host name (option 12) the client sent first in `txn`."""
    for step in txn.steps:
        data = step.seen.message.value(OptionCode.HOSTNAME)
        if step.seen.from_client and data is not None:
            return data
    return None


def _apply(client: Client, txn: Transaction, kept: Transaction) -> Lease | None:
    """Update `client`'s leases for `txn`, recording `kept` (`txn` or its
    slim copy) in them; return the lease it granted, if any."""
    lease = client.current
    if txn.kind is Kind.RENEW and lease is not None:
        lease.renewals = (*lease.renewals, kept)
    elif txn.kind is Kind.REBIND and lease is not None:
        lease.rebinds = (*lease.rebinds, kept)
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
    return None if data is None else _timer(data)


@lru_cache(maxsize=256)
def _timer(data: bytes) -> int | None:
    """Seconds of a timer option; one int for all the leases that share a
    value (a server sends the same few to every client)."""
    try:
        return unsigned(data, 4)
    except ValueFormatError:
        return None


def _address(seen: Seen, code: OptionCode) -> IPv4Address | None:
    data = seen.message.value(code)
    return ipv4_address(data) if data is not None and len(data) == 4 else None
