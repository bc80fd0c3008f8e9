"""slow-ack: a server took long to answer a REQUEST or INFORM.

The time from a REQUEST to the ACK or NAK that answers it is what Kea's
perfdhcp reports as the REQUEST-ACK delay; for an INFORM it is the wait for
configuration. The lease is committed to storage before the ACK goes out
(RFC 2131 section 3.1 step 4, https://www.rfc-editor.org/rfc/rfc2131#section-3.1:
"The server selected in the DHCPREQUEST message commits the binding for the
client to persistent storage and responds with a DHCPACK message"), so a
slow ACK usually means slow lease storage, a busy failover partner or an
overloaded server. Past about 3 s the client has already retransmitted
(section 4.1).

Each reply is measured from the latest REQUEST or INFORM before it, as a
server sees its work: a retransmitted REQUEST restarts the clock. Only the
first reply to each request is measured; a second server's later answer to
the same broadcast is not this client's wait.

Failing exchange (threshold 1.0 s):

    0.0 s  0.0.0.0 -> 255.255.255.255  REQUEST server-id 192.0.2.1
    2.4 s  192.0.2.1 -> 192.0.2.107    ACK
    -> ack after 2.4 s (threshold 1.0 s)

Settings:

    threshold  seconds from a REQUEST or INFORM to its reply (default 1.0)
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
from dhcpcheck.rules.transaction.exchange import answered, replies, seconds, type_name
from dhcpcheck.transactions.model import Transaction
from dhcpcheck.transactions.servers import server_identifier

_ASKED = frozenset({MessageType.REQUEST, MessageType.INFORM})


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit per request whose first reply came later than the threshold."""
    threshold = settings.number("threshold")
    measured: set[int] = set()
    for reply in replies(txn, MessageType.ACK, MessageType.NAK):
        request = answered(txn, reply)
        if request is None or request.type not in _ASKED:
            continue
        if request.frame in measured:
            continue
        measured.add(request.frame)
        delay = reply.time - request.time
        if delay <= threshold:
            continue
        yield Hit(
            f"{type_name(reply)} after {seconds(delay, threshold)} s "
            f"(threshold {threshold:.1f} s)",
            frames=(reply.frame, request.frame),
            xid=txn.xid,
            client=txn.client_mac,
            server=server_identifier(reply),
        )


RULE = TransactionRule(
    code="DHC215",
    name="slow-ack",
    severity=Severity.WARNING,
    summary="an ACK or NAK came later than the threshold after its request",
    doc=__doc__ or "",
    check=check,
    settings={
        "threshold": Setting(
            SettingKind.NUMBER, 1.0, "seconds from a REQUEST or INFORM to its reply"
        )
    },
)
