"""nak: a server refused a client's REQUEST with DHCPNAK.

A NAK sends the client back to INIT to start over (RFC 2131 section 3.1 step
5), so each one is worth a look: what the client asked for, in which state,
and why the server said no. RFC 2131 section 4.3.2
(https://www.rfc-editor.org/rfc/rfc2131#section-4.3.2): "Server SHOULD send
a DHCPNAK message to the client if the 'requested IP address' is incorrect,
or is on the wrong network." Section 3.5
(https://www.rfc-editor.org/rfc/rfc2131#section-3.5) lets the server explain:
"The server may include an error message in the 'message' option." That text
(option 56) is quoted in the finding when present.

Typical causes: a client moved to another subnet and asks for its old
address (INIT-REBOOT), a lease that expired or was given away, or two servers
that disagree about the same clients.

Failing exchange:

    0.0 s  0.0.0.0 -> 255.255.255.255     REQUEST requested 203.0.113.55
    0.0 s  192.0.2.1 -> 255.255.255.255   NAK server-id 192.0.2.1
                                          message "wrong network"
    -> nak to init-reboot request for 203.0.113.55: "wrong network"

Settings: none.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import Hit, Settings, Severity, TransactionRule
from dhcpcheck.rules.transaction.exchange import (
    ZERO,
    address,
    answered,
    printable,
    replies,
)
from dhcpcheck.transactions.model import Seen, Transaction, request_state
from dhcpcheck.transactions.servers import server_identifier


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit per NAK, saying what it refused and why."""
    for nak in replies(txn, MessageType.NAK):
        request = answered(txn, nak)
        text = nak.message.value(OptionCode.MESSAGE)
        message = _refused(request)
        if text:
            message += f': "{printable(text)}"'
        yield Hit(
            message,
            frames=(nak.frame,) if request is None else (nak.frame, request.frame),
            xid=txn.xid,
            client=txn.client_mac,
            server=server_identifier(nak),
            option=OptionCode.MESSAGE if text else None,
        )


def _refused(request: Seen | None) -> str:
    """`nak to <state> request for <address>`, as far as the request says."""
    if request is None:
        return "nak (request not captured)"
    wanted = request.message.ciaddr
    if wanted == ZERO:
        wanted = address(request, OptionCode.REQUESTED_IP) or ZERO
    target = f" for {wanted}" if wanted != ZERO else ""
    return f"nak to {request_state(request)} request{target}"


RULE = TransactionRule(
    code="DHC203",
    name="nak",
    severity=Severity.WARNING,
    summary="a server refused the client's REQUEST with a NAK",
    doc=__doc__ or "",
    check=check,
)
