"""ack-address-mismatch: the ACK assigns another address than was requested.

A REQUEST names the address it wants: option 50 in SELECTING and
INIT-REBOOT, ciaddr in RENEWING and REBINDING (RFC 2131 Table 4). The ACK
confirms that address. RFC 2131 section 3.1 step 4
(https://www.rfc-editor.org/rfc/rfc2131#section-3.1): "The 'yiaddr' field in
the DHCPACK messages is filled in with the selected network address." and
"If the selected server is unable to satisfy the DHCPREQUEST message (e.g.,
the requested network address has been allocated), the server SHOULD
respond with a DHCPNAK message." A client given another address than it
asked for may reject the ACK, or use an address it never probed.

The expected address is ciaddr when the REQUEST has one, else option 50; a
REQUEST with neither is not judged, nor is an ACK to a DISCOVER (rapid
commit, where option 50 is only a hint) or to an INFORM.

Failing exchange:

    0.0 s  0.0.0.0 -> 255.255.255.255  REQUEST requested 192.0.2.107
    0.0 s  192.0.2.1 -> 192.0.2.108    ACK yiaddr 192.0.2.108
    -> ack assigns 192.0.2.108 (requested 192.0.2.107)

Settings: none.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import Hit, Settings, Severity, TransactionRule
from dhcpcheck.rules.transaction.exchange import ZERO, address, answered, replies
from dhcpcheck.transactions.model import Transaction
from dhcpcheck.transactions.servers import server_identifier


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit per ACK whose yiaddr is not the address its REQUEST named."""
    for ack in replies(txn, MessageType.ACK):
        request = answered(txn, ack)
        if request is None or request.type != MessageType.REQUEST:
            continue
        ciaddr = request.message.ciaddr
        if ciaddr != ZERO:
            expected, source = ciaddr, "client's ciaddr"
        else:
            wanted = address(request, OptionCode.REQUESTED_IP)
            if wanted is None:
                continue
            expected, source = wanted, "requested"
        if ack.message.yiaddr == expected:
            continue
        yield Hit(
            f"ack assigns {ack.message.yiaddr} ({source} {expected})",
            frames=(ack.frame, request.frame),
            xid=txn.xid,
            client=txn.client_mac,
            server=server_identifier(ack),
            field="yiaddr",
        )


RULE = TransactionRule(
    code="DHC206",
    name="ack-address-mismatch",
    severity=Severity.ERROR,
    summary="the ACK's yiaddr is not the address the REQUEST asked for",
    doc=__doc__ or "",
    check=check,
)
