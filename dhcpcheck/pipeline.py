"""One capture through the whole pipeline: frames in, transactions and findings
out, as they happen, with the clients, servers and counts kept on the side.

Sans-I/O: callers bring the frames (file, stdin or interface) and decide what
to do with each event; this module prints nothing.
"""

from collections import Counter
from collections.abc import Iterable, Iterator

from dhcpcheck.capture.frame import Frame
from dhcpcheck.config import Config
from dhcpcheck.rules.base import Finding
from dhcpcheck.rules.engine import Engine
from dhcpcheck.transactions.leases import Clients
from dhcpcheck.transactions.model import Transaction
from dhcpcheck.transactions.observe import observe
from dhcpcheck.transactions.servers import Servers
from dhcpcheck.transactions.tracker import Tracker

Event = Transaction | Finding


class Analysis:
    """The state of analysing one capture, filled as `run` is consumed."""

    def __init__(self, config: Config, source: str) -> None:
        self.source = source
        self.engine = Engine(config, source)
        self.tracker = Tracker(config.idle_timeout, config.max_open)
        self.clients = Clients()
        self.servers = Servers()
        self.frames = 0
        self.messages = 0
        self.first: float | None = None
        self.last: float | None = None
        self.kinds: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()

    def run(self, frames: Iterable[Frame]) -> Iterator[Event]:
        """Yield each closed transaction, then its findings, as they come."""
        for frame in frames:
            self.frames += 1
            seen = observe(frame, self.source)
            if seen is None:
                continue
            self._clock(seen.time)
            self.messages += 1
            yield from self.engine.message(seen)
            for txn in self.tracker.feed(seen):
                yield from self._closed(txn)
        for txn in self.tracker.finish():
            yield from self._closed(txn)
        end = self.last if self.last is not None else 0.0
        yield from self.engine.finish(self.clients, end)

    def _clock(self, time: float) -> None:
        self.first = time if self.first is None else min(self.first, time)
        self.last = time if self.last is None else max(self.last, time)

    def _closed(self, txn: Transaction) -> Iterator[Event]:
        self.kinds[txn.kind] += 1
        self.outcomes[txn.outcome] += 1
        self.clients.add(txn)
        self.servers.add(txn)
        yield txn
        yield from self.engine.transaction(txn)
