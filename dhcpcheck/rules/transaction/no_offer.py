"""no-offer: a client's DISCOVERs went unanswered.

The client broadcast DHCPDISCOVER, retransmitted it, and no server offered an
address before the transaction closed. RFC 2131 section 3.1 step 3
(https://www.rfc-editor.org/rfc/rfc2131#section-3.1): "The client times out
and retransmits the DHCPDISCOVER message if the client receives no DHCPOFFER
messages." A client that hears nothing never gets an address: the server is
down, the relay does not forward, the pool is exhausted, or the server
chooses not to answer this client (section 4.2).

An exchange still waiting when the capture ends (the tracker calls it cut
off) is reported only once the client has resent its DISCOVER: the resend
shows it already waited in vain. An ACK without OFFER is rapid commit
(RFC 4039), not a missing offer.

Failing exchange:

    0.0 s  0.0.0.0 -> 255.255.255.255  DISCOVER xid 0x6265ab6d
    4.1 s  0.0.0.0 -> 255.255.255.255  DISCOVER xid 0x6265ab6d secs 4
   12.0 s  0.0.0.0 -> 255.255.255.255  DISCOVER xid 0x6265ab6d secs 12
    -> no offer to 3 discovers over 12.0 s

Settings: none.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import Hit, Settings, Severity, TransactionRule
from dhcpcheck.rules.transaction.exchange import replies
from dhcpcheck.transactions.model import Outcome, Transaction


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit when DISCOVERs got neither OFFER nor (rapid commit) ACK."""
    discovers = txn.of_type(MessageType.DISCOVER)
    if not discovers or replies(txn, MessageType.OFFER, MessageType.ACK):
        return
    cut_off = txn.outcome is Outcome.CUT_OFF
    if cut_off and len(discovers) < 2:
        return
    if len(discovers) == 1:
        message = "no offer to discover"
    else:
        span = discovers[-1].time - discovers[0].time
        message = f"no offer to {len(discovers)} discovers over {span:.1f} s"
    if cut_off:
        message += " before the capture ended"
    yield Hit(
        message,
        frames=tuple(seen.frame for seen in discovers),
        xid=txn.xid,
        client=txn.client_mac,
    )


RULE = TransactionRule(
    code="DHC201",
    name="no-offer",
    severity=Severity.WARNING,
    summary="no server offered an address to the client's DISCOVERs",
    doc=__doc__ or "",
    check=check,
)
