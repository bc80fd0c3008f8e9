"""duplicate-option: an option appears more than once where it should not.

What it checks
    Option codes with several instances in one message. RFC 3396 makes a
    receiver join the instances into one value, so a repeat is legitimate
    when it is a split: the joined value is well formed. It is a defect when
    each instance is a whole value on its own and the join is not (two
    message types joined make 2 bytes, two server identifiers 8): the sender
    repeated the option, and receivers disagree on which copy wins (error).
    A split that was not needed, because the joined value fits in one
    option of at most 255 bytes and every part sits in the same field, is
    reported as info: RFC 3396 allows it, but clients that predate RFC 3396
    read only one instance. Splits that are needed (more than 255 bytes, or
    spread over the fields option 52 overloads) are silent.

Why
    RFC 2131 section 4.1 (https://www.rfc-editor.org/rfc/rfc2131#section-4.1):
    "Options may appear only once, unless otherwise specified in the options
    document. The client concatenates the values of multiple instances of the
    same option into a single parameter list for configuration." RFC 3396
    section 1 (https://www.rfc-editor.org/rfc/rfc3396#section-1) says when
    instances appear: "Multiple instances of the same option are generated
    when an option exceeds 255 octets in size (the maximum size of a single
    option) or when an option needs to be split apart in order to take
    advantage of DHCP option overloading."

Failing example
    A DHCPACK with `36 04 c0 00 02 01` and later `36 04 c0 00 02 02`: two
    server identifiers, `option 54 repeated: 2 instances (joined length 8,
    expected 4)`; the client may answer either server.

Settings
    needless-splits (boolean, default true): also report, as info, options
    split into instances though their value fits in one.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import OPTIONS
from dhcpcheck.rules.base import (
    Hit,
    MessageRule,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.message.common import (
    MAX_OPTION,
    expected_length,
    fits,
    grouped,
    hit,
    incomplete,
)
from dhcpcheck.transactions.model import Seen


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit per option code whose instances are repeats or needless splits."""
    message = seen.message
    needless = settings.boolean("needless-splits")
    for code, instances in grouped(message).items():
        count = len(instances)
        if count < 2 or any(incomplete(message, o) for o in instances):
            continue
        rule = OPTIONS[code].length
        total = sum(option.length for option in instances)
        if not fits(rule, total):
            if all(rule.allows(option.length) for option in instances):
                text = (
                    f"option {code} repeated: {count} instances (joined length "
                    f"{total}, expected {expected_length(rule)})"
                )
                yield hit(seen, text, option=code)
        elif needless and total <= MAX_OPTION and len({o.area for o in instances}) == 1:
            text = (
                f"option {code} split into {count} instances ({total} bytes fit in one)"
            )
            yield hit(seen, text, option=code, severity=Severity.INFO)


RULE = MessageRule(
    code="DHC106",
    name="duplicate-option",
    severity=Severity.ERROR,
    summary="option repeated rather than split as RFC 3396 allows",
    doc=__doc__ or "",
    check=check,
    settings={
        "needless-splits": Setting(
            SettingKind.BOOLEAN,
            True,
            "also report options split though their value fits in one (info)",
        ),
    },
)
