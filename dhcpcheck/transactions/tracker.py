"""Group seen messages into transactions, streaming, in bounded memory.

Sans-I/O: `feed` takes one message at a time and returns the transactions it
closed. A transaction is one xid for one client (htype and chaddr), so xid
collisions between clients split and retransmissions join; it closes after
`idle_timeout` seconds without a message (seen at the next message, or when
`expire` is told the time), or at `finish`.
"""

from collections import OrderedDict
from collections.abc import Callable

from dhcpcheck.decode.bootp import Op
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.transactions.model import (
    ClientState,
    Kind,
    Latency,
    Outcome,
    Seen,
    Step,
    Transaction,
    request_state,
)

# RFC 2131 section 4.1: retransmissions back off up to 64 s; one more second.
DEFAULT_IDLE_TIMEOUT = 65.0
RELAY_COPY_WINDOW = 1.0  # seconds between two sightings of one relayed message
# An unanswered exchange whose last message came less than this before the end
# of the capture is "cut off", not failed: RFC 2131 section 4.1 has a client
# wait about 4 s before its first retransmission.
CUT_OFF_WINDOW = 4.0
# Transactions held open at most; a starvation flood of 500,000 random
# chaddrs must not hold 500,000 exchanges (a few KB each) in memory.
DEFAULT_MAX_OPEN = 20_000
# A client message more than this after the reply is a new exchange, even
# with the same xid: an unanswered REQUEST is resent after about 4 s.
RETRY_WINDOW = 10.0
_FINAL = frozenset({MessageType.ACK, MessageType.NAK})
_ENDS_ALONE = frozenset({MessageType.RELEASE, MessageType.DECLINE})
_LEASEQUERY_REPLIES = frozenset(
    {MessageType.LEASEUNASSIGNED, MessageType.LEASEUNKNOWN, MessageType.LEASEACTIVE}
)

Key = tuple[int, bytes]


class Tracker:
    """Open transactions by key, oldest activity first, so expiry is cheap.

    At most `max_open` transactions are held; past that the least recently
    active one is closed early with outcome EVICTED, so a flood of new
    clients costs bounded memory and still shows in the results.
    """

    def __init__(
        self,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_open: int = DEFAULT_MAX_OPEN,
    ) -> None:
        self.idle_timeout = idle_timeout
        self.max_open = max_open
        self._open: OrderedDict[Key, Transaction] = OrderedDict()
        self._now = float("-inf")
        self.last: Seen | None = None  # the message fed last

    def feed(self, seen: Seen) -> list[Transaction]:
        """Add one message; return the transactions that closed before it."""
        self.last = seen
        closed = self.expire(seen.time)
        key = (seen.message.xid, _client_key(seen))
        current = self._open.get(key)
        if current is not None and _starts_new(current, seen):
            closed.append(_classify(self._open.pop(key), cut_off=False))
            current = None
        if current is None:
            current = Transaction(xid=key[0], client=key[1])
            if len(self._open) >= self.max_open:
                closed.append(_evict(self._open.popitem(last=False)[1]))
        self._open[key] = current
        self._open.move_to_end(key)
        _add(current, seen)
        return closed

    def finish(self) -> list[Transaction]:
        """Close everything still open: the capture has ended."""
        closed = [
            _classify(txn, cut_off=self._now - _pending_since(txn) < CUT_OFF_WINDOW)
            for txn in self._open.values()
        ]
        self._open.clear()
        return sorted(closed, key=lambda txn: txn.start)

    def expire(self, now: float) -> list[Transaction]:
        """Close the transactions idle for longer than `idle_timeout` at `now`,
        oldest first. `now` may be later than the last message (a live capture
        goes quiet) and counts as the capture's end for `finish`."""
        self._now = max(self._now, now)
        closed = []
        while self._open:
            key, oldest = next(iter(self._open.items()))
            if self._now - oldest.end <= self.idle_timeout:
                break
            del self._open[key]
            closed.append(_classify(oldest, cut_off=False))
        return closed

    def in_flight(self) -> list[Transaction]:
        """The open transactions, least recently active first."""
        return list(self._open.values())

    @property
    def open_count(self) -> int:
        """How many transactions are in flight."""
        return len(self._open)


