"""RFC 2131's requirement words (Tables 3 and 5) and how a message is held to them.

Shared by server-message-fields and client-message-fields, which hold the
tables themselves; this module only knows what MUST, MUST NOT, SHOULD and
SHOULD NOT mean for one message.
"""

from collections.abc import Iterator, Mapping
from enum import StrEnum
from ipaddress import IPv4Address

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.rules.message.common import ZERO, hit
from dhcpcheck.transactions.model import Seen


class Need(StrEnum):
    """A cell of Tables 3 and 5; MAY cells are simply left out."""

    MUST = "must"
    MUST_NOT = "must not"
    SHOULD = "should"
    SHOULD_NOT = "should not"


SEVERITY = {
    Need.MUST: Severity.ERROR,
    Need.MUST_NOT: Severity.ERROR,
    Need.SHOULD: Severity.INFO,
    Need.SHOULD_NOT: Severity.INFO,
}

LABELS: Mapping[int, str] = {
    OptionCode.REQUESTED_IP: "requested address",
    OptionCode.LEASE_TIME: "lease time",
    OptionCode.OVERLOAD: "option overload",
    OptionCode.SERVER_ID: "server identifier",
    OptionCode.PARAMETER_REQUEST_LIST: "parameter request list",
    OptionCode.MESSAGE: "message",
    OptionCode.MAX_MESSAGE_SIZE: "maximum message size",
    OptionCode.VENDOR_CLASS_ID: "vendor class identifier",
}


def label(code: int) -> str:
    """`lease time (option 51)`, or `option 12` for the rows Table 3 and 5 lump
    together as "all others"."""
    name = LABELS.get(code)
    return f"{name} (option {code})" if name else f"option {code}"


def option_hits(
    seen: Seen, name: str, needs: Mapping[int, Need], severity: Severity | None = None
) -> Iterator[Hit]:
    """Hits for the options `needs` requires or forbids in a message called `name`.

    A missing option is not held against a message the capture cut short:
    it may have been in the bytes that were not kept. `severity`, when given,
    replaces the table's for every hit (the "all others" rows).
    """
    present = seen.message.by_code  # the codes present, looked up once
    for code, need in needs.items():
        if need in (Need.MUST_NOT, Need.SHOULD_NOT) and code in present:
            yield hit(
                seen,
                f"{name} carries {label(code)}",
                option=code,
                severity=severity or SEVERITY[need],
            )
        elif need in (Need.MUST, Need.SHOULD) and code not in present:
            if seen.message.cut:
                continue  # the option may be in what the capture dropped
            yield hit(
                seen,
                f"{name} lacks {label(code)}",
                field="options",
                severity=SEVERITY[need],
            )


def zero_hits(seen: Seen, name: str, fields: Mapping[str, Severity]) -> Iterator[Hit]:
    """Hits for the header `fields` a table sets to 0 but this message does not."""
    for field, severity in fields.items():
        value = getattr(seen.message, field)
        zero = ZERO if isinstance(value, IPv4Address) else 0
        shown = f"0x{value:04x}" if field == "flags" else value
        if value != zero:
            yield hit(
                seen,
                f"{name} {field} {shown} (expected {zero})",
                field=field,
                severity=severity,
            )
