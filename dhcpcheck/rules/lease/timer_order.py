"""lease-timer-order: T1 before T2 before the end of the lease.

Checks the renewal time (option 58, T1), the rebinding time (option 59, T2)
and the lease time (option 51) of every ACK that granted a lease. RFC 2131
section 4.4.5 (https://www.rfc-editor.org/rfc/rfc2131#section-4.4.5):

    T1 MUST be earlier than T2, which, in turn, MUST be earlier than the
    time at which the client's lease will expire.

A client handed T1 >= T2 never renews with the server that knows it, and one
handed T2 >= lease time lets the lease run out before it asks any server.

When the ACK leaves a timer out the client uses the section's default ("T1
defaults to (0.5 * duration_of_lease). T2 defaults to (0.875 *
duration_of_lease)"). A sent timer that is out of order only against such a
default is a warning: the server broke no MUST by itself, but its clients end
up with T1 >= T2 all the same. Infinite leases (0xffffffff) have no timers and
are skipped.

Failing exchange, an ACK of a one-day lease:

    ACK  yiaddr 192.0.2.10  lease-time 86400  T1 43200  T2 40000
    -> T2 not after T1 (T1 43200 s >= T2 40000 s)

One finding per client and distinct (server, lease time, T1, T2), listing
every ACK that carried those values. No settings.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.rules.base import ClientRule, Hit, Settings, Severity
from dhcpcheck.rules.lease.grants import granting_ack, span
from dhcpcheck.transactions.leases import (
    DEFAULT_T1_RATIO,
    DEFAULT_T2_RATIO,
    Client,
    Lease,
)


@dataclass(frozen=True, slots=True)
class Timer:
    """T1, T2 or the lease time as the client takes it."""

    name: str
    seconds: float
    sent: bool  # False: the RFC default, computed from the lease time
    option: OptionCode

    def __str__(self) -> str:
        shown = f"{self.name} {span(self.seconds)}"
        return shown if self.sent else f"default {shown}"


def check(client: Client, end: float, settings: Settings) -> Iterator[Hit]:
    """One hit per problem of each distinct set of timers, with all its ACKs."""
    same: dict[tuple[object, ...], list[Lease]] = {}
    for lease in client.leases:
        key = (lease.server, lease.lease_time, lease.t1, lease.t2)
        same.setdefault(key, []).append(lease)
    for leases in same.values():
        acks = [granting_ack(lease) for lease in leases]
        for message, option, severity in _problems(leases[0]):
            yield Hit(
                message,
                frames=tuple(ack.frame for ack in acks),
                xid=acks[0].message.xid,
                client=client.mac,
                server=leases[0].server,
                option=option,
                severity=severity,
            )


def keeps(client: Client, lease: Lease, settings: Settings) -> bool:
    """Whether the timers of an ended lease are out of order."""
    return any(_problems(lease))


def _problems(lease: Lease) -> Iterator[tuple[str, OptionCode, Severity | None]]:
    """(message, option at fault, severity if not the rule's) of each pair."""
    if lease.infinite:
        return
    t1, t2, whole = _timers(lease)
    late = [
        timer
        for timer in (t1, t2)
        if timer is not None and timer.sent and whole is not None
        if timer.seconds >= whole.seconds
    ]
    for timer in late:
        yield (
            f"{timer.name} not before the lease ends ({timer} >= {whole})",
            timer.option,
            None,
        )
    if t1 is None or t2 is None or t1.seconds < t2.seconds:
        return
    if t1.sent and t2.sent:
        yield f"T2 not after T1 ({t1} >= {t2})", t2.option, None
    elif (t1.sent or t2.sent) and not late:
        at_fault = t1 if t1.sent else t2
        yield f"T2 not after T1 ({t1} >= {t2})", at_fault.option, Severity.WARNING


def _timers(lease: Lease) -> tuple[Timer | None, Timer | None, Timer | None]:
    """T1, T2 and the lease time, defaults filled in where the ACK had none."""
    whole = None
    if lease.lease_time is not None:
        whole = Timer("lease", lease.lease_time, True, OptionCode.LEASE_TIME)
    return (
        _timer("T1", lease.t1, whole, DEFAULT_T1_RATIO, OptionCode.RENEWAL_TIME),
        _timer("T2", lease.t2, whole, DEFAULT_T2_RATIO, OptionCode.REBINDING_TIME),
        whole,
    )


def _timer(
    name: str, sent: int | None, whole: Timer | None, ratio: float, option: OptionCode
) -> Timer | None:
    if sent is not None:
        return Timer(name, sent, True, option)
    if whole is None:
        return None
    return Timer(name, ratio * whole.seconds, False, option)


RULE = ClientRule(
    code="DHC301",
    name="lease-timer-order",
    severity=Severity.ERROR,
    summary="T1 (option 58) before T2 (59) before the end of the lease (51)",
    doc=__doc__ or "",
    check=check,
    keeps=keeps,
)