def _evict(txn: Transaction) -> Transaction:
    _classify(txn, cut_off=False)
    txn.outcome = Outcome.EVICTED
    return txn


def _pending_since(txn: Transaction) -> float:
    """When the client started waiting: its first message after the last reply."""
    waiting = txn.end
    for step in reversed(txn.steps):
        if not step.seen.from_client:
            break
        waiting = step.seen.time
    return waiting


def _client_key(seen: Seen) -> bytes:
    message = seen.message
    return bytes([message.htype]) + message.client_hardware


def _starts_new(txn: Transaction, seen: Seen) -> bool:
    """An xid reused once the exchange is over starts a new transaction.

    Over means a RELEASE or DECLINE was sent, or an ACK or NAK came. After a
    reply, only a resend of the same request (same type and ciaddr, within
    `RETRY_WINDOW` of the reply) still belongs to it: some clients renew
    with the xid of the exchange that won the lease.
    """
    if not seen.from_client:
        return False
    last = next((s.seen for s in reversed(txn.steps) if s.seen.from_client), None)
    if last is None:
        return False
    if _state_changed(last, seen):
        return True
    if last.type in _ENDS_ALONE:
        return seen.type != last.type
    reply = txn.settling_reply
    if reply is None:
        return False
    return (
        seen.type != last.type
        or seen.message.ciaddr != last.message.ciaddr
        or seen.time - reply.time > RETRY_WINDOW
    )


def _state_changed(last: Seen, seen: Seen) -> bool:
    """A REQUEST in another client state (RENEWING to REBINDING at T2, say)
    is another exchange, though clients keep the xid."""
    both_requests = last.type == seen.type == MessageType.REQUEST
    return both_requests and request_state(last) != request_state(seen)


def _add(txn: Transaction, seen: Seen) -> None:
    """Append `seen`, marking relay copies and client retransmissions."""
    step = Step(seen)
    for index in range(len(txn.steps) - 1, -1, -1):
        earlier = txn.steps[index]
        if earlier.copy_of is not None or earlier.seen.type != seen.type:
            continue
        if _is_relay_copy(earlier.seen, seen):
            step.copy_of = index
        elif seen.from_client and earlier.seen.from_client:
            step.retransmission = True
        break
    txn.steps.append(step)


def _is_relay_copy(first: Seen, second: Seen) -> bool:
    """One message seen on both sides of a relay: same type and secs, other leg."""
    return (
        second.time - first.time <= RELAY_COPY_WINDOW
        and first.message.secs == second.message.secs
        and first.relayed != second.relayed
    )


def _classify(txn: Transaction, cut_off: bool) -> Transaction:
    """Settle kind, outcome and step latencies once no more messages can come."""
    txn.kind = _kind(txn)
    txn.outcome = _outcome(txn, cut_off)
    txn.latency = _latency(txn)
    return txn


def _first_client(txn: Transaction) -> Seen | None:
    return next((s.seen for s in txn.steps if s.seen.from_client), None)


def _kind(txn: Transaction) -> Kind:
    first = _first_client(txn)
    if first is None:
        return Kind.DORA if txn.of_type(MessageType.OFFER) else Kind.UNKNOWN
    if first.type is None:
        return Kind.BOOTP
    if first.type == MessageType.DISCOVER:
        rapid = first.message.value(
            OptionCode.RAPID_COMMIT
        ) is not None and txn.of_type(MessageType.ACK)
        return Kind.RAPID_COMMIT if rapid else Kind.DORA
    if first.type == MessageType.REQUEST:
        return _REQUEST_KINDS[request_state(first)]
    return _SINGLE_KINDS.get(first.type, Kind.UNKNOWN)


