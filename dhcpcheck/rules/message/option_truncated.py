"""option-truncated: an option declares more bytes than its field has left.

What it checks
    Each option's length byte against the end of the field it sits in: the
    options field ends with the message, `file` at byte 236 and `sname` at
    byte 108 when option 52 hands them over. An option whose length byte is
    itself missing counts too. Only the sender is blamed: when the capture's
    snap length cut the message and the option would have fitted in what the
    wire carried, the rule stays silent.

Why
    RFC 2131 section 4.1 (https://www.rfc-editor.org/rfc/rfc2131#section-4.1):
    "Any individual option in the 'options', 'sname' and 'file' fields MUST
    be entirely contained in that field." RFC 2132 section 2
    (https://www.rfc-editor.org/rfc/rfc2132#section-2) gives every option but
    pad and end a length octet followed by that many octets of data. A
    receiver cannot tell what the short option meant, nor where the next one
    starts; Suricata raises `dhcp.truncated_options` for the same defect.

Failing example
    A DHCPOFFER whose last bytes are `0c 09 68 6f 73 74` (option 12, nine
    bytes declared, four present) and no end option: the finding reads
    `option 12 truncated: 9 bytes declared, 4 present`.

Settings
    None.
"""

from collections.abc import Iterator

from dhcpcheck.decode.bootp import Area
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import area_end, hit
from dhcpcheck.transactions.model import Seen


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit per option that overruns its field as the wire carried it."""
    message = seen.message
    wire = message.wire_size  # where the options field ends, on the wire
    for option in message.options:
        area = option.area
        end = wire if area is Area.OPTIONS else area_end(message, area, on_wire=True)
        if option.offset + 2 + option.length <= end:
            continue
        where = "" if option.area is Area.OPTIONS else f" in {option.area}"
        if option.offset + 1 >= end:
            detail = "length byte missing"
        else:
            present = end - option.offset - 2
            detail = f"{option.length} bytes declared, {present} present"
        text = f"option {option.code} truncated{where}: {detail}"
        yield hit(seen, text, option=option.code)


RULE = MessageRule(
    code="DHC103",
    name="option-truncated",
    severity=Severity.ERROR,
    summary="option runs past the end of its field",
    doc=__doc__ or "",
    check=check,
)
