"""client-message-fields: a client message breaks RFC 2131 Tables 4 and 5.

What it checks
    The fields and options Table 5 fixes for DHCPDISCOVER, DHCPREQUEST,
    DHCPDECLINE, DHCPRELEASE and DHCPINFORM. A DHCPREQUEST is first placed
    in the client state that sent it, as Table 4 tells them apart:

    ======================  ===========  ==========  ========  =========
    DHCPREQUEST             SELECTING    INIT-REBOOT RENEWING  REBINDING
    ======================  ===========  ==========  ========  =========
    server identifier (54)  MUST         MUST NOT    MUST NOT  MUST NOT
    requested address (50)  MUST         MUST        MUST NOT  MUST NOT
    ciaddr                  zero         zero        address   address
    ======================  ===========  ==========  ========  =========

    so option 54 means SELECTING, else a ciaddr means RENEWING (unicast) or
    REBINDING (broadcast, or relayed), else option 50 means INIT-REBOOT. A
    request that fits no column (option 54 with a ciaddr, or none of the
    three) is reported as such.

    - error: ciaddr set in DHCPDISCOVER or DHCPDECLINE, missing in
      DHCPINFORM or DHCPRELEASE; yiaddr or siaddr set in any client message;
      option 54 in DHCPDISCOVER or DHCPINFORM, missing from DHCPDECLINE or
      DHCPRELEASE; option 50 in DHCPINFORM or DHCPRELEASE, missing from
      DHCPDECLINE; lease time (51) in DHCPINFORM; options 51, 55, 57, 60 or a
      site-specific one (128-254) in DHCPDECLINE or DHCPRELEASE; a
      DHCPREQUEST against its state's column, or in none.
    - warning: reserved flag bits set; hops not 0 or giaddr set in a message
      sent straight from the client (relays set both); secs or flags not 0
      in DHCPDECLINE or DHCPRELEASE.
    - info: message (56) in DHCPDISCOVER, DHCPREQUEST or DHCPINFORM (SHOULD
      NOT), or missing from DHCPDECLINE (SHOULD); any other option in
      DHCPDECLINE or DHCPRELEASE ("all others: MUST NOT", but harmless, and
      common: ISC dhclient sends its host name in releases). Option 82 in
      them is a relay's, not the client's, and passes.

    Table 5 also has DHCPRELEASE SHOULD carry a message; that cell is left
    out, since RFC 2132 section 9.9 names only DHCPDECLINE and DHCPNAK as
    messages with a reason to give. Options missing from a message the
    capture cut short are not held against it.

Why
    RFC 2131 section 4.4.1 (https://www.rfc-editor.org/rfc/rfc2131#section-4.4.1),
    Table 5, "Fields and options used by DHCP clients"; section 4.3.6
    (https://www.rfc-editor.org/rfc/rfc2131#section-4.3.6), Table 4; and
    section 4.3.2 (https://www.rfc-editor.org/rfc/rfc2131#section-4.3.2), for
    example for RENEWING: "'server identifier' MUST NOT be filled in,
    'requested IP address' option MUST NOT be filled in, 'ciaddr' MUST be
    filled in with client's IP address." Section 2
    (https://www.rfc-editor.org/rfc/rfc2131#section-2) on the flags: "They
    MUST be set to zero by clients and ignored by servers and relay agents."
    A server reads the client's state from exactly these cells; a request
    in the wrong column gets a DHCPNAK or no answer.

Failing example
    A DHCPREQUEST unicast from 192.0.2.107 to the server, ciaddr
    192.0.2.107, still carrying option 50: `DHCPREQUEST (renewing) carries
    requested address (option 50)`.

Settings
    None.
"""

from collections.abc import Iterator, Mapping

from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import ZERO, hit, type_name
from dhcpcheck.rules.message.requirements import Need, option_hits, zero_hits
from dhcpcheck.transactions.model import ClientState, Seen, request_state

CLIENT_PORT = 68
RESERVED_FLAGS = 0x7FFF  # all but BROADCAST, RFC 2131 figure 2
SITE_SPECIFIC = range(128, 255)  # RFC 2132 section 2


