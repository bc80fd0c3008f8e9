"""Text off the wire, and file names, never act on a terminal or a parser.

A capture whose host names, domain names, vendor classes, client ids, sname,
file and option 56 messages hold CSI and OSC 52 escapes, bells, rich markup
and invalid UTF-8 goes through every output. Plain outputs hold no ESC at
all; coloured ones only the colour codes dhcpcheck writes itself; JSON and
XML parse, and give the wire's text back.
"""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fuzz.hostile import FORBIDDEN, PAYLOAD, hostile_pcap
from fuzz.targets import assert_terminal_safe
from typer.testing import CliRunner

from dhcpcheck.cli import app
from dhcpcheck.report.records import wire_text
from dhcpcheck.rules.registry import ALL

pytestmark = pytest.mark.usefixtures("utc")
runner = CliRunner()
MARKUP = "[bold red]x[/]"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # select graphic rendition: colour only
# Names a file may have on Linux: escapes, markup, a byte that is not UTF-8.
EVIL_NAME = "evil\x1b[2J\x07[bold red]x\x1b]52;c;eA==\x07\udcff.pcap"
PLAIN = {
    "show": ["show", "-vvv", "-e"],
    "show-4.9": ["show", "-vvv", "--dialect", "4.9"],
    "analyze": ["analyze"],
    "lint-text": ["lint", "--format", "text"],
    "lint-github": ["lint", "--format", "github"],
}
MACHINE = {
    "analyze-json": ["analyze", "--format", "json"],
    "analyze-jsonl": ["analyze", "--format", "jsonl"],
    "lint-json": ["lint", "--format", "json"],
    "lint-jsonl": ["lint", "--format", "jsonl"],
    "lint-sarif": ["lint", "--format", "sarif"],
    "lint-junit": ["lint", "--format", "junit"],
}


@pytest.fixture(autouse=True)
def wide_plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour unless asked, and lines wide enough not to wrap the payload."""
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.pcap"
    path.write_bytes(hostile_pcap())
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if not isinstance(result.exception, SystemExit | None):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def assert_no_wire_escape(text: str) -> None:
    for sequence in FORBIDDEN:
        assert sequence not in text, f"{sequence!r} reached the output"


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_plain_output_escapes_the_wire(hostile: Path, name: str) -> None:
    status, out, err = invoke(*PLAIN[name], str(hostile))
    assert status in (0, 1)
    for text in (out, err):
        assert "\x1b" not in text
        assert_terminal_safe(text)
    assert MARKUP in out  # shown as the characters it is, never as style


def test_show_escapes_as_tcpdump_does(hostile: Path) -> None:
    _, out, _ = invoke("show", "-v", str(hostile))
    shown = '"^[[2J^[]52;c;cm0gLXJmIH4=^G^G[bold red]x[/]M-^?M-~M-C(M-^[31m^M^H"'
    for label in ("Hostname (12), length 49", "Domain-Name (15), length 49"):
        assert f"{label}: {shown}" in out
    assert f"sname {shown}" in out
    assert f"file {shown}" in out


@pytest.mark.parametrize("command", [["show", "-vvv", "-e"], ["analyze"], ["lint"]])
def test_colour_is_only_dhcpcheck_s_own(hostile: Path, command: list[str]) -> None:
    _, plain, _ = invoke(*command, str(hostile))
    _, coloured, _ = invoke(*command, "--color", "always", str(hostile))
    assert SGR.search(coloured)
    assert_no_wire_escape(coloured)
    assert SGR.sub("", coloured) == plain


@pytest.mark.parametrize("name", sorted(MACHINE))
def test_machine_output_parses_and_holds_no_raw_escape(
    hostile: Path, name: str
) -> None:
    status, out, _ = invoke(*MACHINE[name], str(hostile))
    assert status == 1
    assert "\x1b" not in out
    assert_no_wire_escape(out)
    if name.endswith("junit"):
        assert MARKUP in "".join(ET.fromstring(out).itertext())
    elif name.endswith("jsonl"):
        assert all(json.loads(line) for line in out.splitlines())
    else:
        assert MARKUP in json.dumps(json.loads(out), ensure_ascii=False)


def test_json_gives_the_wire_text_back(hostile: Path) -> None:
    _, out, _ = invoke("analyze", "--format", "json", str(hostile))
    document = json.loads(out)
    expected = wire_text(PAYLOAD)
    assert expected.startswith("\x1b[2J\x1b]52;c;")
    assert "\\xff\\xfe" in expected  # invalid UTF-8 kept as visible escapes
    assert document["clients"][0]["hostname"] == expected
    assert {txn["hostname"] for txn in document["transactions"]} == {expected}
    assert "\\u001b[2J" in out


def test_github_annotations_stay_one_per_finding(hostile: Path) -> None:
    _, out, _ = invoke("lint", "--format", "github", str(hostile))
    _, jsonl, _ = invoke("lint", "--format", "jsonl", str(hostile))
    lines = out.splitlines()
    assert len(lines) == len(jsonl.splitlines())
    assert all(re.match(r"::(error|warning|notice) file=", line) for line in lines)


@pytest.mark.parametrize("code", [rule.code for rule in ALL])
def test_rule_manuals_hold_no_escape(code: str) -> None:
    status, out, err = invoke("explain", code, "--color", "never")
    assert (status, err) == (0, "")
    assert "\x1b" not in out
    _, coloured, _ = invoke("explain", code, "--color", "always")
    assert SGR.sub("", coloured) == out


def test_rule_list_holds_no_escape() -> None:
    _, out, _ = invoke("rules", "--color", "never")
    assert "\x1b" not in out
    _, coloured, _ = invoke("rules", "--color", "always")
    assert SGR.sub("", coloured) == out
    _, listed, _ = invoke("rules", "--format", "json")
    assert len(json.loads(listed)) == len(ALL)


def test_a_hostile_file_name_is_escaped_in_diagnostics(tmp_path: Path) -> None:
    path = tmp_path / EVIL_NAME
    path.write_bytes(b"garbage!")
    for command in (["show"], ["analyze"], ["lint"]):
        status, _, err = invoke(*command, str(path))
        assert status == 2
        assert "\x1b" not in err
        assert_terminal_safe(err)
        assert "evil\\x1b[2J\\x07[bold red]x\\x1b]52;c;eA==\\x07\\udcff.pcap" in err


def test_a_hostile_rule_name_and_config_are_escaped(tmp_path: Path) -> None:
    status, _, err = invoke("explain", "x\x1b[2J[bold]")
    assert (status, err) == (2, 'dhcpcheck: error: no such rule: "x\\x1b[2J[bold]"\n')
    config = tmp_path / "dhcpcheck.toml"
    config.write_text('select = ["\x07[bold]DHC1"]\n')
    status, _, err = invoke("lint", "--config", str(config), str(tmp_path))
    assert status == 2
    assert_terminal_safe(err)


@pytest.mark.parametrize(
    "command",
    [
        ["analyze"],
        ["analyze", "--format", "json"],
        ["lint", "--format", "text"],
        ["lint", "--format", "sarif"],
        ["lint", "--format", "junit"],
        ["lint", "--format", "github"],
    ],
)
def test_a_hostile_capture_name_is_escaped_in_reports(
    tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / EVIL_NAME
    path.write_bytes(hostile_pcap())
    status, out, err = invoke(*command, str(path))
    assert status == 1
    assert "\x1b" not in out + err
    assert_terminal_safe(out + err)
    if command[-1] == "junit":
        ET.fromstring(out)
    elif command[-1] in ("json", "sarif"):
        json.loads(out)
