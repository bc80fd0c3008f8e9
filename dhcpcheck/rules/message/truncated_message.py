"""truncated-message: the message is shorter than BOOTP's fixed header.

What it checks
    The UDP payload, as long as it was on the wire, must hold the whole
    236-byte fixed header (op .. file) of RFC 2131 figure 1. A shorter message
    cannot be a DHCP message: some of its fields are simply not there. The
    finding names the field the message ends in.

Why
    RFC 2131 section 3 (https://www.rfc-editor.org/rfc/rfc2131#section-3):
    "DHCP uses the BOOTP message format defined in RFC 951 and given in table
    1 and figure 1." Figure 1 (section 2) fixes the sizes of op .. file, and
    the options field, with its magic cookie, only starts after them.

    A capture whose snap length cut the frame is not the sender's fault: the
    rule judges the length the UDP header gives, so a message cut only by the
    capture is left alone.

Failing example
    A 200-byte BOOTREQUEST from 0.0.0.0:68 to 255.255.255.255:67: it ends
    inside the `file` field, so it has no options and no message type;
    servers drop it.

Settings
    None.
"""

from bisect import bisect_right
from collections.abc import Iterator

from dhcpcheck.decode.bootp import FIXED_HEADER
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import hit
from dhcpcheck.transactions.model import Seen

# Where each fixed-header field starts (RFC 2131 figure 1).
_STARTS = (0, 1, 2, 3, 4, 8, 10, 12, 16, 20, 24, 28, 44, 108)
_NAMES = (
    "op", "htype", "hlen", "hops", "xid", "secs", "flags", "ciaddr", "yiaddr",
    "siaddr", "giaddr", "chaddr", "sname", "file",
)  # fmt: skip


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit when the message on the wire ends inside its fixed header."""
    size = seen.message.wire_size
    if size >= FIXED_HEADER:
        return
    field = _NAMES[bisect_right(_STARTS, size) - 1]
    yield hit(
        seen,
        f"message ends in its {field} field ({size} bytes, fixed header "
        f"{FIXED_HEADER})",
        field=field,
    )


RULE = MessageRule(
    code="DHC101",
    name="truncated-message",
    severity=Severity.ERROR,
    summary="message shorter than the 236-byte BOOTP fixed header",
    doc=__doc__ or "",
    check=check,
)
