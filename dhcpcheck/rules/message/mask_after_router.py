"""mask-after-router: a reply gives its routers before its subnet mask.

What it checks
    In server messages that carry both, the first subnet mask option (1)
    must come before the first router option (3). Options are taken in the
    order RFC 3396 reads them: the options field, then `file`, then `sname`.
    The RFC's word is MUST, but few clients still depend on the order, so
    the rule is a warning.

Why
    RFC 2132 section 3.3 (https://www.rfc-editor.org/rfc/rfc2132#section-3.3):
    "If both the subnet mask and the router option are specified in a DHCP
    reply, the subnet mask option MUST be first." Clients that install each
    option as they read it need the mask to decide whether a router is
    on-link.

Failing example
    A DHCPACK with options 53, 54, 51, 3, 1: `subnet mask after router
    (option 1 is option #5, option 3 #4)`.

Settings
    None.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import hit
from dhcpcheck.transactions.model import Seen


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit when a reply's first router option precedes its first mask."""
    codes = [option.code for option in seen.message.options]
    if OptionCode.SUBNET_MASK not in codes or OptionCode.ROUTER not in codes:
        return
    if seen.from_client:
        return
    mask = codes.index(OptionCode.SUBNET_MASK) + 1
    router = codes.index(OptionCode.ROUTER) + 1
    if router < mask:
        text = (
            f"subnet mask after router (option 1 is option #{mask}, option 3 #{router})"
        )
        yield hit(seen, text, option=OptionCode.SUBNET_MASK)


RULE = MessageRule(
    code="DHC130",
    name="mask-after-router",
    severity=Severity.WARNING,
    summary="subnet mask option (1) not before the router option (3) in a reply",
    doc=__doc__ or "",
    check=check,
)
