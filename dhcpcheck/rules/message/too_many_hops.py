"""too-many-hops: a request has passed more relays than relays accept.

What it checks
    The `hops` field of client requests (BOOTREQUEST) against `max-hops`,
    16 by default. Each relay agent adds one; past the limit the next relay
    drops the request, so the client never reaches a server. A count above
    a handful usually means relays forwarding to each other in a loop.

Why
    RFC 1542 section 4.1.1 (https://www.rfc-editor.org/rfc/rfc1542#section-4.1.1):
    "The relay agent MUST silently discard BOOTREQUEST messages whose 'hops'
    field exceeds the value 16." The same section adds that relays may be
    configured lower: "The default setting for a configurable threshold
    SHOULD be 4."

Failing example
    A relayed DHCPDISCOVER arriving at the server with hops 17 and giaddr
    198.51.100.1: `hops 17 (relays drop requests above 16)`.

Settings
    max-hops (integer, default 16): the largest hops count accepted; set it
    to 4 for networks whose relays use RFC 1542's suggested threshold.
"""

from collections.abc import Iterator

from dhcpcheck.rules.base import (
    Hit,
    MessageRule,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.message.common import hit
from dhcpcheck.transactions.model import Seen


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit when a client request's hops exceeds the limit."""
    limit = settings.integer("max-hops")
    hops = seen.message.hops
    if hops > limit and seen.from_client:
        yield hit(
            seen, f"hops {hops} (relays drop requests above {limit})", field="hops"
        )


RULE = MessageRule(
    code="DHC112",
    name="too-many-hops",
    severity=Severity.ERROR,
    summary="request hops count above what relays forward (16)",
    doc=__doc__ or "",
    check=check,
    settings={
        "max-hops": Setting(
            SettingKind.INTEGER, 16, "largest hops count a relay forwards"
        ),
    },
)
