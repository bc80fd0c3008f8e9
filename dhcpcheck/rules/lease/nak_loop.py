"""nak-loop: a client NAKed again and again within a short time.

Counts the DHCPNAKs sent to each client and reports every burst of at least
`naks` of them within `window` seconds. RFC 2131 section 3.1
(https://www.rfc-editor.org/rfc/rfc2131#section-3.1):

    If the client receives a DHCPNAK message, the client restarts the
    configuration process.

One NAK is the protocol working: a client back from another subnet asks for
its old address and is sent to INIT. A NAK after every attempt is a loop: two
servers that disagree about the subnet (one NAKs what the other grants,
against section 3.2's "Servers SHOULD NOT respond if their information is
not guaranteed to be accurate"), a client that asks for the refused address
again, or a pool that cannot serve it.

Failing exchange:

    0 s REQUEST 192.0.2.10 -> NAK; 4 s DISCOVER, OFFER 192.0.2.10,
    REQUEST -> NAK; 9 s ... -> NAK
    -> NAKed 3 times in 9 s (threshold 3 within 60 s)

Settings: `naks` (3), how many NAKs make a loop; `window` (60 seconds). One
finding per burst; its frames are the burst's NAKs.
"""

from collections.abc import Iterator

from dhcpcheck.rules.base import (
    ClientRule,
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.lease.grants import span
from dhcpcheck.transactions.leases import Client
from dhcpcheck.transactions.model import Seen
from dhcpcheck.transactions.servers import server_identifier


def check(client: Client, end: float, settings: Settings) -> Iterator[Hit]:
    """One hit per burst of NAKs."""
    count, window = settings.integer("naks"), settings.number("window")
    naks = sorted(client.naks or (), key=lambda seen: seen.time)
    for burst in _bursts(naks, count, window):
        first = burst[0]
        yield Hit(
            f"NAKed {len(burst)} times in {span(burst[-1].time - first.time)} "
            f"(threshold {count} within {span(window)})",
            frames=tuple(seen.frame for seen in burst),
            xid=first.message.xid,
            client=client.mac,
            server=server_identifier(first),
        )


def _bursts(naks: list[Seen], count: int, window: float) -> list[list[Seen]]:
    """Runs of NAKs each inside some `window` that holds `count` or more."""
    hot = [False] * len(naks)
    oldest = 0
    for newest, nak in enumerate(naks):
        while nak.time - naks[oldest].time > window:
            oldest += 1
        if newest - oldest + 1 >= count:
            hot[oldest : newest + 1] = [True] * (newest - oldest + 1)
    bursts: list[list[Seen]] = []
    for index, nak in enumerate(naks):
        if not hot[index]:
            continue
        joins = bursts and hot[index - 1] and nak.time - bursts[-1][-1].time <= window
        if joins:
            bursts[-1].append(nak)
        else:
            bursts.append([nak])
    return bursts


RULE = ClientRule(
    code="DHC306",
    name="nak-loop",
    severity=Severity.WARNING,
    summary="a client NAKed repeatedly within a short time",
    doc=__doc__ or "",
    check=check,
    settings={
        "naks": Setting(
            SettingKind.INTEGER, 3, "NAKs within the window that make a loop"
        ),
        "window": Setting(SettingKind.NUMBER, 60.0, "seconds"),
    },
)
