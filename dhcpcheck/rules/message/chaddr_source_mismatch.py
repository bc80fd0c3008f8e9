"""chaddr-source-mismatch: a client's chaddr is not the frame's Ethernet source.

What it checks
    Client messages broadcast on the client's own link (IP destination
    255.255.255.255, giaddr 0, not sent from the relay port 67) whose
    Ethernet source address differs from chaddr, for Ethernet hardware
    addresses (htype 1, hlen 6). On a plain LAN a client sends its
    broadcasts itself, so the two match. When they do not, one station is
    asking for addresses on behalf of others: a DHCP starvation tool, a
    spoofer, or a legitimate forwarder such as a wireless bridge doing MAC
    translation (list those in `forwarders`). Relayed messages carry the
    relay's source address and are not judged. Nor are unicast messages (a
    RENEWING request, an INFORM, a RELEASE): sent to the server's address,
    they may cross routers, and each router puts its own address in the
    Ethernet source. Captures without Ethernet headers (raw IP, Linux
    cooked) are not judged either.

Why
    RFC 2131 table 5, section 4.4.1
    (https://www.rfc-editor.org/rfc/rfc2131#section-4.4.1): 'chaddr' is the
    "client's hardware address" in every client message, the address servers
    send unicast replies to. Section 7
    (https://www.rfc-editor.org/rfc/rfc2131#section-7) warns: "Malicious
    DHCP clients could masquerade as legitimate clients" and "a malicious
    client could claim all resources for itself"; many chaddrs from one
    source are how that looks on the wire.

Failing example
    A DHCPDISCOVER in a frame from 02:00:00:00:00:99 with chaddr
    7e:3a:11:02:5c:d0: `chaddr 7e:3a:11:02:5c:d0 not the ethernet source
    (02:00:00:00:00:99)`.

Settings
    forwarders (list of MAC addresses, default empty): Ethernet sources that
    legitimately send requests for other clients; their frames are not
    judged.
"""

from collections.abc import Iterator
from ipaddress import IPv4Address

from dhcpcheck.rules.base import (
    Hit,
    MessageRule,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.message.common import ZERO, hit
from dhcpcheck.transactions.model import Seen

SERVER_PORT = 67
BROADCAST = IPv4Address("255.255.255.255")
ETHERNET, ETHERNET_HLEN = 1, 6


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit when a client's own broadcast has another chaddr."""
    message = seen.message
    source = seen.mac_src
    direct = (
        seen.ip_dst == BROADCAST
        and message.giaddr == ZERO
        and seen.sport != SERVER_PORT
    )
    ethernet = message.htype == ETHERNET and message.hlen == ETHERNET_HLEN
    if source is None or not (direct and ethernet) or not seen.from_client:
        return
    chaddr = message.client_mac
    forwarders = {mac.lower() for mac in settings.strings("forwarders")}
    if chaddr != source.lower() and source.lower() not in forwarders:
        text = f"chaddr {chaddr} not the ethernet source ({source})"
        yield hit(seen, text, field="chaddr")


RULE = MessageRule(
    code="DHC113",
    name="chaddr-source-mismatch",
    severity=Severity.WARNING,
    summary="client chaddr differs from the Ethernet source of its frame",
    doc=__doc__ or "",
    check=check,
    settings={
        "forwarders": Setting(
            SettingKind.STRINGS,
            [],
            "Ethernet sources that send requests for other clients",
        ),
    },
)
