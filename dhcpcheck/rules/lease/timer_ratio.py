"""lease-timer-ratio: T1 and T2 near the fractions of the lease time expected.

Compares T1 (option 58) and T2 (option 59) of every ACK that granted a lease
to the lease time (option 51): T1 / lease against `t1-ratio` and T2 / lease
against `t2-ratio`, each allowed `tolerance` either way. RFC 2131 section
4.4.5 (https://www.rfc-editor.org/rfc/rfc2131#section-4.4.5):

    T1 defaults to (0.5 * duration_of_lease).  T2 defaults to (0.875 *
    duration_of_lease).  Times T1 and T2 SHOULD be chosen with some
    random "fuzz" around a fixed value, to avoid synchronization of
    client reacquisition.

Servers may choose other timers, so this is information: a T1 at a tenth of
the lease makes clients renew five times as often as the default, one at
0.85 leaves a renewal a few minutes before rebinding starts. Set the ratios
to what your servers are configured for to hear of a server that is not.
Timers the ACK leaves out take the defaults exactly and are not checked; nor
are infinite or zero leases.

Failing exchange:

    ACK  lease-time 3600  T1 360  T2 3150
    -> T1 at 0.10 of the lease (T1 360 s of 3600 s, expected 0.5 +/- 0.05)

Settings: `t1-ratio` (0.5), `t2-ratio` (0.875), `tolerance` (0.05, a
fraction of the lease time). One finding per client, server and timer,
listing every ACK that was off.
"""

from collections.abc import Iterator
from ipaddress import IPv4Address

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.rules.base import (
    ClientRule,
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.lease.grants import granting_ack, span
from dhcpcheck.transactions.leases import (
    DEFAULT_T1_RATIO,
    DEFAULT_T2_RATIO,
    INFINITE,
    Client,
    Lease,
)
from dhcpcheck.transactions.model import Seen

_EPSILON = 1e-9  # so that a ratio exactly `tolerance` away passes


def check(client: Client, end: float, settings: Settings) -> Iterator[Hit]:
    """One hit per server and timer off its ratio; the first value is shown."""
    off: dict[tuple[IPv4Address | None, OptionCode], tuple[str, list[Seen]]] = {}
    for lease in client.leases:
        for option, message in _off(lease, settings):
            entry = off.setdefault((lease.server, option), (message, []))
            entry[1].append(granting_ack(lease))
    for (server, option), (message, acks) in off.items():
        yield Hit(
            message,
            frames=tuple(ack.frame for ack in acks),
            xid=acks[0].message.xid,
            client=client.mac,
            server=server,
            option=option,
        )


def keeps(client: Client, lease: Lease, settings: Settings) -> bool:
    """Whether an ended lease was sent timers off their ratios."""
    return any(_off(lease, settings))


def _off(lease: Lease, settings: Settings) -> Iterator[tuple[OptionCode, str]]:
    """The timers `lease` was sent that are too far from their ratio."""
    whole = lease.lease_time
    if whole is None or whole in (0, INFINITE):
        return
    tolerance = settings.number("tolerance")
    for name, sent, option, setting in (
        ("T1", lease.t1, OptionCode.RENEWAL_TIME, "t1-ratio"),
        ("T2", lease.t2, OptionCode.REBINDING_TIME, "t2-ratio"),
    ):
        expected = settings.number(setting)
        if sent is None or abs(sent / whole - expected) <= tolerance + _EPSILON:
            continue
        measured = f"{name} {span(sent)} of {span(whole)}"
        wanted = f"expected {expected:g} +/- {tolerance:g}"
        ratio = f"{name} at {sent / whole:.2f} of the lease"
        yield option, f"{ratio} ({measured}, {wanted})"


RULE = ClientRule(
    code="DHC302",
    name="lease-timer-ratio",
    severity=Severity.INFO,
    summary="T1 and T2 near 0.5 and 0.875 of the lease time, or as configured",
    doc=__doc__ or "",
    check=check,
    keeps=keeps,
    settings={
        "t1-ratio": Setting(
            SettingKind.NUMBER, DEFAULT_T1_RATIO, "expected T1 / lease time"
        ),
        "t2-ratio": Setting(
            SettingKind.NUMBER, DEFAULT_T2_RATIO, "expected T2 / lease time"
        ),
        "tolerance": Setting(
            SettingKind.NUMBER, 0.05, "allowed distance from each ratio"
        ),
    },
)
