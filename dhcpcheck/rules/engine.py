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
from dhcpcheck.transactions.leases import Client
from dhcpcheck.transactions.model import Seen, Transaction


class Engine:
    """The rules of one configuration, applied to one capture."""

    def __init__(self, config: Config, source: str = "") -> None:
        self.config = config
        self.source = source
        rules = config.rules
        self._messages = [r for r in rules if isinstance(r, MessageRule)]
        self._transactions = [r for r in rules if isinstance(r, TransactionRule)]
        self._clients = [r for r in rules if isinstance(r, ClientRule)]
        self._captures: list[tuple[CaptureRule, CaptureCheck]] = [
            (rule, rule.start(self._settings(rule)))
            for rule in rules
            if isinstance(rule, CaptureRule)
        ]

    def message(self, seen: Seen) -> list[Finding]:
        """Findings of the message rules on one message."""
        return [
            finding
            for rule in self._messages
            for hit in rule.check(seen, self._settings(rule))
            if (finding := self._stamp(rule, hit, seen.time)) is not None
        ]

    def transaction(self, txn: Transaction) -> list[Finding]:
        """Findings of the transaction rules on one closed transaction."""
        for _, check in self._captures:
            check.add(txn)
        return [
            finding
            for rule in self._transactions
            for hit in rule.check(txn, self._settings(rule))
            if (finding := self._stamp(rule, hit, txn.start)) is not None
        ]

    def finish(self, clients: Iterable[Client], end: float) -> list[Finding]:
        """Findings of the client and capture rules once the capture has ended."""
        clients = list(clients)
        found = [
            finding
            for rule in self._clients
            for client in clients
            for hit in rule.check(client, end, self._settings(rule))
            if (finding := self._stamp(rule, hit, end)) is not None
        ]
        found += [
            finding
            for rule, check in self._captures
            for hit in check.finish(clients, end)
            if (finding := self._stamp(rule, hit, end)) is not None
        ]
        return found

    def _settings(self, rule: Rule) -> Settings:
        return self.config.settings[rule.code]

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
