"""offer-ack-mismatch: the ACK's parameters contradict the OFFER accepted.

The client chose an OFFER for what it offered; the ACK from that server
should hand out the same. RFC 2131 section 3.1 step 4
(https://www.rfc-editor.org/rfc/rfc2131#section-3.1): "Any configuration
parameters in the DHCPACK message SHOULD NOT conflict with those in the
earlier DHCPOFFER message to which the client is responding." A changed
mask, router or DNS server means two configurations are live, for example
servers of a failover pair with different settings, or a server whose
configuration changed mid-exchange.

Compared: every option present in both the ACK to a SELECTING REQUEST and the
latest OFFER before that REQUEST from the server it selected (option 54),
byte for byte after RFC 3396 joining. Options that belong to one message
rather than to the configuration are left out: 52, 53, 54, 56, 61, 81 (the
server reports its DNS update in it), 82, 90 and 91. An option in one message
only is not a conflict and is not reported. Lease time, T1 and T2 (51, 58,
59) differ at info level: the client uses the ACK's and servers may count
down the lease between the two. The assigned address is ack-address-mismatch's
concern.

Failing exchange:

    0.0 s  192.0.2.1 -> 192.0.2.107    OFFER server-id 192.0.2.1 router 192.0.2.1
    0.0 s  0.0.0.0 -> 255.255.255.255  REQUEST server-id 192.0.2.1
    0.0 s  192.0.2.1 -> 192.0.2.107    ACK server-id 192.0.2.1 router 192.0.2.254
    -> option 3 (router) 192.0.2.254 in ack (192.0.2.1 in offer)

Settings:

    ignore  option codes or names not to compare (default none), e.g. ["15"]
"""

from collections.abc import Iterator
from ipaddress import IPv4Address

from dhcpcheck.decode.options import OPTIONS, MessageType, OptionCode, ValueFormat
from dhcpcheck.rules.base import (
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
    TransactionRule,
)
from dhcpcheck.rules.transaction.exchange import (
    address,
    answered,
    option_codes,
    printable,
    replies,
)
from dhcpcheck.transactions.model import ClientState, Seen, Transaction, request_state

OC = OptionCode
PER_MESSAGE = frozenset(
    {
        OC.OVERLOAD,
        OC.MESSAGE_TYPE,
        OC.SERVER_ID,
        OC.MESSAGE,
        OC.CLIENT_ID,
        OC.CLIENT_FQDN,
        OC.RELAY_AGENT_INFO,
        OC.AUTHENTICATION,
        OC.CLIENT_LAST_TRANSACTION_TIME,
    }
)
TIMERS = frozenset({OC.LEASE_TIME, OC.RENEWAL_TIME, OC.REBINDING_TIME})
_INTEGER_SIZES = {ValueFormat.U8: 1, ValueFormat.U16: 2, ValueFormat.U32: 4}
_HEX_SHOWN = 32  # hex digits of an opaque value before it is cut short


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit per option whose value differs between chosen OFFER and ACK."""
    ignored = option_codes(settings.strings("ignore"))
    for ack in replies(txn, MessageType.ACK):
        offer = _accepted_offer(txn, ack)
        if offer is None:
            continue
        both = {o.code for o in ack.message.options} & {
            o.code for o in offer.message.options
        }
        for code in sorted(both - PER_MESSAGE - ignored):
            acked = ack.message.value(code) or b""
            offered = offer.message.value(code) or b""
            if acked == offered:
                continue
            yield Hit(
                f"option {code} ({_title(code)}) {_shown(code, acked)} in ack "
                f"({_shown(code, offered)} in offer)",
                frames=(ack.frame, offer.frame),
                xid=txn.xid,
                client=txn.client_mac,
                server=address(ack, OptionCode.SERVER_ID),
                option=code,
                severity=Severity.INFO if code in TIMERS else None,
            )


def _accepted_offer(txn: Transaction, ack: Seen) -> Seen | None:
    """The OFFER the SELECTING request that `ack` answers accepted, if seen."""
    request = answered(txn, ack)
    if request is None or request.type != MessageType.REQUEST:
        return None
    if request_state(request) is not ClientState.SELECTING:
        return None
    selected = address(request, OptionCode.SERVER_ID)
    if selected is None or address(ack, OptionCode.SERVER_ID) != selected:
        return None
    offers = [
        offer
        for offer in replies(txn, MessageType.OFFER)
        if offer.frame < request.frame
        and address(offer, OptionCode.SERVER_ID) == selected
    ]
    return offers[-1] if offers else None


def _title(code: int) -> str:
    return OPTIONS[code].title.lower() or "unassigned"


def _shown(code: int, data: bytes) -> str:
    """A value as the option's layout reads, hex when it does not fit one."""
    layout = OPTIONS[code].value
    if layout is ValueFormat.IPV4 and data and len(data) % 4 == 0:
        return ",".join(
            str(IPv4Address(data[i : i + 4])) for i in range(0, len(data), 4)
        )
    if len(data) == _INTEGER_SIZES.get(layout):
        return str(int.from_bytes(data))
    if layout is ValueFormat.I32 and len(data) == 4:
        return str(int.from_bytes(data, signed=True))
    if layout is ValueFormat.TEXT:
        return f'"{printable(data)}"'
    text = data.hex()
    return text if len(text) <= _HEX_SHOWN else text[: _HEX_SHOWN - 3] + "..."


RULE = TransactionRule(
    code="DHC207",
    name="offer-ack-mismatch",
    severity=Severity.WARNING,
    summary="the ACK's parameters conflict with the OFFER the client accepted",
    doc=__doc__ or "",
    check=check,
    settings={
        "ignore": Setting(
            SettingKind.STRINGS,
            [],
            "option codes or names not to compare",
            validate=option_codes,
        )
    },
)