_SINGLE_KINDS: dict[int, Kind] = {
    MessageType.INFORM: Kind.INFORM,
    MessageType.RELEASE: Kind.RELEASE,
    MessageType.DECLINE: Kind.DECLINE,
    MessageType.LEASEQUERY: Kind.LEASEQUERY,
}


# What a transaction whose first client message is a REQUEST was for.
_REQUEST_KINDS = {
    ClientState.SELECTING: Kind.DORA,  # the DISCOVER was not captured
    ClientState.INIT_REBOOT: Kind.INIT_REBOOT,
    ClientState.RENEWING: Kind.RENEW,
    ClientState.REBINDING: Kind.REBIND,
    ClientState.UNCLEAR: Kind.UNKNOWN,
}


def _outcome(txn: Transaction, cut_off: bool) -> Outcome:
    if _first_client(txn) is None:
        return Outcome.REPLY_ONLY
    final = txn.settling_reply
    if final is not None:
        if final.type == MessageType.NAK:
            return Outcome.NAK
        return Outcome.INFORMED if txn.kind is Kind.INFORM else Outcome.BOUND
    settled = _SETTLED.get(txn.kind)
    if settled is not None:
        return settled(txn)
    if cut_off:
        return Outcome.CUT_OFF
    return _unanswered(txn)


def _unanswered(txn: Transaction) -> Outcome:
    if txn.kind is Kind.DORA or txn.kind is Kind.RAPID_COMMIT:
        requested = txn.of_type(MessageType.REQUEST)
        if not txn.of_type(MessageType.OFFER) and not requested:
            return Outcome.NO_OFFER
        if not requested:
            return Outcome.OFFER_NOT_TAKEN
    if txn.kind is Kind.INFORM:
        return Outcome.NO_ANSWER
    return Outcome.NO_ACK


def _leasequery_outcome(txn: Transaction) -> Outcome:
    replied = any(s.seen.type in _LEASEQUERY_REPLIES for s in txn.steps)
    return Outcome.ANSWERED if replied else Outcome.NO_ANSWER


def _bootp_outcome(txn: Transaction) -> Outcome:
    replied = any(s.seen.message.op == Op.BOOTREPLY for s in txn.steps)
    return Outcome.ANSWERED if replied else Outcome.NO_ANSWER


# Kinds whose outcome does not depend on a final ACK or NAK.
_SETTLED: dict[Kind, Callable[[Transaction], Outcome]] = {
    Kind.RELEASE: lambda _: Outcome.RELEASED,
    Kind.DECLINE: lambda _: Outcome.DECLINED,
    Kind.LEASEQUERY: _leasequery_outcome,
    Kind.BOOTP: _bootp_outcome,
}


def _latency(txn: Transaction) -> Latency:
    discovers = txn.of_type(MessageType.DISCOVER)
    offers = txn.of_type(MessageType.OFFER)
    requests = txn.of_type(MessageType.REQUEST)
    first = _first_client(txn)
    final = txn.settling_reply
    chosen = _chosen_offer(offers, requests)
    before_reply = [r for r in requests if final is None or r.time <= final.time]
    return Latency(
        offer=_gap(discovers[0] if discovers else None, offers[0] if offers else None),
        request=_gap(chosen, requests[0] if requests else None),
        ack=_gap(before_reply[-1] if before_reply else None, final),
        total=_gap(first, final),
    )


def _chosen_offer(offers: list[Seen], requests: list[Seen]) -> Seen | None:
    """The OFFER whose server identifier the first REQUEST names."""
    if not offers or not requests:
        return None
    wanted = requests[0].message.value(OptionCode.SERVER_ID)
    return next(
        (o for o in offers if o.message.value(OptionCode.SERVER_ID) == wanted),
        offers[0],
    )


def _gap(earlier: Seen | None, later: Seen | None) -> float | None:
    if earlier is None or later is None or later.time < earlier.time:
        return None
    return later.time - earlier.time
