"""reply-from-unselected-server: a server answered a REQUEST that chose another.

In SELECTING state the client broadcasts its REQUEST with the server
identifier (option 54) of the one OFFER it accepted; every other server must
take it as a refusal. RFC 2131 section 3.1 step 4
(https://www.rfc-editor.org/rfc/rfc2131#section-3.1): "Those servers not
selected by the DHCPREQUEST message use the message as notification that the
client has declined that server's offer. The server selected in the
DHCPREQUEST message commits the binding for the client to persistent storage
and responds with a DHCPACK message". An ACK or NAK from another server
means two servers think they own the client: a NAK from it can undo a good
lease, an ACK commits an address the client will not use.

Only replies carrying a four-byte option 54 are judged; a reply without one
is a message-rule matter, and its IP source may be a relay's.

Failing exchange:

    0.0 s  0.0.0.0 -> 255.255.255.255    REQUEST server-id 192.0.2.1
                                         requested 192.0.2.107
    0.0 s  192.0.2.2 -> 255.255.255.255  NAK server-id 192.0.2.2
    -> nak from 192.0.2.2 (request selected 192.0.2.1)

Settings: none.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import Hit, Settings, Severity, TransactionRule
from dhcpcheck.rules.transaction.exchange import address, answered, replies, type_name
from dhcpcheck.transactions.model import ClientState, Transaction, request_state


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit per ACK or NAK from a server the SELECTING request did not name."""
    for reply in replies(txn, MessageType.ACK, MessageType.NAK):
        request = answered(txn, reply)
        if request is None or request.type != MessageType.REQUEST:
            continue
        if request_state(request) is not ClientState.SELECTING:
            continue
        selected = address(request, OptionCode.SERVER_ID)
        replier = address(reply, OptionCode.SERVER_ID)
        if selected is None or replier is None or selected == replier:
            continue
        yield Hit(
            f"{type_name(reply)} from {replier} (request selected {selected})",
            frames=(reply.frame, request.frame),
            xid=txn.xid,
            client=txn.client_mac,
            server=replier,
            option=OptionCode.SERVER_ID,
        )


RULE = TransactionRule(
    code="DHC205",
    name="reply-from-unselected-server",
    severity=Severity.ERROR,
    summary="a server the SELECTING REQUEST did not choose sent ACK or NAK",
    doc=__doc__ or "",
    check=check,
)
