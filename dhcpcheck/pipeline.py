"""One capture through the whole pipeline: frames in, transactions and findings
out, as they happen, with the clients, servers and counts kept on the side.

Sans-I/O: callers bring the frames (file, stdin or interface) and decide what
to do with each event; this module prints nothing.
"""

import gc
from collections import Counter
from collections.abc import Iterable, Iterator

from dhcpcheck.capture.frame import Frame
from dhcpcheck.config import Config
from dhcpcheck.decode.link import selects
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.rules.engine import Engine
from dhcpcheck.transactions.leases import Clients
from dhcpcheck.transactions.model import Transaction
from dhcpcheck.transactions.observe import observe
from dhcpcheck.transactions.servers import Servers
from dhcpcheck.transactions.tracker import Tracker

Event = Transaction | Finding

# CPython collects its youngest objects every 700 allocations. The pipeline
# makes a few hundred short-lived objects a message, nearly all freed by
# reference counting, so the collector ran every few messages for nothing:
# 11 % of `analyze`'s time (125,000 frames: 22.8 s, then 20.3 s), with the
# same peak memory. Objects that live on are still collected.
YOUNG_OBJECTS_PER_COLLECTION = 50_000


def collect_less() -> None:
    """Set this process's garbage collector for the pipeline's allocations."""
    gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION, 20, 10)


class Analysis:
    """The state of analysing one capture, filled as `run` is consumed."""

    def __init__(self, config: Config, source: str, streaming: bool = False) -> None:
        self.source = source
        self.engine = Engine(config, source)
        self.tracker = Tracker(config.idle_timeout, config.max_open)
        # Streaming: findings only, in memory that does not grow with the
        # capture; the clients' histories are then incomplete (see Clients).
        self.streaming = streaming
        self.clients = Clients(streaming)
        self.servers = Servers()
        self.messages = 0
        self._shown = 0  # frames `select` was asked about
        self._given = 0  # frames `run` was given
        self.first: float | None = None
        self.last: float | None = None
        self.kinds: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        # Findings by severity, for a caller that streams them away.
        self.severities: Counter[Severity] = Counter()

    @property
    def frames(self) -> int:
        """Frames read from the capture, DHCP or not."""
        return max(self._shown, self._given)

    def select(self, buffer: bytes, start: int, stop: int, linktype: int) -> bool:
        """A `capture.frame.Select` for the reader, `read_frames(path,
        analysis.select)`: only DHCP frames are built, all are counted."""
        self._shown += 1
        return selects(buffer, start, stop, linktype)

    def read_elsewhere(self, records: int) -> None:
        """Count the records that a reader in another process read, kept or
        skipped (`capture.ahead`): `select` was not asked about them here."""
        self._shown = records

    def run(
        self,
        frames: Iterable[Frame],
        checked: dict[int, list[Finding]] | None = None,
    ) -> Iterator[Event]:
        """Yield each closed transaction, then its findings, as they come.

        `checked`, if given, holds what `MessageCheck` found elsewhere for
        each frame, under its number, by the time the frame comes: those
        findings are taken from it instead of running the message rules.
        """
        for frame in frames:
            self._given += 1
            seen = observe(frame, self.source)
            if seen is None:
                continue
            self._clock(seen.time)
            self.messages += 1
            if checked is None:
                found = self.engine.message(seen)
            else:
                found = checked.pop(frame.number)
            yield from self._counted(found)
            for txn in self.tracker.feed(seen):
                yield from self._closed(txn)
        for txn in self.tracker.finish():
            yield from self._closed(txn)
        end = self.last if self.last is not None else 0.0
        yield from self._counted(self.engine.finish(self.clients, end))

    def tick(self, now: float) -> Iterator[Event]:
        """Yield each transaction idle at `now`, then its findings, as `run`
        does: a live capture may go quiet for good, so its clock closes them.
        Call it between the frames `run` takes; `now` is capture time."""
        for txn in self.tracker.expire(now):
            yield from self._closed(txn)

    def _clock(self, time: float) -> None:
        self.first = time if self.first is None else min(self.first, time)
        self.last = time if self.last is None else max(self.last, time)

    def _closed(self, txn: Transaction) -> Iterator[Event]:
        self.kinds[txn.kind] += 1
        self.outcomes[txn.outcome] += 1
        client = self.clients.add(txn)
        self.servers.add(txn)
        yield txn
        yield from self._counted(self.engine.transaction(txn))
        if self.streaming and self.last is not None:
            # Transactions still open were all active after this; one that
            # changes a lease that ended before would span the idle timeout.
            before = self.last - self.tracker.idle_timeout
            self.engine.forget(self.clients, client, before)

    def _counted(self, findings: list[Finding]) -> list[Finding]:
        self.severities.update(finding.severity for finding in findings)
        return findings


class MessageCheck:
    """The message rules on one frame, for a reader in another process
    (`capture.ahead`): they need nothing from the frames before it.

    None for a frame that is not a DHCP message, as `observe` says.
    """

    def __init__(self, config: Config, source: str) -> None:
        self.source = source
        self.engine = Engine(config, source)

    def __call__(self, frame: Frame) -> list[Finding] | None:
        seen = observe(frame, self.source)
        return None if seen is None else self.engine.message(seen)
