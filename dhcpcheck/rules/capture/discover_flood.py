"""discover-flood: bursts of new clients, as a DHCP starvation attack makes.

Watches the hardware addresses (chaddr) of DISCOVERing clients through a
sliding window of `window` seconds and reports each burst during which `clients`
or more distinct ones were in the window at once. RFC 2131 section 7
(https://www.rfc-editor.org/rfc/rfc2131#section-7):

    Where dynamic allocation of resources is used, a malicious client could
    claim all resources for itself, thereby denying resources to
    legitimate clients.

A starvation tool (dhcpstarv, yersinia) DISCOVERs from a new random chaddr
many times a second until the pool is empty; so does a misbehaving
virtualisation host or a broken switch looping frames. A whole site booting
after a power cut looks alike, hence a warning and tunable thresholds.

The state is bounded: the last `clients` distinct chaddrs, each with the
time of its DISCOVER, and one small record per burst. That is enough to
know whether the window holds `clients` of them: if any chaddr in the window
was pushed out, `clients` later ones are in it. A burst's size counts each
DISCOVER whose chaddr is not in that record, so a chaddr pushed out and seen
again counts twice. Transactions reach the rule as they close, up to the
tracker's idle timeout late and not quite in order; a DISCOVER older than
the window by then is not counted.

Failing exchange, with the defaults:

    DISCOVER from 02:00:00:00:00:01, 02:00:00:00:00:02, ... 500 of them
    in 20 s, each from a new chaddr
    -> burst of 500 new clients in 20 s (threshold 200 within 60 s)

Settings: `clients` (200), `window` (60 seconds). One finding per burst;
frames: the DISCOVER that crossed the threshold, then the oldest in the
window at that moment.
"""

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import (
    CaptureRule,
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.lease.grants import span
from dhcpcheck.transactions.leases import Client
from dhcpcheck.transactions.model import Seen, Transaction


@dataclass(slots=True)
class Burst:
    """A stretch of time the window held `clients` distinct chaddrs or more."""

    crossing: Seen  # the DISCOVER that filled the window
    oldest: Seen  # the oldest DISCOVER in the window at that moment
    last: float  # the latest DISCOVER of the burst
    clients: int  # distinct chaddrs so far, counted as the docstring says


class DiscoverFlood:
    """The last `clients` distinct DISCOVERing chaddrs, and the bursts found."""

    def __init__(self, settings: Settings) -> None:
        self.clients = settings.integer("clients")
        self.window = settings.number("window")
        if self.clients < 1:
            raise ValueError("rules.discover-flood.clients must be 1 or more")
        self._recent: OrderedDict[bytes, Seen] = OrderedDict()  # oldest first
        self._now = float("-inf")
        self._burst: Burst | None = None
        self._bursts: list[Burst] = []

    def add(self, txn: Transaction) -> None:
        """Account for the first DISCOVER of `txn`, if it has one."""
        discovers = txn.of_type(MessageType.DISCOVER)
        if not discovers:
            return
        first = discovers[0]
        self._now = max(self._now, first.time)
        if first.time < self._now - self.window:
            return
        new = txn.client not in self._recent
        self._recent[txn.client] = first
        self._recent.move_to_end(txn.client)
        while len(self._recent) > self.clients:
            self._recent.popitem(last=False)
        while self._oldest().time < self._now - self.window:
            self._recent.popitem(last=False)
        self._follow(first, new)

    def _oldest(self) -> Seen:
        """The oldest DISCOVER kept; there is one, the latest is never too old."""
        return next(iter(self._recent.values()))

    def _follow(self, discover: Seen, new: bool) -> None:
        """Start, grow or end the current burst."""
        if len(self._recent) < self.clients:
            if self._burst is not None:
                self._bursts.append(self._burst)
                self._burst = None
        elif self._burst is None:
            self._burst = Burst(discover, self._oldest(), discover.time, self.clients)
        else:
            self._burst.last = discover.time
            self._burst.clients += 1 if new else 0

    def finish(self, clients: Iterable[Client], end: float) -> Iterator[Hit]:
        """One hit per burst."""
        bursts = self._bursts + ([] if self._burst is None else [self._burst])
        for burst in bursts:
            yield Hit(
                f"burst of {burst.clients} new clients in "
                f"{span(burst.last - burst.oldest.time)} (threshold {self.clients} "
                f"within {span(self.window)})",
                frames=(burst.crossing.frame, burst.oldest.frame),
            )


RULE = CaptureRule(
    code="DHC405",
    name="discover-flood",
    severity=Severity.WARNING,
    summary="many new clients DISCOVERing within a short time (starvation)",
    doc=__doc__ or "",
    start=DiscoverFlood,
    settings={
        "clients": Setting(
            SettingKind.INTEGER, 200, "distinct chaddrs within the window"
        ),
        "window": Setting(SettingKind.NUMBER, 60.0, "seconds"),
    },
)
