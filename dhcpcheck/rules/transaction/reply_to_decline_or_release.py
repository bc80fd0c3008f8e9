"""reply-to-decline-or-release: a server answered a DECLINE or a RELEASE.

Neither message has a reply. RFC 2131 section 4.3.3
(https://www.rfc-editor.org/rfc/rfc2131#section-4.3.3): "If the server
receives a DHCPDECLINE message, the client has discovered through some other
means that the suggested network address is already in use. The server MUST
mark the network address as not available"; section 4.3.4: "Upon receipt of
a DHCPRELEASE message, the server marks the network address as not
allocated." Table 2 of section 3.1 lists no server message for either. A
server message that follows one with its xid is either a late reply to the
exchange before it (the client reused the xid) or a server that mistook the
message for a request; both deserve a look.

Failing exchange:

    0.0 s  192.0.2.107 -> 192.0.2.1  RELEASE ciaddr 192.0.2.107 xid 0x1234
    0.0 s  192.0.2.1 -> 192.0.2.107  ACK xid 0x1234
    -> ack after release (no reply expected)

Settings: none.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import Hit, Settings, Severity, TransactionRule
from dhcpcheck.rules.transaction.exchange import type_name
from dhcpcheck.transactions.model import Transaction
from dhcpcheck.transactions.servers import server_identifier

_UNANSWERED = frozenset({MessageType.DECLINE, MessageType.RELEASE})


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit per server message after the first DECLINE or RELEASE."""
    ended = None
    for step in txn.steps:
        seen = step.seen
        if ended is None:
            if step.copy_of is None and seen.from_client and seen.type in _UNANSWERED:
                ended = seen
            continue
        if step.copy_of is not None or seen.from_client:
            continue
        yield Hit(
            f"{type_name(seen)} after {type_name(ended)} (no reply expected)",
            frames=(seen.frame, ended.frame),
            xid=txn.xid,
            client=txn.client_mac,
            server=server_identifier(seen),
        )


RULE = TransactionRule(
    code="DHC209",
    name="reply-to-decline-or-release",
    severity=Severity.WARNING,
    summary="a server sent a message with the xid of a DECLINE or RELEASE",
    doc=__doc__ or "",
    check=check,
)
