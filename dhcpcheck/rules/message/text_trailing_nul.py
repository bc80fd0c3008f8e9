"""text-trailing-nul: a text option ends in a NUL byte.

What it checks
    Options the option table gives as NVT ASCII text (host name 12, domain
    name 15, message 56, vendor class 60, TFTP server 66, boot file 67 and
    the rest) whose value, joined as RFC 3396 says, ends with 0x00. Reported
    as info: receivers are told to cope, but a C-string terminator sent on
    the wire shows up in logs, in DNS updates (a host name with a trailing
    NUL) and in string comparisons on less careful receivers.

Why
    RFC 2132 section 2 (https://www.rfc-editor.org/rfc/rfc2132#section-2):
    "Options containing NVT ASCII data SHOULD NOT include a trailing NULL;
    however, the receiver of such options MUST be prepared to delete trailing
    nulls if they exist."

Failing example
    A DHCPREQUEST with `0c 05 68 6f 73 74 00` ("host" and a NUL): `option 12
    text ends in a nul byte`.

Settings
    None.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import OPTIONS, ValueFormat
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import complete_value, hit
from dhcpcheck.transactions.model import Seen

TEXT_CODES = frozenset(spec.code for spec in OPTIONS if spec.value is ValueFormat.TEXT)


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit per text option whose joined value ends in NUL."""
    message = seen.message
    texts = [code for code in message.by_code if code in TEXT_CODES]
    for code in texts:
        value = complete_value(message, code)
        if value is not None and value.endswith(b"\0"):
            yield hit(seen, f"option {code} text ends in a nul byte", option=code)


RULE = MessageRule(
    code="DHC108",
    name="text-trailing-nul",
    severity=Severity.INFO,
    summary="NVT ASCII option sent with a trailing NUL",
    doc=__doc__ or "",
    check=check,
)
