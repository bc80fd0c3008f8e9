"""What the transaction rules share: which client message a reply answers, the
client state a REQUEST was sent in, and how wire values read in a finding.

It judges nothing; each rule module decides what is wrong.
"""

from ipaddress import IPv4Address

from dhcpcheck.decode.ip import ipv4_address
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.transactions.model import Seen, Transaction
from dhcpcheck.transactions.servers import server_identifier

ZERO = IPv4Address(0)
MT = MessageType

# The client messages each reply can answer (RFC 2131 section 3.1 and 3.4);
# an ACK to a DISCOVER is rapid commit (RFC 4039).
ANSWERS: dict[int, frozenset[int]] = {
    MT.OFFER: frozenset({MT.DISCOVER}),
    MT.ACK: frozenset({MT.REQUEST, MT.INFORM, MT.DISCOVER}),
    MT.NAK: frozenset({MT.REQUEST}),
}
_TYPE_NAMES = {kind.value: kind.name.lower() for kind in MessageType}


def replies(txn: Transaction, *types: int) -> list[Seen]:
    """Server messages of `types` in capture order, relay copies left out."""
    return [
        step.seen
        for step in txn.steps
        if step.copy_of is None
        and not step.seen.from_client
        and step.seen.type in types
    ]


def answered(txn: Transaction, reply: Seen, relay_leg: bool = False) -> Seen | None:
    """The client message `reply` answers: the latest before it that it can.

    With `relay_leg`, only messages seen between relay and server count,
    copies included, so that both ends of that leg are compared.
    """
    asked = ANSWERS.get(reply.type) if reply.type is not None else None
    if asked is None:
        return None
    found = None
    for step in txn.steps:
        candidate = step.seen
        if candidate is reply:
            break
        on_leg = candidate.relayed if relay_leg else step.copy_of is None
        if on_leg and candidate.from_client and candidate.type in asked:
            found = candidate
    return found


def address(seen: Seen, code: int) -> IPv4Address | None:
    """A one-address option (50, 54) when it holds four bytes, else None."""
    data = seen.message.value(code)
    return ipv4_address(data) if data is not None and len(data) == 4 else None


def type_name(seen: Seen) -> str:
    """`offer`, `ack`, ... for findings; `type 200` or `bootp` otherwise."""
    if seen.type is None:
        return "bootp"
    return _TYPE_NAMES.get(seen.type, f"type {seen.type}")


def printable(data: bytes) -> str:
    """Wire text made safe to quote: printable ASCII kept, other bytes as \\xNN.

    Trailing NULs go, as RFC 2132 section 2 tells receivers to delete them.
    """
    return "".join(
        chr(byte) if 32 <= byte < 127 and byte != 0x5C else f"\\x{byte:02x}"
        for byte in data.rstrip(b"\0")
    )


def seconds(value: float, threshold: float) -> str:
    """`value` to one decimal, or three where one would read as `threshold`."""
    text = f"{value:.1f}"
    return f"{value:.3f}" if text == f"{threshold:.1f}" else text


def option_codes(names: object) -> frozenset[int]:
    """Option codes from a setting's strings: `"6"` or `"domain-name-server"`.

    Also the settings' `validate` hook, so a bad name fails when configuration
    is read rather than when the rule runs.
    """
    if not isinstance(names, list | tuple):
        raise ValueError(f"a list of option codes or names, not {names!r}")
    codes = set()
    for name in names:
        text = str(name).strip()
        if text.isascii() and text.isdigit() and int(text) < 256:
            codes.add(int(text))
            continue
        try:
            codes.add(OptionCode[text.upper().replace("-", "_")].value)
        except KeyError:
            raise ValueError(f"no option {name!r}") from None
    return frozenset(codes)


def echo_hit(
    txn: Transaction, request: Seen, reply: Seen, code: OptionCode, sender: str
) -> Hit | None:
    """A hit when `reply` does not return `request`'s option `code` unaltered.

    Missing keeps the rule's severity; altered is an error. `sender` names who
    put the option in the request (the client, a relay).
    """
    sent = request.message.value(code)
    returned = reply.message.value(code)
    if sent is None or returned == sent:
        return None
    kind = type_name(reply)
    if returned is None:
        to_relay = " to relay" if sender == "relay" else ""
        said = f"{kind}{to_relay} without option {code} ({sender} sent {sent.hex()})"
    else:
        said = f"{kind} option {code} {returned.hex()} ({sender} sent {sent.hex()})"
    return Hit(
        said,
        frames=(reply.frame, request.frame),
        xid=txn.xid,
        client=txn.client_mac,
        server=server_identifier(reply),
        option=code if returned is not None else None,
        severity=Severity.ERROR if returned is not None else None,
    )
