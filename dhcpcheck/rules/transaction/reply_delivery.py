"""reply-delivery: a reply was sent somewhere RFC 2131 does not send it.

RFC 2131 section 4.1 (https://www.rfc-editor.org/rfc/rfc2131#section-4.1):
"If the 'giaddr' field in a DHCP message from a client is non-zero, the
server sends any return messages to the 'DHCP server' port on the BOOTP
relay agent whose address appears in 'giaddr'. If the 'giaddr' field is zero
and the 'ciaddr' field is nonzero, then the server unicasts DHCPOFFER and
DHCPACK messages to the address in 'ciaddr'. If 'giaddr' is zero and
'ciaddr' is zero, and the broadcast bit is set, then the server broadcasts
DHCPOFFER and DHCPACK messages to 0xffffffff. If the broadcast bit is not set
and 'giaddr' is zero and 'ciaddr' is zero, then the server unicasts
DHCPOFFER and DHCPACK messages to the client's hardware address and 'yiaddr'
address. In all cases, when 'giaddr' is zero, the server broadcasts any
DHCPNAK messages to 0xffffffff." The same section holds a relay "sending or
relaying a DHCP message directly to a DHCP client" to the broadcast-bit rule,
so a reply seen on the client's segment is judged by the giaddr-zero rules
even when giaddr is set. Section 4.3.2 adds for a relayed NAK: "The server
MUST set the broadcast bit in the DHCPNAK".

A reply that does not reach the client is lost, so severities follow the
harm and the RFC's words:

    error    to the relay: not to giaddr port 67, or a NAK without the
             broadcast bit; to the client: a NAK not broadcast, or a port
             other than 68
    warning  not unicast to ciaddr; not broadcast with the broadcast bit
             set; unicast to another address than yiaddr, or at all when
             yiaddr is 0.0.0.0 (RFC 8925 and RFC 2563 offers)
    info     broadcast although the bit was clear ("If unicasting is not
             possible, the message MAY be sent as an IP broadcast"), or the
             subnet's directed broadcast instead of 255.255.255.255

The flags and ciaddr are the client's, from the request the reply answers
(the reply's own when that was not captured); giaddr is the reply's. A
reply with giaddr set going to port 68 is taken as the relay's delivery to
the client, so a server that bypasses the relay is judged as one.

Failing exchange:

    0.0 s  0.0.0.0 -> 255.255.255.255      REQUEST requested 192.0.2.107
    0.0 s  192.0.2.1 -> 192.0.2.107:68     NAK
    -> nak sent to 192.0.2.107:68 (expected 255.255.255.255:68, naks are
       broadcast)

Settings: none.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address

from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import Hit, Settings, Severity, TransactionRule
from dhcpcheck.rules.transaction.exchange import ZERO, address, answered, type_name
from dhcpcheck.transactions.model import BROADCAST, Seen, Transaction
from dhcpcheck.transactions.servers import server_identifier

SERVER_PORT = 67
CLIENT_PORT = 68
_DELIVERED = frozenset({MessageType.OFFER, MessageType.ACK, MessageType.NAK})
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True, slots=True)
class Delivery:
    """Where a reply should go, why, and how much sending it elsewhere matters."""

    address: IPv4Address
    port: int
    reason: str
    field: str | None  # the header field that decided
    severity: Severity
    tolerated: IPv4Address | None = None  # another address, allowed: info


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit per OFFER, ACK or NAK, on either leg, sent to the wrong place."""
    for step in txn.steps:
        reply = step.seen
        if reply.from_client or reply.type not in _DELIVERED:
            continue
        giaddr = reply.message.giaddr
        if giaddr != ZERO and reply.dport != CLIENT_PORT:
            expected = Delivery(giaddr, SERVER_PORT, "relay in giaddr", "giaddr", ERROR)
            yield from _judge(txn, reply, expected, (reply.frame,))
            yield from _relayed_nak(txn, reply)
        else:
            request = answered(txn, reply)
            client = request or reply  # whose flags and ciaddr count
            frames = (reply.frame, client.frame) if request else (reply.frame,)
            yield from _judge(txn, reply, _to_client(reply, client), frames)


def _to_client(reply: Seen, client: Seen) -> Delivery:
    """RFC 2131 section 4.1's choice for a reply on the client's segment."""
    if reply.type == MessageType.NAK:
        return Delivery(BROADCAST, CLIENT_PORT, "naks are broadcast", None, ERROR)
    ciaddr = client.message.ciaddr
    if ciaddr != ZERO:
        return Delivery(ciaddr, CLIENT_PORT, "client's ciaddr", "ciaddr", WARNING)
    if client.message.broadcast:
        return Delivery(
            BROADCAST,
            CLIENT_PORT,
            "broadcast bit set",
            "flags",
            WARNING,
            tolerated=_directed_broadcast(reply),
        )
    yiaddr = reply.message.yiaddr
    if yiaddr == ZERO:  # nothing to unicast to (RFC 8925, RFC 2563 offers)
        return Delivery(BROADCAST, CLIENT_PORT, "no yiaddr", "yiaddr", WARNING)
    return Delivery(
        yiaddr,
        CLIENT_PORT,
        "broadcast bit clear",
        "flags",
        WARNING,
        tolerated=BROADCAST,
    )


def _directed_broadcast(reply: Seen) -> IPv4Address | None:
    """The broadcast address of yiaddr's subnet, by the reply's option 1."""
    mask = address(reply, OptionCode.SUBNET_MASK)
    if mask is None:
        return None
    return IPv4Address(int(reply.message.yiaddr) | (~int(mask) & 0xFFFFFFFF))


def _judge(
    txn: Transaction, reply: Seen, expected: Delivery, frames: tuple[int, ...]
) -> Iterator[Hit]:
    if reply.dport != expected.port:
        severity = ERROR  # nothing listens there: the reply is lost
    elif reply.ip_dst == expected.address:
        return
    elif reply.ip_dst == expected.tolerated:
        severity = INFO
    else:
        severity = expected.severity
    yield _hit(
        txn,
        reply,
        f"{type_name(reply)} sent to {reply.ip_dst}:{reply.dport} "
        f"(expected {expected.address}:{expected.port}, {expected.reason})",
        expected.field,
        severity,
        frames,
    )


def _relayed_nak(txn: Transaction, reply: Seen) -> Iterator[Hit]:
    """RFC 2131 section 4.3.2: a NAK to a relay carries the broadcast bit."""
    if reply.type == MessageType.NAK and not reply.message.broadcast:
        flags = reply.message.flags
        yield _hit(
            txn,
            reply,
            f"nak to relay with broadcast bit clear (flags 0x{flags:04x})",
            "flags",
            ERROR,
            (reply.frame,),
        )


def _hit(
    txn: Transaction,
    reply: Seen,
    message: str,
    field: str | None,
    severity: Severity,
    frames: tuple[int, ...],
) -> Hit:
    return Hit(
        message,
        frames=frames,
        xid=txn.xid,
        client=txn.client_mac,
        server=server_identifier(reply),
        field=field,
        severity=severity,
    )


RULE = TransactionRule(
    code="DHC213",
    name="reply-delivery",
    severity=Severity.WARNING,
    summary="a reply went to another address or port than RFC 2131 4.1 says",
    doc=__doc__ or "",
    check=check,
)
