"""requested-option-missing: the ACK leaves out options the client asked for.

The client lists what it wants in option 55, the parameter request list.
RFC 2131 section 4.3.1 (https://www.rfc-editor.org/rfc/rfc2131#section-4.3.1):
"The server MUST supply as many of the requested parameters as possible and
MUST omit any parameters it cannot provide." Leaving one out is therefore
legal, and most clients ask for more than any server is configured with
(NIS, NTP, time offset), hence info: a hint at what the server could be
configured to send, as when clients ask for option 119 or 121 and never get
it. Options named in the `required` setting are another matter: an ACK
without one of them is reported at warning level whether the client asked
for it or not.

Compared: the ACK against the option 55 of the REQUEST or INFORM it answers.
Never expected in a reply, so never reported: 0, 50, 52, 53, 55, 57, 255,
and 51 in an ACK to an INFORM (section 4.3.5: "The server MUST NOT send a
lease expiration time"). Router (3) and static routes (33) are not missing
when the ACK carries classless routes (121): a server sending those to a
client that asked for them "SHOULD NOT include the Router or Static Routes
options" (RFC 3442, https://www.rfc-editor.org/rfc/rfc3442).

Failing exchange (the seed capture samples/openstack-dora.pcap):

    REQUEST  parameter request list 1, 28, 2, 121, 15, 6, 12, 40, 41, 42,
             26, 119, 3
    ACK      options 1, 28, 6, 15, 12, 26, 3, 121 (and 51, 54, 58, 59)
    -> ack lacks requested options 2, 40, 41, 42, 119 (5 of 13 requested)

Settings:

    required  option codes or names every ACK must carry, e.g. ["1", "3", "6"]
              (default none)
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType, OptionCode
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
    replies,
)
from dhcpcheck.transactions.model import Seen, Transaction

OC = OptionCode
NEVER_SENT = frozenset(
    {
        OC.PAD,
        OC.REQUESTED_IP,
        OC.OVERLOAD,
        OC.MESSAGE_TYPE,
        OC.PARAMETER_REQUEST_LIST,
        OC.MAX_MESSAGE_SIZE,
        OC.END,
    }
)
ROUTES_REPLACED = frozenset({OC.ROUTER, OC.STATIC_ROUTE})


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """Per ACK: required options missing (warning), requested ones (info)."""
    required = option_codes(settings.strings("required"))
    for ack in replies(txn, MessageType.ACK):
        request = answered(txn, ack)
        asked = _asked(request)
        present = {option.code for option in ack.message.options}
        lacking = [code for code in sorted(required) if code not in present]
        if lacking:
            yield _hit(
                txn,
                ack,
                request,
                f"ack lacks required {_codes(lacking)}",
                Severity.WARNING,
            )
        wanted = _wanted(asked, present, request)
        missing = [code for code in wanted if code not in present | required]
        if missing:
            yield _hit(
                txn,
                ack,
                request,
                f"ack lacks requested {_codes(missing)} "
                f"({len(missing)} of {len(asked)} requested)",
            )


def _asked(request: Seen | None) -> list[int]:
    """The request's option 55 codes in order, duplicates dropped."""
    if request is None:
        return []
    codes = request.message.value(OptionCode.PARAMETER_REQUEST_LIST) or b""
    return list(dict.fromkeys(codes))


def _wanted(asked: list[int], present: set[int], request: Seen | None) -> list[int]:
    """The asked-for codes a server could have sent in this ACK."""
    never = set(NEVER_SENT)
    if request is not None and request.type == MessageType.INFORM:
        never.add(OptionCode.LEASE_TIME)
    if OptionCode.CLASSLESS_ROUTE in present:
        never |= ROUTES_REPLACED
    return [code for code in asked if code not in never]


def _codes(codes: list[int]) -> str:
    noun = "option" if len(codes) == 1 else "options"
    return f"{noun} {', '.join(str(code) for code in codes)}"


def _hit(
    txn: Transaction,
    ack: Seen,
    request: Seen | None,
    message: str,
    severity: Severity | None = None,
) -> Hit:
    return Hit(
        message,
        frames=(ack.frame,) if request is None else (ack.frame, request.frame),
        xid=txn.xid,
        client=txn.client_mac,
        server=address(ack, OptionCode.SERVER_ID),
        severity=severity,
    )


RULE = TransactionRule(
    code="DHC210",
    name="requested-option-missing",
    severity=Severity.INFO,
    summary="the ACK lacks options the client requested or the site requires",
    doc=__doc__ or "",
    check=check,
    settings={
        "required": Setting(
            SettingKind.STRINGS,
            [],
            "option codes or names every ACK must carry",
            validate=option_codes,
        )
    },
)
