"""The engine: stamping, severities, ignores, and when each scope runs."""

from collections.abc import Callable, Iterable, Iterator
from ipaddress import IPv4Address

from dhcpcheck.config import Config
from dhcpcheck.rules.base import (
    CaptureRule,
    ClientRule,
    Hit,
    MessageRule,
    Settings,
    Severity,
    TransactionRule,
)
from dhcpcheck.rules.engine import Engine
from dhcpcheck.transactions.leases import Client, Clients
from dhcpcheck.transactions.model import Seen, Transaction
from dhcpcheck.transactions.tracker import Tracker

MakeSeen = Callable[..., Seen]
SERVER = IPv4Address("1.1.1.2")


def every_message(seen: Seen, settings: Settings) -> Iterator[Hit]:
    yield Hit(f"type {seen.type}", frames=(seen.frame,), client=seen.message.client_mac)


def every_transaction(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    yield Hit("closed", xid=txn.xid, server=SERVER, severity=Severity.INFO)


def every_client(client: Client, end: float, settings: Settings) -> Iterator[Hit]:
    yield Hit(f"client at {end}", client=client.mac)


class Counting:
    def __init__(self, settings: Settings) -> None:
        self.count = 0

    def add(self, txn: Transaction) -> None:
        self.count += 1

    def finish(self, clients: Iterable[Client], end: float) -> Iterable[Hit]:
        return [Hit(f"{self.count} transactions")]


RULES = (
    MessageRule("DHC901", "per-message", Severity.ERROR, "s", "d", every_message),
    TransactionRule(
        "DHC902", "per-transaction", Severity.WARNING, "s", "d", every_transaction
    ),
    ClientRule("DHC903", "per-client", Severity.WARNING, "s", "d", every_client),
    CaptureRule("DHC904", "per-capture", Severity.INFO, "s", "d", Counting),
)


def config(**changes: object) -> Config:
    base: dict[str, object] = {
        "rules": RULES,
        "severity": {},
        "settings": {rule.code: Settings({}) for rule in RULES},
    }
    base.update(changes)
    return Config(**base)  # type: ignore[arg-type]


def run(engine: Engine, messages: list[Seen]) -> list[tuple[str, str, str]]:
    tracker = Tracker()
    clients = Clients()
    found = []
    for seen in messages:
        found += engine.message(seen)
        for txn in tracker.feed(seen):
            clients.add(txn)
            found += engine.transaction(txn)
    for txn in tracker.finish():
        clients.add(txn)
        found += engine.transaction(txn)
    found += engine.finish(clients, end=9.0)
    return [(f.code, str(f.severity), f.message) for f in found]


def test_each_scope_runs_and_is_stamped(seen: MakeSeen) -> None:
    found = run(Engine(config(), "a.pcap"), [seen(0.0, 1), seen(0.1, 2)])
    assert found == [
        ("DHC901", "error", "type 1"),
        ("DHC901", "error", "type 2"),
        ("DHC902", "info", "closed"),  # the hit's own severity
        ("DHC903", "warning", "client at 9.0"),
        ("DHC904", "info", "1 transactions"),
    ]


def test_configured_severity_wins(seen: MakeSeen) -> None:
    engine = Engine(config(severity={"DHC902": Severity.ERROR}))
    assert ("DHC902", "error", "closed") in run(engine, [seen(0.0, 1)])


def test_ignored_clients_and_servers_are_dropped(seen: MakeSeen) -> None:
    engine = Engine(
        config(
            ignore_clients=frozenset({"fa:16:3e:d6:62:84"}),
            ignore_servers=frozenset({SERVER}),
        )
    )
    codes = [code for code, _, _ in run(engine, [seen(0.0, 1)])]
    assert codes == ["DHC904"]


def test_findings_carry_source_frames_and_time(seen: MakeSeen) -> None:
    engine = Engine(config(rules=RULES[:1]), "boot.pcap")
    (finding,) = engine.message(seen(5.5, 1))
    assert (finding.source, finding.frames, finding.time) == ("boot.pcap", (1,), 5.5)
    assert finding.name == "per-message"
