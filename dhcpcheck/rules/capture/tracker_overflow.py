"""tracker-overflow: more exchanges were in flight than dhcpcheck holds at once.

dhcpcheck keeps each open transaction until its client has been idle for the
idle timeout (65 s by default, RFC 2131 section 4.1's longest retransmission
gap plus one), and at most `max-open` of them (configuration, default
20,000). When more arrive, the least recently active is closed early and
counted here. That keeps memory bounded under a starvation flood (RFC 2131
section 7, https://www.rfc-editor.org/rfc/rfc2131#section-7: "a malicious
client could claim all resources for itself"), but the evicted exchanges
may be reported as unanswered although their answer came later, so their
findings deserve less trust. This is operational: dhcpcheck says what it
could not follow rather than dropping it silently.

Failing capture, with `max-open = 2`:

    DISCOVER from three clients within a second
    -> 1 transaction closed early: too many in flight (raise max-open)

Settings: none; the limit is the top-level `max-open` key.
"""

from collections.abc import Iterable, Iterator

from dhcpcheck.rules.base import CaptureRule, Hit, Settings, Severity
from dhcpcheck.transactions.leases import Client
from dhcpcheck.transactions.model import Outcome, Transaction


class _Evictions:
    """Counts evicted transactions and keeps the first one's frame."""

    def __init__(self, settings: Settings) -> None:
        self.count = 0
        self.first: tuple[int, ...] = ()

    def add(self, txn: Transaction) -> None:
        if txn.outcome is Outcome.EVICTED:
            self.count += 1
            self.first = self.first or (txn.steps[0].seen.frame,)

    def finish(self, clients: Iterable[Client], end: float) -> Iterator[Hit]:
        if self.count:
            noun = "transaction" if self.count == 1 else "transactions"
            yield Hit(
                f"{self.count} {noun} closed early: too many in flight "
                "(raise max-open)",
                frames=self.first,
            )


RULE = CaptureRule(
    code="DHC407",
    name="tracker-overflow",
    severity=Severity.WARNING,
    summary="more transactions in flight than max-open; some were closed early",
    doc=__doc__ or "",
    start=_Evictions,
)
