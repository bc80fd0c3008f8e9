"""Configuration: `[tool.dhcpcheck]` in pyproject.toml, or dhcpcheck.toml.

Found from the working directory upwards unless a file is named; every key
and value is checked, and a mistake is a `ConfigError` that names it.
"""

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from pathlib import Path

from dhcpcheck.rules import registry
from dhcpcheck.rules.base import (
    CaptureRule,
    Rule,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.transactions.tracker import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_OPEN

OWN_FILE = "dhcpcheck.toml"
PYPROJECT = "pyproject.toml"
_TOP_KEYS = frozenset(
    {"select", "ignore", "severity", "rules", "idle-timeout", "max-open",
     "ignore-clients", "ignore-servers"}
)  # fmt: skip


class ConfigError(ValueError):
    """Configuration that cannot be used; str() names the key or value."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything configuration decides for the tracker and the engine."""

    rules: tuple[Rule, ...]
    severity: Mapping[str, Severity]  # by rule code
    settings: Mapping[str, Settings]  # by rule code
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT
    max_open: int = DEFAULT_MAX_OPEN
    ignore_clients: frozenset[str] = frozenset()
    ignore_servers: frozenset[IPv4Address] = frozenset()
    origin: str = field(default="defaults")  # the file it came from


def find_config(start: Path) -> Path | None:
    """The nearest dhcpcheck.toml, or pyproject.toml with [tool.dhcpcheck]."""
    for folder in (start, *start.parents):
        own = folder / OWN_FILE
        if own.is_file():
            return own
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _tool_table(_read(pyproject)) is not None:
            return pyproject
    return None


def load_config(
    path: Path | None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
) -> Config:
    """Read `path` (None: defaults) and apply the CLI's --select/--ignore."""
    table: dict[str, object] = {}
    if path is not None:
        data = _read(path)
        raw = _tool_table(data) if path.name == PYPROJECT else data
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: no [tool.dhcpcheck] table")
        table = raw
    try:
        return _build(table, select, ignore, str(path or "defaults"))
    except (registry.UnknownRule, ValueError) as error:
        where = f"{path}: " if path else ""
        raise ConfigError(f"{where}{error.args[0]}") from None


def _tool_table(pyproject: dict[str, object]) -> object:
    """pyproject.toml's [tool.dhcpcheck], or None."""
    tool = pyproject.get("tool")
    return tool.get("dhcpcheck") if isinstance(tool, dict) else None


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None


def _build(
    table: Mapping[str, object],
    select: list[str] | None,
    ignore: list[str] | None,
    origin: str,
) -> Config:
    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}")
    chosen = _chosen(
        select if select is not None else _strings(table, "select", None),
        ignore if ignore is not None else _strings(table, "ignore", []) or [],
    )
    settings = _settings(table.get("rules", {}))
    _start_capture_rules(chosen, settings)
    return Config(
        rules=chosen,
        severity=_severities(table.get("severity", {})),
        settings=settings,
        idle_timeout=_positive(table.get("idle-timeout", DEFAULT_IDLE_TIMEOUT)),
        max_open=_count(table.get("max-open", DEFAULT_MAX_OPEN)),
        ignore_clients=frozenset(
            mac.lower() for mac in _strings(table, "ignore-clients", []) or []
        ),
        ignore_servers=frozenset(
            IPv4Address(ip) for ip in _strings(table, "ignore-servers", []) or []
        ),
        origin=origin,
    )


def _start_capture_rules(
    rules: tuple[Rule, ...], settings: dict[str, Settings]
) -> None:
    """Start each capture rule once, so a setting it rejects is a ConfigError
    now rather than a failure in the middle of a capture."""
    for rule in rules:
        if isinstance(rule, CaptureRule):
            rule.start(settings[rule.code])  # its ValueError names the setting


def _chosen(select: list[str] | None, ignore: list[str]) -> tuple[Rule, ...]:
    """The rules `select` names (all when None) less those `ignore` names."""
    if select is None:
        picked = {rule.code for rule in registry.ALL}
    else:
        picked = {rule.code for word in select for rule in registry.matching(word)}
    dropped = {rule.code for word in ignore for rule in registry.matching(word)}
    return tuple(rule for rule in registry.ALL if rule.code in picked - dropped)


def _strings(
    table: Mapping[str, object], key: str, default: list[str] | None
) -> list[str] | None:
    value = table.get(key, default)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of strings")
    return value


def _positive(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"idle-timeout must be a positive number, not {value!r}")
    return float(value)


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"max-open must be a whole number above 0, not {value!r}")
    return value


def _severities(table: object) -> dict[str, Severity]:
    if not isinstance(table, dict):
        raise ValueError("severity must be a table of rule = level")
    return {
        registry.lookup(key).code: Severity.parse(str(level))
        for key, level in table.items()
    }


def _settings(table: object) -> dict[str, Settings]:
    """Every rule's settings: its defaults, overridden by [rules.NAME]."""
    if not isinstance(table, dict):
        raise ValueError("rules must be a table of rule tables")
    given = {registry.lookup(key).code: value for key, value in table.items()}
    return {
        rule.code: Settings(_rule_settings(rule, given.get(rule.code, {})))
        for rule in registry.ALL
    }


def _rule_settings(rule: Rule, given: object) -> dict[str, object]:
    if not isinstance(given, dict):
        raise ValueError(f"rules.{rule.name} must be a table")
    unknown = sorted(set(given) - set(rule.settings))
    if unknown:
        raise ValueError(f"rules.{rule.name}: unknown setting {unknown[0]!r}")
    values = {name: setting.default for name, setting in rule.settings.items()}
    for name, value in given.items():
        setting = rule.settings[name]
        _check_kind(rule, name, setting, value)
        if setting.validate is not None:
            try:
                setting.validate(value)
            except ValueError as error:
                raise ValueError(f"rules.{rule.name}.{name}: {error}") from None
        values[name] = value
    return values


_KIND_TYPES: dict[SettingKind, tuple[type, ...]] = {
    SettingKind.NUMBER: (int, float),
    SettingKind.INTEGER: (int,),
    SettingKind.BOOLEAN: (bool,),
    SettingKind.STRINGS: (list,),
    SettingKind.VALUES: (dict,),
}


def _check_kind(rule: Rule, name: str, setting: Setting, value: object) -> None:
    wrong_bool = isinstance(value, bool) and setting.kind is not SettingKind.BOOLEAN
    if wrong_bool or not isinstance(value, _KIND_TYPES[setting.kind]):
        raise ValueError(
            f"rules.{rule.name}.{name} must be {setting.kind}, not {value!r}"
        )
    if setting.kind is SettingKind.STRINGS and not all(
        isinstance(item, str)
        for item in value  # type: ignore[attr-defined]
    ):
        raise ValueError(f"rules.{rule.name}.{name} must be a list of strings")
