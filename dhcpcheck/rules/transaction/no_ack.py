"""no-ack: a client's REQUESTs got neither DHCPACK nor DHCPNAK.

A REQUEST in SELECTING, RENEWING or REBINDING state names a lease a server
should confirm or refuse; silence leaves the client retrying until it gives
up and starts over (RFC 2131 section 3.1 step 5 and section 4.4.5).

A REQUEST in INIT-REBOOT state is different. RFC 2131 section 4.3.2
(https://www.rfc-editor.org/rfc/rfc2131#section-4.3.2): "If the DHCP server
has no record of this client, then it MUST remain silent, and MAY output a
warning to the network administrator. This behavior is necessary for
peaceful coexistence of non-communicating DHCP servers on the same wire."
Silence then is correct behaviour, so it is reported at info level (it still
tells why a client fell back to DISCOVER), or not at all with
`init-reboot = false`.

Counted are the REQUESTs after the last ACK or NAK, so resends that follow
an answered request in the same transaction are judged on their own. The
state is read from the last REQUEST as a server would (see `exchange.State`);
the tracker starts a new transaction when it changes. An exchange still
waiting when the capture ends, or a lone REQUEST after an answered one, is
reported only once the client has resent it: the resend shows it waited in
vain.

Failing exchange:

    0.0 s  0.0.0.0 -> 255.255.255.255  REQUEST server-id 192.0.2.1
                                       requested 192.0.2.107
    4.0 s  ... the same, secs 4
    -> no ack or nak to 2 selecting requests over 4.0 s

Settings:

    init-reboot  report unanswered INIT-REBOOT requests at info (default true)
"""

from collections.abc import Iterator
from ipaddress import IPv4Address

from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import (
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
    TransactionRule,
)
from dhcpcheck.rules.transaction.exchange import ZERO, address, replies
from dhcpcheck.transactions.model import (
    BROADCAST,
    ClientState,
    Outcome,
    Seen,
    Transaction,
    request_state,
)


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit when the last REQUESTs got neither ACK nor NAK."""
    answers = replies(txn, MessageType.ACK, MessageType.NAK)
    answered_up_to = max((reply.frame for reply in answers), default=0)
    requests = [
        request
        for request in txn.of_type(MessageType.REQUEST)
        if request.frame > answered_up_to
    ]
    cut_off = txn.outcome is Outcome.CUT_OFF
    # After an answer the outcome cannot say whether the capture cut the
    # exchange off, so a lone request there counts no more than when cut off.
    unsure = cut_off or bool(answers)
    if not requests or (unsure and len(requests) < 2):
        return
    current = request_state(requests[-1])
    init_reboot = current is ClientState.INIT_REBOOT
    if init_reboot and not settings.boolean("init-reboot"):
        return
    if len(requests) == 1:
        message = f"no ack or nak to {current} request"
    else:
        span = requests[-1].time - requests[0].time
        message = f"no ack or nak to {len(requests)} {current} requests"
        message += f" over {span:.1f} s"
    if cut_off:
        message += " before the capture ended"
    if init_reboot:
        message += " (servers without a record stay silent)"
    yield Hit(
        message,
        frames=tuple(seen.frame for seen in requests),
        xid=txn.xid,
        client=txn.client_mac,
        server=_server(requests[-1]),
        severity=Severity.INFO if init_reboot else None,
    )


def _server(request: Seen) -> IPv4Address | None:
    """The server the request was meant for, when it names or targets one."""
    named = address(request, OptionCode.SERVER_ID)
    if named is not None:
        return named
    if request.ip_dst not in (BROADCAST, ZERO):
        return request.ip_dst
    return None


RULE = TransactionRule(
    code="DHC202",
    name="no-ack",
    severity=Severity.WARNING,
    summary="no server answered the client's REQUESTs",
    doc=__doc__ or "",
    check=check,
    settings={
        "init-reboot": Setting(
            SettingKind.BOOLEAN,
            True,
            "report unanswered INIT-REBOOT requests at info (they may be normal)",
        )
    },
)
