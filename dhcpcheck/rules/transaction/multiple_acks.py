"""multiple-acks: several servers ACK one client and disagree on its address.

A broadcast REQUEST in INIT-REBOOT or REBINDING state, or an INFORM, may be
answered by every server that knows the client; the client takes the first
answer. That is normal while the servers agree. When their ACKs assign
different addresses the servers hold conflicting leases for one client: the
address the client does not use stays allocated on the other server, and the
next renewal may be refused. RFC 2131 section 3.2
(https://www.rfc-editor.org/rfc/rfc2131#section-3.2) warns that servers
"SHOULD NOT respond if their information is not guaranteed to be accurate",
and section 4.3.1 says "It is important for all DHCP servers to return the
same parameters (with the possible exception of a newly allocated network
address)".

ACKs to a SELECTING REQUEST are left out: there only the selected server may
answer, and reply-from-unselected-server reports the others.

Failing exchange:

    0.0 s  0.0.0.0 -> 255.255.255.255      REQUEST requested 192.0.2.107
    0.0 s  192.0.2.1 -> 255.255.255.255    ACK 192.0.2.107 server-id 192.0.2.1
    0.1 s  192.0.2.2 -> 255.255.255.255    ACK 192.0.2.150 server-id 192.0.2.2
    -> acks from 2 servers assign different addresses
       (192.0.2.107 from 192.0.2.1, 192.0.2.150 from 192.0.2.2)

Settings: none.
"""

from collections.abc import Iterator
from ipaddress import IPv4Address

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import Hit, Settings, Severity, TransactionRule
from dhcpcheck.rules.transaction.exchange import answered, replies
from dhcpcheck.transactions.model import ClientState, Seen, Transaction, request_state
from dhcpcheck.transactions.servers import server_identifier


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit when ACKs from two or more servers hold different yiaddrs."""
    acks = [ack for ack in replies(txn, MessageType.ACK) if not _to_selecting(txn, ack)]
    first_by_server: dict[IPv4Address, Seen] = {}
    for ack in acks:
        first_by_server.setdefault(server_identifier(ack), ack)
    firsts = list(first_by_server.values())
    if len({ack.message.yiaddr for ack in firsts}) < 2:
        return
    assigned = ", ".join(
        f"{ack.message.yiaddr} from {server_identifier(ack)}" for ack in firsts
    )
    yield Hit(
        f"acks from {len(firsts)} servers assign different addresses ({assigned})",
        frames=(firsts[1].frame, firsts[0].frame, *(a.frame for a in firsts[2:])),
        xid=txn.xid,
        client=txn.client_mac,
        server=server_identifier(firsts[1]),
        field="yiaddr",
    )


def _to_selecting(txn: Transaction, ack: Seen) -> bool:
    request = answered(txn, ack)
    return (
        request is not None
        and request.type == MessageType.REQUEST
        and request_state(request) is ClientState.SELECTING
    )


RULE = TransactionRule(
    code="DHC208",
    name="multiple-acks",
    severity=Severity.WARNING,
    summary="ACKs from several servers assign the client different addresses",
    doc=__doc__ or "",
    check=check,
)
