"""op-type-mismatch: the op field contradicts the DHCP message type.

What it checks
    `op` must be 1 (BOOTREQUEST) or 2 (BOOTREPLY), and must fit option 53:
    BOOTREQUEST for what clients send (DHCPDISCOVER, DHCPREQUEST,
    DHCPDECLINE, DHCPRELEASE, DHCPINFORM, and the RFC 4388/6926/7724 lease
    queries), BOOTREPLY for what servers send (DHCPOFFER, DHCPACK, DHCPNAK,
    DHCPFORCERENEW and the lease query answers). DHCPTLS (RFC 7724), which
    both ends send, and messages without a known type are not judged here.

Why
    RFC 2131 section 3 (https://www.rfc-editor.org/rfc/rfc2131#section-3):
    "The 'op' field of each DHCP message sent from a client to a server
    contains BOOTREQUEST. BOOTREPLY is used in the 'op' field of each DHCP
    message sent from a server to a client." Relay agents handle BOOTREQUEST
    and BOOTREPLY messages differently (RFC 1542 section 4.1,
    https://www.rfc-editor.org/rfc/rfc1542#section-4.1), so a DHCPOFFER sent
    as BOOTREQUEST travels towards servers, not to the client.

Failing example
    A DHCPDISCOVER with op 2: `DHCPDISCOVER sent as BOOTREPLY (op 2,
    expected 1)`.

Settings
    None.
"""

from collections.abc import Iterator

from dhcpcheck.decode.bootp import Op
from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import hit, type_name
from dhcpcheck.transactions.model import CLIENT_TYPES, SERVER_TYPES, Seen

_EXPECTED_OP: dict[int, Op] = dict.fromkeys(CLIENT_TYPES, Op.BOOTREQUEST)
_EXPECTED_OP |= dict.fromkeys(SERVER_TYPES - {MessageType.TLS}, Op.BOOTREPLY)


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit when op is neither request nor reply, or not the type's."""
    op = seen.message.op
    if op not in (Op.BOOTREQUEST, Op.BOOTREPLY):
        text = f"op {op} (expected 1 BOOTREQUEST or 2 BOOTREPLY)"
        yield hit(seen, text, field="op")
        return
    kind = seen.type
    if kind is None or kind not in _EXPECTED_OP:
        return
    expected = _EXPECTED_OP[kind]
    if op != expected:
        name = f"{type_name(kind)} sent as {Op(op).name}"
        yield hit(seen, f"{name} (op {op}, expected {int(expected)})", field="op")


RULE = MessageRule(
    code="DHC110",
    name="op-type-mismatch",
    severity=Severity.ERROR,
    summary="op field not BOOTREQUEST for client types, BOOTREPLY for server types",
    doc=__doc__ or "",
    check=check,
)
