"""offer-not-taken: servers offered addresses and the client requested none.

Not a protocol violation: RFC 2131 section 3.1
(https://www.rfc-editor.org/rfc/rfc2131#section-3.1) says "If the client
receives no acceptable offers, the client may choose to try another
DHCPDISCOVER message. Therefore, the servers may not receive a specific
DHCPREQUEST from which they can decide whether or not the client has
accepted the offer." But when no offer at all is followed by a REQUEST, the
client most often never received them: a unicast OFFER to a client that
cannot take unicast before it is configured (it should have set the
BROADCAST bit, section 4.1), a relay that does not forward replies, or a
filter on the client's port 68. Hence info.

Only transactions with no REQUEST count: an OFFER that loses to another
server's is normal and never reported. OFFERs carrying option 108
(IPv6-only preferred) are left out, as RFC 8925 section 3.2 has a client that
asked for it stop there without a REQUEST.

Failing exchange:

    0.0 s  0.0.0.0 -> 255.255.255.255  DISCOVER (broadcast bit clear)
    0.0 s  192.0.2.1 -> 192.0.2.107    OFFER 192.0.2.107
    4.0 s  0.0.0.0 -> 255.255.255.255  DISCOVER secs 4
    4.0 s  192.0.2.1 -> 192.0.2.107    OFFER 192.0.2.107
    -> no request after 2 offers (192.0.2.107 from 192.0.2.1)

Settings: none.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import Hit, Settings, Severity, TransactionRule
from dhcpcheck.transactions.model import Outcome, Transaction
from dhcpcheck.transactions.servers import server_identifier


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit for a transaction whose outcome is OFFER_NOT_TAKEN."""
    if txn.outcome is not Outcome.OFFER_NOT_TAKEN:
        return
    offers = [
        offer
        for offer in txn.of_type(MessageType.OFFER)
        if offer.message.value(OptionCode.IPV6_ONLY_PREFERRED) is None
    ]
    if not offers:
        return
    made = dict.fromkeys(
        f"{offer.message.yiaddr} from {server_identifier(offer)}" for offer in offers
    )
    count = "offer" if len(offers) == 1 else f"{len(offers)} offers"
    yield Hit(
        f"no request after {count} ({', '.join(made)})",
        frames=tuple(offer.frame for offer in offers),
        xid=txn.xid,
        client=txn.client_mac,
        server=server_identifier(offers[0]),
    )


RULE = TransactionRule(
    code="DHC204",
    name="offer-not-taken",
    severity=Severity.INFO,
    summary="the client sent no REQUEST after the OFFERs it was sent",
    doc=__doc__ or "",
    check=check,
)
