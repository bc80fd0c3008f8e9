"""DHC501 message-lost: a message that stopped short of where it was going.

A client message is expected at every point up to the last, towards the
server; a server message at every point back to the one nearest its client
that heard from that client. One that a point saw and the next never did
was lost on the hop between them, or the next capture missed it.

Example: the server's capture and the bridge's show an OFFER, the client's
does not: `offer 0x6265ab6d left server, seen on bridge, never on client`.
"""

from ipaddress import IPv4Address

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.report.records import message_type_name
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.trace.model import MessagePath, Trace
from dhcpcheck.transactions.model import Seen

CODE = "DHC501"
NAME = "message-lost"
SEVERITY = Severity.WARNING


def findings(trace: Trace) -> list[Finding]:
    """One finding for each lost message, in the order they were sent."""
    return [finding(path) for path in trace.lost]


def finding(path: MessagePath) -> Finding:
    """The finding for `path`, which must have been lost: where it was seen
    last, in which frames of that capture, and when it was first seen."""
    passages = [visit.passage for visit in path.visits if visit.passage is not None]
    first, last = passages[0], passages[-1]
    seen = path.track.seen
    return Finding(
        code=CODE,
        name=NAME,
        severity=SEVERITY,
        message=describe(path),
        source=last.point,
        frames=last.frames,
        xid=seen.message.xid,
        client=seen.message.client_mac,
        server=_named_server(seen),
        time=first.first,
    )


def describe(path: MessagePath) -> str:
    """`offer 0x6265ab6d left server, seen on bridge, never on client`."""
    seen = path.track.seen
    kind = message_type_name(seen.type) or "bootp"
    names = [visit.point for visit in path.seen]
    text = f"{kind} 0x{seen.message.xid:08x} left {names[0]}"
    if len(names) > 1:
        text += f", seen on {', '.join(names[1:])}"
    return f"{text}, never on {path.never_on}"


def _named_server(seen: Seen) -> IPv4Address | None:
    """Option 54: the server that sent a reply, or that a client chose."""
    data = seen.message.value(OptionCode.SERVER_ID)
    return IPv4Address(data) if data is not None and len(data) == 4 else None
