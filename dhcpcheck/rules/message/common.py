"""What the message rules share: hits anchored on one message, option grouping,
and where a capture's snap length stops what can be judged.

Helpers only; no rule lives here and nothing here knows a rule's settings.
"""

from collections.abc import Mapping, Sequence
from ipaddress import IPv4Address

from dhcpcheck.decode.bootp import Area, Message, Option
from dhcpcheck.decode.ip import ipv4_address
from dhcpcheck.decode.options import LengthRule, MessageType, OptionCode
from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.transactions.model import Seen

ZERO = IPv4Address(0)
MAX_OPTION = 255  # the most one length octet can declare (RFC 2132 section 2)
_AREA_STOPS = {Area.SNAME: 108, Area.FILE: 236}  # RFC 2131 figure 1
_TYPE_NAMES = {kind.value: f"DHCP{kind.name}" for kind in MessageType}


def hit(
    seen: Seen,
    message: str,
    *,
    option: int | None = None,
    field: str | None = None,
    severity: Severity | None = None,
) -> Hit:
    """A hit on `seen`'s frame, with its xid, client and (for replies) server."""
    return Hit(
        message,
        frames=(seen.frame,),
        xid=seen.message.xid,
        client=seen.message.client_mac or None,
        server=server_of(seen),
        option=option,
        field=field,
        severity=severity,
    )


def server_of(seen: Seen) -> IPv4Address | None:
    """The server of a server message: its option 54, else its IP source."""
    if seen.from_client:
        return None
    data = seen.message.value(OptionCode.SERVER_ID)
    if data is not None and len(data) == 4:
        return ipv4_address(data)
    return seen.ip_src


def type_name(kind: int) -> str:
    """The name RFC 2131 gives a message type (DHCPOFFER), or its number."""
    return _TYPE_NAMES.get(kind) or f"message type {kind}"


def grouped(message: Message) -> Mapping[int, tuple[Option, ...]]:
    """The instances of each option code, in the message's (RFC 3396) order."""
    return message.by_code


def area_end(message: Message, area: Area, *, on_wire: bool = False) -> int:
    """Where `area` ends in the captured bytes, or on the wire."""
    end = message.wire_size if on_wire else message.size
    stop = _AREA_STOPS.get(area)
    return end if stop is None or stop > end else stop


def incomplete(message: Message, option: Option) -> bool:
    """Whether `option` runs past the captured end of its area, whatever
    the cause (option-truncated tells the sender's fault from the capture's)."""
    area = option.area
    end = message.size if area is Area.OPTIONS else area_end(message, area)
    return option.offset + 2 + option.length > end


def joined(message: Message, instances: Sequence[Option]) -> bytes | None:
    """The value of one option's `instances` joined (RFC 3396), or None when
    any of them is cut short."""
    if len(instances) == 1:  # the usual case, kept quick
        option = instances[0]
        return None if incomplete(message, option) else option.data
    if any(incomplete(message, option) for option in instances):
        return None
    return b"".join(option.data for option in instances)


def complete_value(message: Message, code: int) -> bytes | None:
    """Option `code`'s joined value, or None if absent or cut anywhere."""
    instances = message.by_code.get(code)
    return joined(message, instances) if instances else None


def total_length(instances: Sequence[Option]) -> int:
    """The declared length of one option's `instances` joined (RFC 3396)."""
    if len(instances) == 1:  # the usual case, kept quick
        return instances[0].length
    return sum(option.length for option in instances)


def fits(rule: LengthRule, length: int) -> bool:
    """Whether a joined value of `length` bytes obeys `rule`. RFC 3396 lets
    joined values exceed the 255 bytes one length octet can say, so the
    table's maximum binds only when it is below that."""
    top = rule.maximum if rule.maximum < MAX_OPTION else max(length, MAX_OPTION)
    return rule.minimum <= length <= top and length % rule.multiple == 0


def expected_length(rule: LengthRule) -> str:
    """A length rule in words: `4`, `a multiple of 4, at least 4`."""
    if rule.minimum == rule.maximum:
        return str(rule.minimum)
    parts = [f"a multiple of {rule.multiple}"] if rule.multiple > 1 else []
    if rule.minimum:
        parts.append(f"at least {rule.minimum}")
    if rule.maximum < MAX_OPTION:
        parts.append(f"at most {rule.maximum}")
    return ", ".join(parts)
