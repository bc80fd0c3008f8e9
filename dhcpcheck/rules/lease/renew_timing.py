"""renew-timing: the first renewal of a lease comes around T1, not long before
it and not never.

For every lease the capture saw granted, looks at the first RENEWING REQUEST
(unicast, 'ciaddr' set) against T1, the renewal time of option 58 or its
default of half the lease. RFC 2131 section 4.4.5
(https://www.rfc-editor.org/rfc/rfc2131#section-4.4.5):

    At time T1 the client moves to RENEWING state and sends (via unicast)
    a DHCPREQUEST message to the server to extend its lease.

    A client MAY choose to renew or extend its lease prior to T1.

Two things are reported. A first renewal more than `tolerance` x T1 early:
allowed, but a client that renews seconds after every ACK is a renewal storm
(ISC dhclient renews anywhere from 0.75 x T1, so the default tolerance is
0.5). And a lease that reached T2 with no renewal at all while the capture
ran: the client skipped RENEWING and can only broadcast from then on. Timers
count from the REQUEST that won the lease; a client that counts from the ACK
instead is given that much more time.

A capture point that sees only broadcasts (a mirror port away from the
client and the server) misses unicast renewals; ignore the rule there.

Failing exchanges, a one-hour lease with T1 1800 s and T2 3150 s:

    0 s REQUEST, ACK; 5 s REQUEST ciaddr (unicast), ACK; 10 s REQUEST ...
    -> renewed long before T1 (after 5 s, T1 1800 s)

    0 s REQUEST, ACK; 3150 s REQUEST ciaddr (broadcast)
    -> no renewal before T2 (T1 1800 s, T2 3150 s)

Settings: `tolerance` (0.5), how much of T1 a first renewal may come early.
One finding per client for each of the two, counting the leases involved.
"""

import math
from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import (
    ClientRule,
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.lease.grants import given_up, granting_ack, span
from dhcpcheck.transactions.leases import Client, Lease
from dhcpcheck.transactions.model import Seen


def check(client: Client, end: float, settings: Settings) -> Iterator[Hit]:
    """At most one hit for early renewals and one for skipped ones."""
    tolerance = settings.number("tolerance")
    early = [
        (lease, *found)
        for lease in client.leases
        if (found := _renewed_early(lease, tolerance)) is not None
    ]
    skipped = [
        (lease, *timers)
        for lease in client.leases
        if (timers := _not_renewed(client, lease, end)) is not None
    ]
    if early:
        yield _early(client, early)
    if skipped:
        yield _skipped(client, skipped)


def keeps(client: Client, lease: Lease, settings: Settings) -> bool:
    """Whether an ended lease is one `check` reports (its end is then moot)."""
    tolerance = settings.number("tolerance")
    early = _renewed_early(lease, tolerance)
    return early is not None or _not_renewed(client, lease, math.inf) is not None


def _renewed_early(lease: Lease, tolerance: float) -> tuple[Seen, float] | None:
    """The first renewal and T1, if it came too long before T1."""
    t1, t2 = _timers(lease)
    if t1 is None or t2 is None:
        return None
    first = _first_renewal(lease)
    if first is not None and first.time - lease.start < t1 * (1 - tolerance):
        return first, t1
    return None


def _not_renewed(
    client: Client, lease: Lease, end: float
) -> tuple[float, float] | None:
    """T1 and T2, if the lease was held past T2 with no renewal before."""
    t1, t2 = _timers(lease)
    if t1 is None or t2 is None:
        return None
    # Lenient: a client may count T2 from the ACK rather than the REQUEST.
    deadline = granting_ack(lease).time + t2
    stopped = given_up(client, lease)
    if end < deadline or (stopped is not None and stopped < deadline):
        return None
    first = _first_renewal(lease)
    return (t1, t2) if first is None or first.time >= deadline else None


def _timers(lease: Lease) -> tuple[float | None, float | None]:
    """T1 and T2 in seconds from the start of the lease, sent or default."""
    renew_at, rebind_at = lease.renew_at, lease.rebind_at
    return (
        None if renew_at is None else renew_at - lease.start,
        None if rebind_at is None else rebind_at - lease.start,
    )


def _first_renewal(lease: Lease) -> Seen | None:
    sent = [txn.of_type(MessageType.REQUEST) for txn in lease.renewals]
    return min((each[0] for each in sent if each), key=lambda s: s.time, default=None)


def _early(client: Client, early: list[tuple[Lease, Seen, float]]) -> Hit:
    lease, first, t1 = early[0]
    shown = f"after {span(first.time - lease.start)}"
    if len(early) > 1:
        shown = f"{len(early)} leases, first {shown}"
    return Hit(
        f"renewed long before T1 ({shown}, T1 {span(t1)})",
        frames=tuple(seen.frame for _, seen, _ in early),
        xid=first.message.xid,
        client=client.mac,
        server=lease.server,
    )


def _skipped(client: Client, skipped: list[tuple[Lease, float, float]]) -> Hit:
    lease, t1, t2 = skipped[0]
    timers = f"T1 {span(t1)}, T2 {span(t2)}"
    if len(skipped) > 1:
        timers = f"{len(skipped)} leases, first with {timers}"
    acks = [granting_ack(each) for each, _, _ in skipped]
    return Hit(
        f"no renewal before T2 ({timers})",
        frames=tuple(ack.frame for ack in acks),
        xid=acks[0].message.xid,
        client=client.mac,
        server=lease.server,
    )


RULE = ClientRule(
    code="DHC303",
    name="renew-timing",
    severity=Severity.WARNING,
    summary="the first renewal comes around T1: not long before, not after T2",
    doc=__doc__ or "",
    check=check,
    keeps=keeps,
    settings={
        "tolerance": Setting(
            SettingKind.NUMBER, 0.5, "fraction of T1 a first renewal may come early"
        ),
    },
)
