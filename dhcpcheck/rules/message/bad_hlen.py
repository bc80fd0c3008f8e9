"""bad-hlen: the hardware address length cannot be right.

What it checks
    `hlen` larger than the 16 bytes `chaddr` holds (error); `hlen` other
    than 6 with `htype` 1, Ethernet (warning); `hlen` 0, no hardware address
    at all, outside InfiniBand (`htype` 32, whose RFC 4390 clients send
    none and rely on their client identifier) (warning). Servers and relays
    use chaddr[:hlen] to identify the client and to address unicast
    replies, so a wrong length makes them track, or deliver to, the wrong
    address.

Why
    RFC 2131 section 2 (https://www.rfc-editor.org/rfc/rfc2131#section-2),
    table 1: hlen is the "Hardware address length (e.g.  '6' for 10mb
    ethernet)" and chaddr, 16 octets, the "Client hardware address".
    Wireshark notes hlen 0 or above 16 as "Client address not given".

Failing example
    A DHCPDISCOVER with htype 1 and hlen 20: `hlen 20 (chaddr holds at most
    16)`.

Settings
    None.
"""

from collections.abc import Iterator

from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import hit
from dhcpcheck.transactions.model import Seen

CHADDR_SIZE = 16
ETHERNET, ETHERNET_HLEN = 1, 6
INFINIBAND = 32  # RFC 4390 section 2.1: hlen 0, chaddr zero


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit when hlen is impossible or does not fit htype."""
    htype, hlen = seen.message.htype, seen.message.hlen
    if hlen > CHADDR_SIZE:
        yield hit(
            seen, f"hlen {hlen} (chaddr holds at most {CHADDR_SIZE})", field="hlen"
        )
    elif htype == ETHERNET and hlen != ETHERNET_HLEN:
        text = f"hlen {hlen} for ethernet (expected {ETHERNET_HLEN})"
        yield hit(seen, text, field="hlen", severity=Severity.WARNING)
    elif hlen == 0 and htype != INFINIBAND:
        text = f"hlen 0 for htype {htype} (no hardware address)"
        yield hit(seen, text, field="hlen", severity=Severity.WARNING)


RULE = MessageRule(
    code="DHC111",
    name="bad-hlen",
    severity=Severity.ERROR,
    summary="hardware address length over 16, or not 6 for Ethernet",
    doc=__doc__ or "",
    check=check,
)
