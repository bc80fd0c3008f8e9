"""Configuration files: discovery, every key, and errors that name the culprit."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from dhcpcheck.config import ConfigError, find_config, load_config
from dhcpcheck.rules import registry
from dhcpcheck.rules.base import (
    Hit,
    MessageRule,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.transactions.model import Seen


def silent(seen: Seen, settings: Settings) -> Iterator[Hit]:
    return iter(())


SLOW = MessageRule(
    "DHC101",
    "slow-thing",
    Severity.WARNING,
    "s",
    "d",
    silent,
    {
        "threshold": Setting(SettingKind.NUMBER, 1.0, "seconds"),
        "trusted": Setting(SettingKind.STRINGS, [], "servers"),
    },
)
OTHER = MessageRule("DHC201", "other-thing", Severity.ERROR, "s", "d", silent)


@pytest.fixture(autouse=True)
def two_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "ALL", (SLOW, OTHER))
    monkeypatch.setattr(registry, "BY_CODE", {"DHC101": SLOW, "DHC201": OTHER})
    monkeypatch.setattr(registry, "BY_NAME", {"slow-thing": SLOW, "other-thing": OTHER})


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_defaults_select_every_rule() -> None:
    config = load_config(None)
    assert [rule.code for rule in config.rules] == ["DHC101", "DHC201"]
    assert config.settings["DHC101"].number("threshold") == 1.0
    assert config.idle_timeout == 65.0


def test_pyproject_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.dhcpcheck]\nignore = ['DHC2']\n")
    deeper = tmp_path / "a" / "b"
    deeper.mkdir(parents=True)
    found = find_config(deeper)
    assert found == tmp_path / "pyproject.toml"
    assert [rule.code for rule in load_config(found).rules] == ["DHC101"]


def test_pyproject_without_our_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.other]\nx = 1\n")
    assert find_config(tmp_path) is None


def test_own_file_with_every_key(tmp_path: Path) -> None:
    write(
        tmp_path,
        "dhcpcheck.toml",
        """
select = ["slow-thing", "DHC2"]
ignore = ["other-thing"]
idle-timeout = 30
ignore-clients = ["FA:16:3E:D6:62:84"]
ignore-servers = ["10.0.0.1"]
[severity]
slow-thing = "error"
[rules.slow-thing]
threshold = 2.5
trusted = ["1.1.1.2"]
""",
    )
    config = load_config(find_config(tmp_path))
    assert [rule.code for rule in config.rules] == ["DHC101"]
    assert config.severity == {"DHC101": Severity.ERROR}
    assert config.settings["DHC101"].number("threshold") == 2.5
    assert config.settings["DHC101"].strings("trusted") == ("1.1.1.2",)
    assert config.idle_timeout == 30.0
    assert config.ignore_clients == {"fa:16:3e:d6:62:84"}
    assert [str(ip) for ip in config.ignore_servers] == ["10.0.0.1"]


def test_cli_select_and_ignore_override_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "dhcpcheck.toml", 'select = ["DHC1"]\n')
    config = load_config(path, select=["DHC2"], ignore=[])
    assert [rule.code for rule in config.rules] == ["DHC201"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1", "unknown key 'colour'"),
        ("select = ['DHC999']", 'no such rule: "DHC999"'),
        ("select = 'DHC1'", "select must be a list of strings"),
        ("idle-timeout = -1", "idle-timeout must be a positive number"),
        ("[severity]\nslow-thing = 'fatal'", "no severity 'fatal'"),
        ("[rules.slow-thing]\nthreshhold = 1", "unknown setting 'threshhold'"),
        ("[rules.slow-thing]\nthreshold = 'x'", "threshold must be number"),
        ("[rules.slow-thing]\nthreshold = true", "threshold must be number"),
        ("[rules.slow-thing]\ntrusted = [1]", "must be a list of strings"),
        ("[rules.nope]\nx = 1", 'no such rule: "nope"'),
        ("ignore-servers = ['not-an-ip']", "not-an-ip"),
        ("select = [", "dhcpcheck.toml"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "dhcpcheck.toml", text)
    with pytest.raises(ConfigError, match=r"dhcpcheck\.toml") as error:
        load_config(path)
    assert message in str(error.value)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="No such file"):
        load_config(tmp_path / "absent.toml")


def test_capture_rule_settings_are_checked_at_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the real registry, with its capture rules
    path = write(
        tmp_path, "dhcpcheck.toml", '[rules.untrusted-server]\ntrusted = ["nope"]\n'
    )
    with pytest.raises(ConfigError, match=r"untrusted-server\.trusted: 'nope'"):
        load_config(path)
