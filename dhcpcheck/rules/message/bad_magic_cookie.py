"""bad-magic-cookie: the options field does not open with 99.130.83.99.

What it checks
    The four bytes after the fixed header must be the magic cookie
    0x63825363. Without it a receiver cannot read any option, not even the
    message type, so the whole message is lost to DHCP. A vendor area that
    is all zeros, or no vendor area at all, is what an RFC 951 BOOTP client
    sends: that is reported as info. A message cut inside the cookie by the
    capture's snap length is left alone.

Why
    RFC 2131 section 3 (https://www.rfc-editor.org/rfc/rfc2131#section-3):
    "The first four octets of the 'options' field of the DHCP message contain
    the (decimal) values 99, 130, 83 and 99, respectively (this is the same
    magic cookie as is defined in RFC 1497 [17])." Section 4.1 repeats it:
    "The options area includes first a four-octet 'magic cookie'".

Failing example
    A DHCPDISCOVER whose options field starts 63 53 82 63 (two bytes
    swapped): dhcpcheck reports `magic cookie 0x63538263 (expected
    0x63825363)` and the server never answers.

Settings
    None.
"""

from collections.abc import Iterator

from dhcpcheck.decode.bootp import FIXED_HEADER, MAGIC_COOKIE
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import hit
from dhcpcheck.transactions.model import Seen


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit when the cookie is wrong, short or missing on the wire."""
    message = seen.message
    cookie = message.cookie or b""
    on_wire = min(message.wire_size - FIXED_HEADER, 4)
    if on_wire < 0 or cookie == MAGIC_COOKIE or len(cookie) < on_wire:
        return  # truncated-message's case, a good cookie, or the capture's cut
    if on_wire == 0:
        text = f"no magic cookie: message ends after its {FIXED_HEADER}-byte header"
        yield hit(seen, text, field="cookie", severity=Severity.INFO)
    elif on_wire < 4:
        text = f"magic cookie cut short ({on_wire} of 4 bytes)"
        yield hit(seen, text, field="cookie")
    elif cookie == bytes(4):
        text = "no magic cookie: vendor area starts with zeros (plain BOOTP)"
        yield hit(seen, text, field="cookie", severity=Severity.INFO)
    else:
        text = f"magic cookie 0x{cookie.hex()} (expected 0x{MAGIC_COOKIE.hex()})"
        yield hit(seen, text, field="cookie")


RULE = MessageRule(
    code="DHC102",
    name="bad-magic-cookie",
    severity=Severity.ERROR,
    summary="options field does not start with the magic cookie 99.130.83.99",
    doc=__doc__ or "",
    check=check,
)
