"""decline-seen: a client declined an address because it found it in use.

Reports every DHCPDECLINE with the address it declines (option 50), the
server it declines it to (option 54) and the ACK that granted the address,
when the capture has it. RFC 2131 section 4.3.3
(https://www.rfc-editor.org/rfc/rfc2131#section-4.3.3):

    If the server receives a DHCPDECLINE message, the client has
    discovered through some other means that the suggested network
    address is already in use.  The server MUST mark the network address
    as not available and SHOULD notify the local system administrator of
    a possible configuration problem.

This rule is that notification: some host uses the address without a lease
from this server (a static address inside the pool, a second server with an
overlapping pool, a lease database lost in a restart).

Failing exchange:

    DISCOVER, OFFER 192.0.2.150, REQUEST, ACK 192.0.2.150 from 192.0.2.1;
    the client's ARP probe is answered; DECLINE requested-ip 192.0.2.150
    -> declined 192.0.2.150 granted by 192.0.2.1 (address in use)

No settings. Frames: the DECLINE, then the ACK that granted the address.
"""

from collections.abc import Iterator
from ipaddress import IPv4Address

from dhcpcheck.decode.ip import ipv4_address
from dhcpcheck.decode.options import OptionCode
from dhcpcheck.rules.base import ClientRule, Hit, Settings, Severity
from dhcpcheck.rules.lease.grants import granting_ack
from dhcpcheck.transactions.leases import Client, Lease
from dhcpcheck.transactions.model import Seen

_TEXT_SHOWN = 60  # characters of a message (option 56) quoted in the finding


def check(client: Client, end: float, settings: Settings) -> Iterator[Hit]:
    """One hit per DECLINE."""
    for decline, address in client.declines or ():
        lease = _granted(client, decline, address)
        server = _server(decline, lease)
        named = "an address it did not name" if address is None else str(address)
        granted = f" granted by {server}" if server is not None else ""
        frames: tuple[int, ...] = (decline.frame,)
        if lease is not None:
            frames += (granting_ack(lease).frame,)
        yield Hit(
            f"declined {named}{granted} ({_reason(decline)})",
            frames=frames,
            xid=decline.message.xid,
            client=client.mac,
            server=server,
            option=OptionCode.REQUESTED_IP,
        )


def keeps(client: Client, lease: Lease, settings: Settings) -> bool:
    """Whether the client declined the address of an ended lease after it
    was granted: the finding names the lease."""
    return any(
        address == lease.address and lease.start <= decline.time
        for decline, address in client.declines or ()
    )


def _granted(
    client: Client, decline: Seen, address: IPv4Address | None
) -> Lease | None:
    """The latest lease of `address` granted before the DECLINE."""
    earlier = [
        lease
        for lease in client.leases
        if lease.address == address and lease.start <= decline.time
    ]
    return earlier[-1] if earlier else None


def _server(decline: Seen, lease: Lease | None) -> IPv4Address | None:
    """The server the DECLINE names, else the one that granted the lease."""
    data = decline.message.value(OptionCode.SERVER_ID)
    if data is not None and len(data) == 4:
        return ipv4_address(data)
    return None if lease is None else lease.server


def _reason(decline: Seen) -> str:
    """The client's message (option 56) if it sent one, quoted and escaped."""
    text = decline.message.value(OptionCode.MESSAGE)
    if not text:
        return "address in use"
    shown = text.decode("ascii", "backslashreplace")[:_TEXT_SHOWN]
    return f"address in use, says {shown!r}"


RULE = ClientRule(
    code="DHC307",
    name="decline-seen",
    severity=Severity.WARNING,
    summary="a client declined an address it found in use (DHCPDECLINE)",
    doc=__doc__ or "",
    check=check,
    keeps=keeps,
)
