"""relay-info-not-echoed: a server's reply to a relay drops or alters option 82.

A relay agent adds Relay Agent Information (option 82: circuit-id,
remote-id ...) to the requests it forwards and uses it on the way back to
pick the client's port; many relays drop replies without it. RFC 3046
section 2.0 (https://www.rfc-editor.org/rfc/rfc3046#section-2.0): "DHCP
servers claiming to support the Relay Agent Information option SHALL echo
the entire contents of the Relay Agent Information option in all replies."
The same paragraph allows leaving it out when it cannot be copied whole
("it SHALL send the response without the Relay Information Field"), so a
missing option is a warning; an altered one breaks the SHALL and is an error.

Only the leg between relay and server is compared (giaddr set, UDP port 67
at both ends): each OFFER, ACK and NAK seen there against the latest request
seen there before it. A capture taken on the client side has no option 82 to
compare.

Failing exchange (relay 192.0.2.1 forwarding to server 198.51.100.2):

    198.51.100.1 -> 198.51.100.2:67  DISCOVER giaddr 192.0.2.1
                                     option 82 circuit-id "eth0"
    198.51.100.2 -> 192.0.2.1:67     OFFER giaddr 192.0.2.1 (no option 82)
    -> offer to relay without option 82 (relay sent 010465746830)

Settings: none.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.rules.base import Hit, Settings, Severity, TransactionRule
from dhcpcheck.rules.transaction.exchange import ANSWERS, answered, echo_hit
from dhcpcheck.transactions.model import Transaction


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit per reply to a relay whose option 82 is not the relay's."""
    for step in txn.steps:
        reply = step.seen
        if reply.from_client or not reply.relayed or reply.type not in ANSWERS:
            continue
        request = answered(txn, reply, relay_leg=True)
        if request is None:
            continue
        hit = echo_hit(txn, request, reply, OptionCode.RELAY_AGENT_INFO, "relay")
        if hit is not None:
            yield hit


RULE = TransactionRule(
    code="DHC212",
    name="relay-info-not-echoed",
    severity=Severity.WARNING,
    summary="a reply to a relay lacks or alters its option 82 (RFC 3046)",
    doc=__doc__ or "",
    check=check,
)
