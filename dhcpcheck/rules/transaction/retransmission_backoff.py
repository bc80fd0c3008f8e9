"""retransmission-backoff: a client resends too fast, or its `secs` misleads.

RFC 2131 section 4.1 (https://www.rfc-editor.org/rfc/rfc2131#section-4.1):
"The client MUST adopt a retransmission strategy that incorporates a
randomized exponential backoff algorithm to determine the delay between
retransmissions. [...] the delay before the first retransmission SHOULD be 4
seconds randomized by the value of a uniform random number chosen from the
range -1 to +1. [...] The retransmission delay SHOULD be doubled with
subsequent retransmissions up to a maximum of 64 seconds." A client that
resends faster floods servers and relays, worst when many clients boot at
once. DISCOVERs, SELECTING and INIT-REBOOT REQUESTs and INFORMs (section
4.4.3 points INFORM at the same timeouts) are held to 4, 8, 16, 32, 64, 64 ...
seconds, less `tolerance`. A gap longer than 64 s plus `tolerance` starts the
count again, as a new attempt. RENEWING and REBINDING requests follow
section 4.4.5 instead (half the time left, at least 60 s), a lease matter,
and are not timed here.

`secs` is "seconds elapsed since client began address acquisition or renewal
process" (section 2, Table 1); relays and servers use it to decide when to
step in. Across the resends of one message it must not fall (warning). Staying
0 is allowed by Table 5 ("0 or seconds since DHCP process started") but
hides the client's wait, so it is reported at info once the resends span
2 s or more. SELECTING REQUESTs are exempt from that: section 3.1 step 3 has
them "use the same value in the DHCP message header's 'secs' field" as the
DISCOVER.

Resends are the client messages of one type (and, for REQUESTs, one state)
in one transaction. A client that takes a new xid for each resend, as
section 4.1 allows, makes one transaction per send, and this rule sees no
resend.

Failing exchange:

    0.0 s  0.0.0.0 -> 255.255.255.255  DISCOVER secs 0
    2.7 s  0.0.0.0 -> 255.255.255.255  DISCOVER secs 2
    -> discover resent after 2.7 s (expected at least 3.0 s)

Settings:

    tolerance  seconds a resend may come before its 4, 8, 16 ... s slot
               (default 1.0, the RFC's randomisation)
"""

from collections.abc import Iterator
from itertools import pairwise

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import (
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
    TransactionRule,
)
from dhcpcheck.rules.transaction.exchange import seconds, type_name
from dhcpcheck.transactions.model import ClientState, Seen, Transaction, request_state

FIRST_DELAY = 4.0  # seconds before the first resend, RFC 2131 section 4.1
MAX_DELAY = 64.0  # the longest delay the doubling reaches
ZERO_SECS_SPAN = 2.0  # resends this far apart should show a non-zero secs
TIMED = frozenset(
    {
        "discover",
        "inform",
        f"{ClientState.SELECTING} request",
        f"{ClientState.INIT_REBOOT} request",
    }
)


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """Per resent message: early resends, then `secs` falling or stuck at 0."""
    tolerance = settings.number("tolerance")
    for label, sends in _resends(txn).items():
        if label in TIMED:
            yield from _early(txn, label, sends, tolerance)
        yield from _secs(txn, label, sends)


def _resends(txn: Transaction) -> dict[str, list[Seen]]:
    """Client messages by what they are (`discover`, `renewing request` ...),
    only where one was sent more than once."""
    groups: dict[str, list[Seen]] = {}
    for step in txn.steps:
        seen = step.seen
        if step.copy_of is not None or not seen.from_client:
            continue
        if seen.type == MessageType.REQUEST:
            label = f"{request_state(seen)} request"
        elif seen.type in (MessageType.DISCOVER, MessageType.INFORM):
            label = type_name(seen)
        else:
            continue
        groups.setdefault(label, []).append(seen)
    return {label: sends for label, sends in groups.items() if len(sends) > 1}


def _early(
    txn: Transaction, label: str, sends: list[Seen], tolerance: float
) -> Iterator[Hit]:
    """One hit for the resends that came before their backoff slot."""
    early: list[tuple[Seen, Seen, float, float]] = []
    delay = FIRST_DELAY
    for before, after in pairwise(sends):
        gap = after.time - before.time
        if gap > MAX_DELAY + tolerance:
            delay = FIRST_DELAY  # a new attempt, not a resend
            continue
        if gap < delay - tolerance:
            early.append((after, before, gap, delay - tolerance))
        delay = min(delay * 2, MAX_DELAY)
    if not early:
        return
    after, before, gap, least = early[0]
    times = f" {len(early)} times too early, first" if len(early) > 1 else ""
    yield Hit(
        f"{label} resent{times} after {seconds(gap, least)} s "
        f"(expected at least {least:.1f} s)",
        frames=(after.frame, before.frame, *(e[0].frame for e in early[1:])),
        xid=txn.xid,
        client=txn.client_mac,
    )


def _secs(txn: Transaction, label: str, sends: list[Seen]) -> Iterator[Hit]:
    """A hit when `secs` falls between resends, or stays 0 across them."""
    for before, after in pairwise(sends):
        if after.message.secs < before.message.secs:
            yield Hit(
                f"secs of resent {label} fell to {after.message.secs} "
                f"(was {before.message.secs})",
                frames=(after.frame, before.frame),
                xid=txn.xid,
                client=txn.client_mac,
                field="secs",
            )
            return
    span = sends[-1].time - sends[0].time
    if label == f"{ClientState.SELECTING} request" or span < ZERO_SECS_SPAN:
        return
    if any(seen.message.secs for seen in sends):
        return
    yield Hit(
        f"secs 0 in all {len(sends)} {label}s over {span:.1f} s "
        "(expected seconds since the start)",
        frames=tuple(seen.frame for seen in sends),
        xid=txn.xid,
        client=txn.client_mac,
        field="secs",
        severity=Severity.INFO,
    )


RULE = TransactionRule(
    code="DHC216",
    name="retransmission-backoff",
    severity=Severity.WARNING,
    summary="a client resent faster than RFC 2131's backoff, or its secs misled",
    doc=__doc__ or "",
    check=check,
    settings={
        "tolerance": Setting(
            SettingKind.NUMBER,
            1.0,
            "seconds a resend may come before its 4, 8, 16 ... s slot",
        )
    },
)
