"""rebind-timing: broadcast rebinding starts at T2, unicast renewing stops there.

For every lease the capture saw granted, looks at the REQUESTs that tried to
extend it ('ciaddr' set) against T2, the rebinding time of option 59 or its
default of 0.875 of the lease. RFC 2131 section 4.4.5
(https://www.rfc-editor.org/rfc/rfc2131#section-4.4.5):

    If no DHCPACK arrives before time T2, the client moves to REBINDING
    state and sends (via broadcast) a DHCPREQUEST message to extend its
    lease.

Two things are reported: a broadcast REQUEST more than `tolerance` seconds
before T2 (the client rebinds early, asking every server on the segment to
extend another server's lease), and a unicast REQUEST more than `tolerance`
seconds after T2 (the client never moves to REBINDING, so its lease dies
with the server that granted it; busybox udhcpc, which ignores T1 and T2,
does this). T2 counts from the REQUEST that won the lease for the first
check and, leniently, from its ACK for the second. A REQUEST seen on the
relay-to-server leg counts as broadcast: only a broadcast reaches a relay.

Failing exchanges, a one-hour lease with T2 3150 s:

    0 s REQUEST, ACK; 1200 s REQUEST ciaddr to 255.255.255.255
    -> rebinding before T2 (broadcast REQUEST after 1200 s, T2 3150 s)

    0 s REQUEST, ACK; 1800 s, 2700 s, 3300 s REQUEST ciaddr to the server
    -> renewing by unicast after T2 (REQUEST after 3300 s, T2 3150 s)

Settings: `tolerance` (2 seconds) either side of T2. One finding per client
for each of the two, counting the leases involved.
"""

from collections.abc import Iterator

from dhcpcheck.rules.base import (
    ClientRule,
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.lease.grants import extension_requests, granting_ack, span
from dhcpcheck.transactions.leases import Client, Lease
from dhcpcheck.transactions.model import BROADCAST, Seen

Found = list[tuple[Lease, Seen, float]]  # lease, first REQUEST out of time, T2


def check(client: Client, end: float, settings: Settings) -> Iterator[Hit]:
    """At most one hit for early rebinding and one for late renewing."""
    tolerance = settings.number("tolerance")
    early: Found = []
    late: Found = []
    for lease in client.leases:
        rebinding, renewing = _out_of_time(lease, tolerance)
        early += rebinding
        late += renewing
    if early:
        yield _hit(client, early, "rebinding before T2", "broadcast REQUEST")
    if late:
        yield _hit(client, late, "renewing by unicast after T2", "REQUEST")


def keeps(client: Client, lease: Lease, settings: Settings) -> bool:
    """Whether an ended lease was rebound early or renewed late."""
    return any(_out_of_time(lease, settings.number("tolerance")))


def _out_of_time(lease: Lease, tolerance: float) -> tuple[Found, Found]:
    """The lease's first REQUEST that rebinds before T2, and its first that
    still renews after T2: each in a list of one, or none."""
    if lease.rebind_at is None:
        return [], []
    t2 = lease.rebind_at - lease.start
    last_renewal = granting_ack(lease).time + t2 + tolerance
    requests = extension_requests(lease)
    rebinding = [seen for seen in requests if _broadcast(seen)]
    renewing = [s for s in requests if not _broadcast(s) and s.time > last_renewal]
    early: Found = []
    if rebinding and rebinding[0].time < lease.rebind_at - tolerance:
        early.append((lease, rebinding[0], t2))
    late: Found = [(lease, seen, t2) for seen in renewing[:1]]
    return early, late


def _broadcast(seen: Seen) -> bool:
    return seen.ip_dst == BROADCAST or seen.relayed


def _hit(client: Client, found: Found, what: str, sent: str) -> Hit:
    lease, first, t2 = found[0]
    after = span(first.time - lease.start)
    shown = f"{sent} after {after}"
    if len(found) > 1:
        shown = f"{len(found)} leases, first {shown}"
    return Hit(
        f"{what} ({shown}, T2 {span(t2)})",
        frames=tuple(seen.frame for _, seen, _ in found),
        xid=first.message.xid,
        client=client.mac,
        server=lease.server,
    )


RULE = ClientRule(
    code="DHC304",
    name="rebind-timing",
    severity=Severity.WARNING,
    summary="rebinding (broadcast) starts at T2 and renewing (unicast) stops there",
    doc=__doc__ or "",
    check=check,
    keeps=keeps,
    settings={
        "tolerance": Setting(
            SettingKind.NUMBER, 2.0, "seconds allowed either side of T2"
        ),
    },
)
