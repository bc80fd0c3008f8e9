"""What lease rules read off a lease beyond the fields `leases.py` keeps.

The ACK that granted it, the REQUESTs that tried to extend it and the time the
client gave it up; helpers only, no rule lives here.
"""

from dhcpcheck.decode.options import MessageType
from dhcpcheck.transactions.leases import Client, Lease
from dhcpcheck.transactions.model import Outcome, Seen


def granting_ack(lease: Lease) -> Seen:
    """The ACK that granted `lease`: the last of its transaction, as leases.py
    takes it."""
    return lease.granted_by.of_type(MessageType.ACK)[-1]


def extension_requests(lease: Lease) -> list[Seen]:
    """The REQUESTs sent to renew or rebind `lease`, retransmissions included."""
    attempts = lease.renewals + lease.rebinds
    sent = (seen for txn in attempts for seen in txn.of_type(MessageType.REQUEST))
    return sorted(sent, key=lambda seen: seen.time)


def given_up(client: Client, lease: Lease) -> float | None:
    """When the client stopped holding `lease` short of its expiry, or None.

    A later grant or a RELEASE (`lease.ended`), a DECLINE of its address, or a
    NAK to a renewal or rebind: after a NAK the client "cannot reuse its
    remembered network address" (RFC 2131 section 3.2).
    """
    times = [] if lease.ended is None else [lease.ended]
    times += [
        seen.time
        for seen, address in client.declines or ()
        if address == lease.address and seen.time >= lease.start
    ]
    times += [
        txn.of_type(MessageType.NAK)[0].time
        for txn in lease.renewals + lease.rebinds
        if txn.outcome is Outcome.NAK
    ]
    return min(times, default=None)


def span(seconds: float) -> str:
    """A duration as findings print it: `1800 s`, `16.4 s`."""
    return f"{seconds:.1f}".removesuffix(".0") + " s"
