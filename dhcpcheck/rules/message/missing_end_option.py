"""missing-end-option: an options area runs out without the end option (255).

What it checks
    The options field, and `file` and `sname` when option 52 says they hold
    options, must each be closed by an end option. An area whose last option
    is cut short is option-truncated's business, not this rule's; an options
    field that the capture's snap length cut may have had its end option in
    the bytes that were not kept, so it is left alone.

Why
    RFC 2131 section 4.1 (https://www.rfc-editor.org/rfc/rfc2131#section-4.1):
    "The last option must always be the 'end' option." For an overloaded
    message: "the options in the 'options' field MUST be terminated by an
    'end' option", and those in 'sname' and 'file' "MUST be terminated by an
    'end' option". Wireshark reports the same as `dhcp.end_option_missing`.

Failing example
    A DHCPREQUEST whose options field is `35 01 03 32 04 c0 00 02 6b` and
    then the end of the packet: `no end option in the options field`.

Settings
    None.
"""

from collections.abc import Iterator

from dhcpcheck.decode.bootp import Area, ProblemKind
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import hit
from dhcpcheck.transactions.model import Seen

# The decoder stops walking an area at its end, so that is where it reports
# the missing end option: `sname` ends at 108, `file` at 236 and the options
# field, which starts at 240, at the end of the message.
_AREA_AT = {108: Area.SNAME, 236: Area.FILE}


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit per options area that has no end option."""
    message = seen.message
    for problem in message.problems:
        if problem.kind is not ProblemKind.MISSING_END:
            continue
        area = _AREA_AT.get(problem.offset, Area.OPTIONS)
        if area is Area.OPTIONS and message.cut:
            continue
        yield hit(seen, f"no end option in the {area} field", field=str(area))


RULE = MessageRule(
    code="DHC104",
    name="missing-end-option",
    severity=Severity.ERROR,
    summary="options area not closed by the end option (255)",
    doc=__doc__ or "",
    check=check,
)
