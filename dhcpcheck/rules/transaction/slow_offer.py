"""slow-offer: the first OFFER came long after the client's first DISCOVER.

The time from a client's first DISCOVER to the first OFFER it receives is
what Kea's perfdhcp reports as the DISCOVER-OFFER delay, and what a user
waits before any address arrives. RFC 2131 section 4.1
(https://www.rfc-editor.org/rfc/rfc2131#section-4.1) has the client give up
on a DISCOVER after "4 seconds randomized by the value of a uniform random
number chosen from the range -1 to +1", so an answer slower than about 3 s
comes after a retransmission, and the finding says how many DISCOVERs it
took. A slow server is usually overloaded, waiting on a database or
failover partner, or probing the address first: section 2.2 says the
allocating server "SHOULD probe the reused address before allocating the
address, e.g., with an ICMP echo request", and dnsmasq waits up to 3 s for an
echo reply. The default threshold, 4 s, is the client's first retransmission
timer: a server that probes as recommended stays under it, one that makes the
client ask again does not. Lower it where offers must be fast.

The delay is measured from the first DISCOVER, so a DISCOVER lost on the way
counts against the server; the frames show every DISCOVER sent.

Failing exchange (threshold 1.0 s, set lower than the default):

    0.0 s  0.0.0.0 -> 255.255.255.255  DISCOVER
    3.0 s  192.0.2.1 -> 192.0.2.107    OFFER
    -> offer after 3.0 s (threshold 1.0 s)

Settings:

    threshold  seconds from the first DISCOVER to the first OFFER (default 4.0)
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import (
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
    TransactionRule,
)
from dhcpcheck.rules.transaction.exchange import seconds
from dhcpcheck.transactions.model import Transaction
from dhcpcheck.transactions.servers import server_identifier


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit when the first OFFER took longer than the threshold."""
    threshold = settings.number("threshold")
    delay = txn.latency.offer
    if delay is None or delay <= threshold:
        return
    offer = txn.of_type(MessageType.OFFER)[0]
    discovers = [d for d in txn.of_type(MessageType.DISCOVER) if d.time <= offer.time]
    sent = f" and {len(discovers)} discovers" if len(discovers) > 1 else ""
    yield Hit(
        f"offer after {seconds(delay, threshold)} s{sent} "
        f"(threshold {threshold:.1f} s)",
        frames=(offer.frame, *(d.frame for d in discovers)),
        xid=txn.xid,
        client=txn.client_mac,
        server=server_identifier(offer),
    )


RULE = TransactionRule(
    code="DHC214",
    name="slow-offer",
    severity=Severity.WARNING,
    summary="the first OFFER came later than the threshold after the DISCOVER",
    doc=__doc__ or "",
    check=check,
    settings={
        "threshold": Setting(
            SettingKind.NUMBER,
            4.0,
            "seconds from the first DISCOVER to the first OFFER",
        )
    },
)
