"""bad-option-length: an option's length breaks the rule its RFC gives.

What it checks
    Each option's length against the option table (`dhcpcheck.decode.options`):
    fixed lengths ("its length is 4"), minimums, and multiples of an item size
    (lists of addresses, address pairs). As RFC 3396 says, the instances of
    a repeated option are joined first and the joined length is checked.
    Repeats whose every instance is well formed but whose join is not (two
    message types, say) are duplicate-option's finding, not this rule's.
    Options cut short by the sender or by the capture are left to
    option-truncated.

Why
    RFC 2132 section 2 (https://www.rfc-editor.org/rfc/rfc2132#section-2)
    gives each option a length octet, and each option's section fixes what it
    may be: "The code for the subnet mask option is 1, and its length is 4
    octets", "The minimum length for the router option is 4 octets, and the
    length MUST always be a multiple of 4." A receiver reading a 5-byte
    server identifier, or 6 bytes of router addresses, reads garbage.
    RFC 3396 section 1 (https://www.rfc-editor.org/rfc/rfc3396#section-1)
    makes the joined value the one that counts.

Failing example
    A DHCPOFFER carrying `03 06 c0 00 02 01 c0 00`: router option of 6 bytes,
    `option 3 length 6 (expected a multiple of 4, at least 4)`.

Settings
    None.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import OPTIONS
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import (
    expected_length,
    fits,
    grouped,
    hit,
    incomplete,
    total_length,
)
from dhcpcheck.transactions.model import Seen


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit per option code whose (joined) length the table does not allow."""
    message = seen.message
    for code, instances in grouped(message).items():
        rule = OPTIONS[code].length
        total = total_length(instances)
        if fits(rule, total) or any(incomplete(message, o) for o in instances):
            continue
        if len(instances) > 1 and all(rule.allows(o.length) for o in instances):
            continue  # a repeat of whole values: duplicate-option reports it
        split = f" in {len(instances)} instances" if len(instances) > 1 else ""
        text = f"option {code} length {total}{split} (expected {expected_length(rule)})"
        yield hit(seen, text, option=code)


RULE = MessageRule(
    code="DHC105",
    name="bad-option-length",
    severity=Severity.ERROR,
    summary="option length breaks its RFC's fixed, minimum or multiple rule",
    doc=__doc__ or "",
    check=check,
)
