"""lease-expired: the capture outlives a lease nobody renewed or released.

For every lease the capture saw granted, reports it when the capture runs
past its expiry (the ACK's time plus the lease time) while no ACK extended it,
no RELEASE or DECLINE gave it back, no NAK took it away and no new grant
replaced it. RFC 2131 section 4.4.5
(https://www.rfc-editor.org/rfc/rfc2131#section-4.4.5):

    If the lease expires before the client receives a DHCPACK, the client
    moves to INIT state, MUST immediately stop any other network
    processing and requests network initialization parameters as if the
    client were uninitialized.

A warning when the client tried to renew or rebind and no server answered:
the client lost its address mid-use. Information when the client never
tried: most likely it left the network without a RELEASE, which the RFC
allows ("the correct operation of DHCP does not depend on the transmission
of DHCPRELEASE messages", section 4.4.6). Infinite leases never expire.

Failing exchange, a one-hour lease:

    0 s REQUEST, ACK lease-time 3600; 1800 s, 2700 s REQUEST ciaddr (no
    answer); 3150 s, 3400 s REQUEST ciaddr broadcast (no answer); capture
    runs on past 3600 s
    -> 192.0.2.10 expired unrenewed (lease 3600 s, 4 attempts unanswered)

No settings. One finding per expired lease; its frames are the ACK that
granted the lease, then the first REQUEST of each attempt to extend it.
"""

import math
from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import ClientRule, Hit, Settings, Severity
from dhcpcheck.rules.lease.grants import given_up, granting_ack, span
from dhcpcheck.transactions.leases import Client, Lease


def check(client: Client, end: float, settings: Settings) -> Iterator[Hit]:
    """One hit per lease that ran out while the capture went on."""
    for lease in client.leases:
        found = _expired(client, lease, end)
        if found is None:
            continue
        lease_time, attempts = found
        ack = granting_ack(lease)
        whole = f"lease {span(lease_time)}"
        text = f"expired with no renewal attempt ({whole})"
        if attempts:
            tried = f"{len(attempts)} attempt{'' if len(attempts) == 1 else 's'}"
            text = f"expired unrenewed ({whole}, {tried} unanswered)"
        yield Hit(
            f"{lease.address} {text}",
            frames=(ack.frame, *attempts),
            xid=ack.message.xid,
            client=client.mac,
            server=lease.server,
            severity=None if attempts else Severity.INFO,
        )


def keeps(client: Client, lease: Lease, settings: Settings) -> bool:
    """Whether an ended lease ran out first (its end is then moot)."""
    return _expired(client, lease, math.inf) is not None


def _expired(client: Client, lease: Lease, end: float) -> tuple[int, list[int]] | None:
    """The lease time and the first frame of each attempt to extend `lease`,
    if it ran out before `end` while still held; None if it did not."""
    if lease.lease_time is None or lease.infinite:
        return None
    expiry = granting_ack(lease).time + lease.lease_time
    stopped = given_up(client, lease)
    if end < expiry or (stopped is not None and stopped < expiry):
        return None
    attempts = sorted(lease.renewals + lease.rebinds, key=lambda txn: txn.start)
    frames = [txn.of_type(MessageType.REQUEST)[0].frame for txn in attempts]
    return lease.lease_time, frames


RULE = ClientRule(
    code="DHC305",
    name="lease-expired",
    severity=Severity.WARNING,
    summary="a lease ran out with no renewal, release or new grant",
    doc=__doc__ or "",
    check=check,
    keeps=keeps,
)