# Table 4's option rows (its ciaddr row decides the state).
_REQUEST: Mapping[ClientState, Mapping[int, Need]] = {
    ClientState.SELECTING: {OptionCode.REQUESTED_IP: Need.MUST},
    ClientState.INIT_REBOOT: {OptionCode.REQUESTED_IP: Need.MUST},
    ClientState.RENEWING: {OptionCode.REQUESTED_IP: Need.MUST_NOT},
    ClientState.REBINDING: {OptionCode.REQUESTED_IP: Need.MUST_NOT},
}
_NO_MESSAGE: dict[int, Need] = {OptionCode.MESSAGE: Need.SHOULD_NOT}
# Table 5's MUST NOT rows shared by DHCPDECLINE and DHCPRELEASE.
_DECLINE_RELEASE_MUST_NOT: dict[int, Need] = dict.fromkeys(
    (
        OptionCode.LEASE_TIME,
        OptionCode.PARAMETER_REQUEST_LIST,
        OptionCode.MAX_MESSAGE_SIZE,
        OptionCode.VENDOR_CLASS_ID,
        *SITE_SPECIFIC,
    ),
    Need.MUST_NOT,
)
# Table 5, options: the MUST, MUST NOT, SHOULD and SHOULD NOT cells.
_OPTIONS: Mapping[int, Mapping[int, Need]] = {
    MessageType.DISCOVER: {OptionCode.SERVER_ID: Need.MUST_NOT} | _NO_MESSAGE,
    MessageType.REQUEST: _NO_MESSAGE,
    MessageType.INFORM: dict.fromkeys(
        (OptionCode.REQUESTED_IP, OptionCode.LEASE_TIME, OptionCode.SERVER_ID),
        Need.MUST_NOT,
    )
    | _NO_MESSAGE,
    MessageType.DECLINE: {
        OptionCode.REQUESTED_IP: Need.MUST,
        OptionCode.SERVER_ID: Need.MUST,
        OptionCode.MESSAGE: Need.SHOULD,
    }
    | _DECLINE_RELEASE_MUST_NOT,
    MessageType.RELEASE: {
        OptionCode.REQUESTED_IP: Need.MUST_NOT,
        OptionCode.SERVER_ID: Need.MUST,
    }
    | _DECLINE_RELEASE_MUST_NOT,
}
# What DHCPDECLINE and DHCPRELEASE may carry beyond the rows above: Table 5's
# MAY rows, and option 82, which a relay adds (RFC 3046).
_MAY_CARRY = frozenset(
    {
        OptionCode.OVERLOAD,
        OptionCode.MESSAGE_TYPE,
        OptionCode.MESSAGE,
        OptionCode.CLIENT_ID,
        OptionCode.RELAY_AGENT_INFO,
    }
)
# Table 5, fields that must be 0, and ciaddr's cell.
_ZERO_FIELDS = dict.fromkeys(("yiaddr", "siaddr"), Severity.ERROR)
_RELEASE_ZEROS = dict.fromkeys(("secs", "flags"), Severity.WARNING)
_CIADDR_SET: dict[int, bool] = {
    MessageType.DISCOVER: False,
    MessageType.DECLINE: False,
    MessageType.INFORM: True,
    MessageType.RELEASE: True,
}


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """Hits for each Table 4 or Table 5 cell this client message breaks."""
    kind = seen.type
    if kind is None or kind not in _OPTIONS:
        return
    name = type_name(kind)
    yield from option_hits(seen, name, _OPTIONS[kind])
    yield from zero_hits(seen, name, _ZERO_FIELDS)
    yield from _header(seen, name)
    if kind == MessageType.REQUEST:
        yield from _request(seen)
    elif kind in (MessageType.DECLINE, MessageType.RELEASE):
        yield from zero_hits(seen, name, _RELEASE_ZEROS)
        listed = _MAY_CARRY | _OPTIONS[kind].keys()
        others = (code for code in _present(seen) if code not in listed)
        needs = dict.fromkeys(others, Need.MUST_NOT)
        yield from option_hits(seen, name, needs, Severity.INFO)
    if kind in _CIADDR_SET:
        yield from _ciaddr(seen, name, _CIADDR_SET[kind])


def _request(seen: Seen) -> Iterator[Hit]:
    state = request_state(seen)
    if state is ClientState.UNCLEAR:
        ciaddr = seen.message.ciaddr
        if ciaddr == ZERO:
            shown = "no server identifier, requested address or ciaddr"
        else:
            shown = f"server identifier and ciaddr {ciaddr}"
        yield hit(seen, f"DHCPREQUEST fits no client state ({shown})", field="ciaddr")
    else:
        yield from option_hits(seen, f"DHCPREQUEST ({state})", _REQUEST[state])


def _header(seen: Seen, name: str) -> Iterator[Hit]:
    message = seen.message
    if message.flags & RESERVED_FLAGS:
        text = f"{name} flags 0x{message.flags:04x} (reserved bits set)"
        yield hit(seen, text, field="flags", severity=Severity.WARNING)
    if seen.sport == CLIENT_PORT:  # sent by the client itself, not a relay
        fields = dict.fromkeys(("hops", "giaddr"), Severity.WARNING)
        yield from zero_hits(seen, name, fields)


def _ciaddr(seen: Seen, name: str, wanted: bool) -> Iterator[Hit]:
    ciaddr = seen.message.ciaddr
    if wanted and ciaddr == ZERO:
        text = f"{name} ciaddr {ZERO} (expected the client's address)"
        yield hit(seen, text, field="ciaddr")
    elif not wanted and ciaddr != ZERO:
        yield hit(seen, f"{name} ciaddr {ciaddr} (expected {ZERO})", field="ciaddr")


def _present(seen: Seen) -> dict[int, None]:
    """The option codes of the message, in order, each once."""
    return dict.fromkeys(seen.message.by_code)


RULE = MessageRule(
    code="DHC121",
    name="client-message-fields",
    severity=Severity.ERROR,
    summary="client message fields and options against RFC 2131 Tables 4 and 5",
    doc=__doc__ or "",
    check=check,
)
