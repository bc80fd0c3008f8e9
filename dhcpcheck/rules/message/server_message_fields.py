"""server-message-fields: a DHCPOFFER, DHCPACK or DHCPNAK breaks RFC 2131 Table 3.

What it checks
    The fields and options Table 3 fixes for server messages, as far as one
    message shows them (what must be copied from the request is a
    transaction rule's business):

    - error: DHCPOFFER or DHCPNAK with ciaddr set; DHCPNAK with yiaddr or
      siaddr set; DHCPOFFER with yiaddr 0.0.0.0 (unless it carries option
      108, RFC 8925, or option 116 = 0, RFC 2563, both of which offer no
      address); any of them without server identifier (54) or carrying
      requested address (50), parameter request list (55) or maximum
      message size (57); DHCPOFFER without lease time (51); DHCPNAK carrying
      lease time (51), option overload (52) or any option outside the few
      Table 3 lets it carry (53, 54, 56, 60, 61, and 82 which RFC 3046 has
      servers echo).
    - error: a DHCPACK that assigns an address (yiaddr set) without a lease
      time, or one with a lease time and yiaddr 0.0.0.0. An ACK with
      neither answers a DHCPINFORM, which is right: "The server MUST NOT
      send a lease expiration time to the client and SHOULD NOT fill in
      'yiaddr'" (section 4.3.5).
    - warning: DHCPNAK with something in sname or file, which it leaves
      unused.
    - info: DHCPNAK without message (56), which it SHOULD carry; hops or secs
      not 0 (many servers copy them from the request; `hops-and-secs`
      turns this off).

    Client identifier (61) is left out: RFC 6842 replaced Table 3's row with
    "return it if the client sent it", which needs the request. Options
    missing from a message the capture cut short are not held against it.

Why
    RFC 2131 section 4.3.1 (https://www.rfc-editor.org/rfc/rfc2131#section-4.3.1),
    Table 3, "Fields and options used by DHCP servers", and section 4.3.5
    (https://www.rfc-editor.org/rfc/rfc2131#section-4.3.5) for the ACK to an
    INFORM. Without a server identifier a client cannot name the server it
    selects; without a lease time it does not know when its address runs out.

Failing example
    A DHCPOFFER from 192.0.2.1 with yiaddr 192.0.2.107 and options 53, 1, 3
    only: `DHCPOFFER lacks lease time (option 51)` and `DHCPOFFER lacks
    server identifier (option 54)`.

Settings
    hops-and-secs (boolean, default true): report hops and secs that are not
    0 (info).
"""

from collections.abc import Iterator, Mapping

from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import (
    Hit,
    MessageRule,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.message.common import ZERO, complete_value, hit, type_name
from dhcpcheck.rules.message.requirements import Need, option_hits, zero_hits
from dhcpcheck.transactions.model import Seen

# Table 3, options: the MUST, MUST NOT and SHOULD cells (MAY cells left out).
_EVERY_REPLY: dict[int, Need] = {
    OptionCode.REQUESTED_IP: Need.MUST_NOT,
    OptionCode.SERVER_ID: Need.MUST,
    OptionCode.PARAMETER_REQUEST_LIST: Need.MUST_NOT,
    OptionCode.MAX_MESSAGE_SIZE: Need.MUST_NOT,
}
_OPTIONS: Mapping[int, Mapping[int, Need]] = {
    MessageType.OFFER: _EVERY_REPLY | {OptionCode.LEASE_TIME: Need.MUST},
    MessageType.ACK: _EVERY_REPLY,
    MessageType.NAK: _EVERY_REPLY
    | {
        OptionCode.LEASE_TIME: Need.MUST_NOT,
        OptionCode.OVERLOAD: Need.MUST_NOT,
        OptionCode.MESSAGE: Need.SHOULD,
    },
}
# What a NAK may carry: Table 3's rows that are not MUST NOT, and option 82,
# which RFC 3046 has servers echo in all replies. The rows of
# _OPTIONS are left to those cells.
_NAK_ALLOWED = frozenset(
    {
        OptionCode.MESSAGE_TYPE,
        OptionCode.VENDOR_CLASS_ID,
        OptionCode.CLIENT_ID,
        OptionCode.RELAY_AGENT_INFO,
        *_OPTIONS[MessageType.NAK],
    }
)

# Table 3, fields that must be 0.
_ZERO_FIELDS: Mapping[int, Mapping[str, Severity]] = {
    MessageType.OFFER: {"ciaddr": Severity.ERROR},
    MessageType.ACK: {},
    MessageType.NAK: dict.fromkeys(("ciaddr", "yiaddr", "siaddr"), Severity.ERROR),
}
_COPIED = dict.fromkeys(("hops", "secs"), Severity.INFO)


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """Hits for each Table 3 cell this server message breaks."""
    kind = seen.type
    if kind is None or kind not in _OPTIONS:
        return
    name = type_name(kind)
    yield from option_hits(seen, name, _OPTIONS[kind])
    yield from zero_hits(seen, name, _ZERO_FIELDS[kind])
    if settings.boolean("hops-and-secs"):
        yield from zero_hits(seen, name, _COPIED)
    if kind == MessageType.OFFER:
        yield from _offer_address(seen)
    elif kind == MessageType.ACK:
        yield from _ack_address(seen)
    else:
        yield from _nak_extras(seen)


def _offer_address(seen: Seen) -> Iterator[Hit]:
    message = seen.message
    no_address = OptionCode.IPV6_ONLY_PREFERRED in message.by_code
    no_address |= complete_value(message, OptionCode.AUTO_CONFIGURE) == b"\x00"
    if message.yiaddr == ZERO and not no_address:
        text = f"DHCPOFFER yiaddr {ZERO} (expected the offered address)"
        yield hit(seen, text, field="yiaddr")


def _ack_address(seen: Seen) -> Iterator[Hit]:
    message = seen.message
    lease = OptionCode.LEASE_TIME in message.by_code
    if message.yiaddr != ZERO and not lease and not message.cut:
        text = f"DHCPACK assigns {message.yiaddr} without lease time (option 51)"
        yield hit(seen, text, field="options")
    elif message.yiaddr == ZERO and lease:
        text = f"DHCPACK with lease time (option 51) assigns yiaddr {ZERO}"
        yield hit(seen, text, field="yiaddr")


def _nak_extras(seen: Seen) -> Iterator[Hit]:
    message = seen.message
    for field in ("sname", "file"):
        if any(getattr(message, field)):
            text = f"DHCPNAK {field} not empty (unused in a DHCPNAK)"
            yield hit(seen, text, field=field, severity=Severity.WARNING)
    others = dict.fromkeys(
        (o.code for o in message.options if o.code not in _NAK_ALLOWED),
        Need.MUST_NOT,
    )
    yield from option_hits(seen, "DHCPNAK", others)


RULE = MessageRule(
    code="DHC120",
    name="server-message-fields",
    severity=Severity.ERROR,
    summary="DHCPOFFER/ACK/NAK fields and options against RFC 2131 Table 3",
    doc=__doc__ or "",
    check=check,
    settings={
        "hops-and-secs": Setting(
            SettingKind.BOOLEAN,
            True,
            "report replies whose hops or secs are not 0 (info)",
        ),
    },
)
