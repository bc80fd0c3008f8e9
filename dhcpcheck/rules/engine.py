"""Run the configured rules over one capture as it streams.

Sans-I/O: the pipeline hands over messages as they are read and transactions
as they close; findings come back at once, so live capture streams them too.
Client and capture rules answer at `finish`, when the capture has ended.
"""

from collections.abc import Iterable

from dhcpcheck.config import Config
from dhcpcheck.rules.base import (
    CaptureCheck,
    CaptureRule,
    ClientRule,
    Finding,
    Hit,
    MessageRule,
    Rule,
    Settings,
    TransactionRule,
)
from dhcpcheck.transactions.leases import Client, Clients, Lease
from dhcpcheck.transactions.model import Outcome, Seen, Transaction


class Engine:
    """The rules of one configuration, applied to one capture."""

    def __init__(self, config: Config, source: str = "") -> None:
        self.config = config
        self.source = source
        # Each rule with its settings, looked up once: messages are many.
        rules = [(rule, config.settings[rule.code]) for rule in config.rules]
        self._messages = [(r, s) for r, s in rules if isinstance(r, MessageRule)]
        self._transactions = [
            (r, s) for r, s in rules if isinstance(r, TransactionRule)
        ]
        self._clients = [(r, s) for r, s in rules if isinstance(r, ClientRule)]
        self._captures: list[tuple[CaptureRule, Settings, CaptureCheck]] = [
            (r, s, r.start(s)) for r, s in rules if isinstance(r, CaptureRule)
        ]

    def message(self, seen: Seen) -> list[Finding]:
        """Findings of the message rules on one message."""
        return [
            finding
            for rule, settings in self._messages
            for hit in rule.check(seen, settings)
            if (finding := self._stamp(rule, hit, seen.time)) is not None
        ]

    def transaction(self, txn: Transaction) -> list[Finding]:
        """Findings of the transaction rules on one closed transaction.

        An evicted transaction (closed early by the tracker's limit) is not
        judged: its answer may have come after it was closed. Capture rules
        still count it; tracker-overflow reports how many there were.
        """
        for _, _, check in self._captures:
            check.add(txn)
        if txn.outcome is Outcome.EVICTED:
            return []
        return [
            finding
            for rule, settings in self._transactions
            for hit in rule.check(txn, settings)
            if (finding := self._stamp(rule, hit, txn.start)) is not None
        ]

    def finish(self, clients: Iterable[Client], end: float) -> list[Finding]:
        """Findings of the client and capture rules once the capture has ended."""
        clients = list(clients)
        found = [
            finding
            for rule, settings in self._clients
            for client in clients
            for hit in rule.check(client, end, settings)
            if (finding := self._stamp(rule, hit, end)) is not None
        ]
        found += [
            finding
            for rule, _, check in self._captures
            for hit in check.finish(clients, end)
            if (finding := self._stamp(rule, hit, end)) is not None
        ]
        return found

    def forget(self, clients: Clients, client: Client, before: float) -> None:
        """Let `clients` drop the leases of `client` that ended before
        `before` and that no rule will report on (see `ClientRule.keeps`)."""

        def needed(lease: Lease) -> bool:
            return any(
                rule.keeps(client, lease, settings)
                for rule, settings in self._clients
                if rule.keeps is not None
            ) or any(
                rule.keeps(clients, client, lease, settings)
                for rule, settings, _ in self._captures
                if rule.keeps is not None
            )

        clients.forget(client, before, needed)

    def _stamp(self, rule: Rule, hit: Hit, time: float) -> Finding | None:
        """The finding for `hit`, or None when configuration ignores it."""
        if hit.client is not None and hit.client in self.config.ignore_clients:
            return None
        if hit.server is not None and hit.server in self.config.ignore_servers:
            return None
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=self.config.severity.get(rule.code)
            or hit.severity
            or rule.severity,
            message=hit.message,
            source=self.source,
            frames=hit.frames,
            xid=hit.xid,
            client=hit.client,
            server=hit.server,
            option=hit.option,
            field=hit.field,
            time=time,
        )
