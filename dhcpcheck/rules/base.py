"""What a rule is, what it yields, and what the engine makes of that.

A rule declares its code, name, scope, default severity and settings; its
`check` yields `Hit`s and knows nothing of configuration or output. The engine
turns hits into `Finding`s stamped with code, name and configured severity.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from ipaddress import IPv4Address
from typing import Protocol

from dhcpcheck.transactions.leases import Client, Clients, Lease
from dhcpcheck.transactions.model import Seen, Transaction


class Severity(IntEnum):
    """How much a finding matters; ordered, so `--fail-on` can compare."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        """`error`, `warning` or `info`; ValueError otherwise."""
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"no severity {text!r} (error, warning or info)") from None


class Scope(StrEnum):
    """What a rule looks at, and so when the engine runs it."""

    MESSAGE = "message"  # each message, as it is read
    TRANSACTION = "transaction"  # each transaction, as it closes
    CLIENT = "client"  # each client's lease history, at the end
    CAPTURE = "capture"  # the whole capture, accumulated as it streams


class SettingKind(StrEnum):
    """The type of a rule setting, checked when configuration is read."""

    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    STRINGS = "strings"  # a list of strings (addresses, MACs, names)
    VALUES = "values"  # a table of option name or code to expected value


@dataclass(frozen=True, slots=True)
class Setting:
    """One option of a rule, with its default and what it means.

    `validate`, when given, is called with a configured value when the
    configuration is read and raises ValueError saying what is wrong with it.
    """

    kind: SettingKind
    default: object
    help: str
    validate: Callable[[object], object] | None = None


class Settings:
    """A rule's settings after configuration, read through typed getters."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self._values = dict(values)

    def number(self, name: str) -> float:
        """A number setting."""
        value = self._values[name]
        assert isinstance(value, int | float)
        return float(value)

    def integer(self, name: str) -> int:
        """An integer setting."""
        value = self._values[name]
        assert isinstance(value, int)
        return value

    def boolean(self, name: str) -> bool:
        """A boolean setting."""
        return bool(self._values[name])

    def strings(self, name: str) -> tuple[str, ...]:
        """A list-of-strings setting."""
        value = self._values[name]
        assert isinstance(value, list | tuple)
        return tuple(str(item) for item in value)

    def values(self, name: str) -> dict[str, object]:
        """A table setting."""
        value = self._values[name]
        assert isinstance(value, dict)
        return dict(value)


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule found: a short lowercase message and where it applies.

    `option` (a code) or `field` (a BOOTP header field name) points at the
    line of the packet the finding concerns, for annotated output.
    `severity` overrides the rule's default for variants of one rule.
    """

    message: str
    frames: tuple[int, ...] = ()
    xid: int | None = None
    client: str | None = None
    server: IPv4Address | None = None
    option: int | None = None
    field: str | None = None
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A hit stamped by the engine with its rule and configured severity."""

    code: str
    name: str
    severity: Severity
    message: str
    source: str  # the capture it came from
    frames: tuple[int, ...] = ()
    xid: int | None = None
    client: str | None = None
    server: IPv4Address | None = None
    option: int | None = None
    field: str | None = None
    time: float | None = None  # when it happened: the first frame's time


class CaptureCheck(Protocol):
    """The accumulator a capture-scope rule makes for one capture."""

    def add(self, txn: Transaction) -> None:
        """Account for one closed transaction."""

    def finish(self, clients: Iterable[Client], end: float) -> Iterable[Hit]:
        """Everything found once the capture has ended at time `end`."""


@dataclass(frozen=True, slots=True)
class _Declaration:
    """What every rule declares, whatever its scope."""

    code: str  # DHC1xx message, 2xx transaction, 3xx client, 4xx capture
    name: str  # kebab-case
    severity: Severity  # the default; configuration may change it
    summary: str  # one line, lowercase, no final period
    doc: str  # the manual: the rule module's docstring


@dataclass(frozen=True, slots=True)
class MessageRule(_Declaration):
    """A rule run on every message: `check(seen, settings)`."""

    check: Callable[[Seen, Settings], Iterable[Hit]]
    settings: Mapping[str, Setting] = field(default_factory=dict)
    scope: Scope = Scope.MESSAGE


@dataclass(frozen=True, slots=True)
class TransactionRule(_Declaration):
    """A rule run on each closed transaction: `check(txn, settings)`."""

    check: Callable[[Transaction, Settings], Iterable[Hit]]
    settings: Mapping[str, Setting] = field(default_factory=dict)
    scope: Scope = Scope.TRANSACTION


@dataclass(frozen=True, slots=True)
class ClientRule(_Declaration):
    """A rule run on each client at the end: `check(client, end, settings)`."""

    check: Callable[[Client, float, Settings], Iterable[Hit]]
    settings: Mapping[str, Setting] = field(default_factory=dict)
    scope: Scope = Scope.CLIENT
    # Whether `check` may still report on a lease that has ended, so that a
    # streaming analysis can drop the others (`Engine.forget`). None: the rule
    # reads no leases. A rule that reads them must say which it needs.
    keeps: Callable[[Client, Lease, Settings], bool] | None = None


@dataclass(frozen=True, slots=True)
class CaptureRule(_Declaration):
    """A rule over the whole capture: `start(settings)` makes its accumulator."""

    start: Callable[[Settings], CaptureCheck]
    settings: Mapping[str, Setting] = field(default_factory=dict)
    scope: Scope = Scope.CAPTURE
    # As `ClientRule.keeps`, for a rule whose `finish` reads the leases.
    keeps: Callable[[Clients, Client, Lease, Settings], bool] | None = None


Rule = MessageRule | TransactionRule | ClientRule | CaptureRule
