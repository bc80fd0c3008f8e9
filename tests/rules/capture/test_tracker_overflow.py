"""tracker-overflow: evictions under a flood are counted, not silent."""

from collections.abc import Callable
from pathlib import Path

from dhcpcheck.config import Config, load_config
from dhcpcheck.rules.base import Finding
from dhcpcheck.rules.capture.tracker_overflow import RULE
from dhcpcheck.rules.engine import Engine
from dhcpcheck.transactions.leases import Clients
from dhcpcheck.transactions.model import Outcome, Seen, Transaction
from dhcpcheck.transactions.tracker import Tracker

MakeSeen = Callable[..., Seen]


def flood(seen: MakeSeen, clients: int) -> list[Seen]:
    return [
        seen(i * 0.01, 1, chaddr=f"02:00:00:00:{i // 256:02x}:{i % 256:02x}", xid=i)
        for i in range(clients)
    ]


def run(
    config: Config, messages: list[Seen]
) -> tuple[list[Transaction], list[Finding]]:
    tracker = Tracker(config.idle_timeout, config.max_open)
    engine = Engine(config)
    closed = [txn for seen in messages for txn in tracker.feed(seen)]
    closed += tracker.finish()
    found = [f for txn in closed for f in engine.transaction(txn)]
    return closed, found + engine.finish(Clients(), 1.0)


def test_past_max_open_the_oldest_are_evicted(seen: MakeSeen) -> None:
    tracker = Tracker(max_open=2)
    closed = [txn for s in flood(seen, 5) for txn in tracker.feed(s)]
    assert [t.outcome for t in closed] == [Outcome.EVICTED] * 3
    assert tracker.open_count == 2
    assert [t.xid for t in closed] == [0, 1, 2]  # least recently active first


def test_one_finding_counts_them(seen: MakeSeen, tmp_path: Path) -> None:
    path = tmp_path / "dhcpcheck.toml"
    path.write_text(f'select = ["{RULE.name}"]\nmax-open = 3\n')
    config = load_config(path)
    assert config.max_open == 3
    _, found = run(config, flood(seen, 10))
    (finding,) = found
    assert finding.message == (
        "7 transactions closed early: too many in flight (raise max-open)"
    )
    assert finding.frames == (1,)


def test_silent_without_evictions(seen: MakeSeen) -> None:
    _, found = run(load_config(None, select=[RULE.name]), flood(seen, 10))
    assert found == []


def test_evicted_transactions_are_not_judged(seen: MakeSeen, tmp_path: Path) -> None:
    path = tmp_path / "dhcpcheck.toml"
    path.write_text('select = ["no-offer", "tracker-overflow"]\nmax-open = 3\n')
    _, found = run(load_config(path), flood(seen, 10))
    assert [finding.name for finding in found].count("no-offer") == 0
    assert [finding.name for finding in found].count("tracker-overflow") == 1
