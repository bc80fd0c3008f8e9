"""The command line, in process: output, filters, colour and every exit status."""

import io
import json
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from dhcpcheck.capture import read_frames
from dhcpcheck.capture.writer import write_pcap
from dhcpcheck.cli import app, main
from dhcpcheck.report import progress
from dhcpcheck.report.diagnostics import Level, diagnose
from dhcpcheck.status import ExitStatus

pytestmark = pytest.mark.usefixtures("utc")

SAMPLE = "samples/openstack-dora.pcap"
SEED = Path("tests/data/corpus/seed")
runner = CliRunner()


@pytest.fixture(autouse=True)
def no_colour_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Colour as the options ask, whatever the environment running the tests."""
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("dialect", "version"), [("4.9", "4.9.3"), ("4.99", "4.99.3")])
def test_show_reproduces_the_seed_text(dialect: str, version: str) -> None:
    status, out, err = invoke("show", "-e", "-vv", "--dialect", dialect, SAMPLE)
    assert (status, err) == (ExitStatus.OK, "")
    assert out == (SEED / f"openstack-dora.{version}.n-e-vv.txt").read_text()


def test_filters_select_messages() -> None:
    _, offers, _ = invoke("show", "--type", "offer,ack", SAMPLE)
    assert [line.split()[-1] for line in offers.splitlines()] == ["343", "343"]
    _, none, _ = invoke("show", "--xid", "0x1", SAMPLE)
    assert none == ""
    _, mine, _ = invoke(
        "show", "--client", "FA:16:3E:D6:62:84", "--xid", "6265ab6d", SAMPLE
    )
    assert len(mine.splitlines()) == 4


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--type", "offerr", "--type: no message type 'offerr'"),
        ("--xid", "zz", "--xid: not a hexadecimal xid: 'zz'"),
        ("--client", "not-a-mac", "--client: not a MAC address"),
    ],
)
def test_bad_filters_are_usage_errors(option: str, value: str, message: str) -> None:
    status, out, err = invoke("show", option, value, SAMPLE)
    assert status == ExitStatus.ERROR
    assert out == ""
    assert err.startswith(f"dhcpcheck: error: {message}")


def test_unreadable_file_is_one_line_and_the_others_still_print(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pcap"
    junk.write_bytes(b"this is not a capture")
    status, out, err = invoke("show", str(junk), "missing.pcap", SAMPLE)
    assert status == ExitStatus.ERROR
    assert len(out.splitlines()) == 4
    assert err.splitlines() == [
        f"dhcpcheck: error: {junk}: not a pcap or pcapng file (starts with 0x74686973)",
        "dhcpcheck: error: missing.pcap: No such file or directory",
    ]


def test_a_damaged_tail_prints_what_came_before(tmp_path: Path) -> None:
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(Path(SAMPLE).read_bytes()[:-100])
    status, out, err = invoke("show", str(cut))
    assert status == ExitStatus.OK
    assert len(out.splitlines()) == 3
    assert err.startswith(f"dhcpcheck: error: {cut}: truncated record 4")


def test_color_is_only_added_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    _, plain, _ = invoke("show", "-vvv", SAMPLE)
    assert "\x1b[" not in plain
    _, colored, _ = invoke("show", "-vvv", "--color", "always", SAMPLE)
    assert "\x1b[36mServer-ID\x1b[0m (54)" in colored
    assert re.sub(r"\x1b\[[0-9;]*m", "", colored) == plain  # tabs and all
    monkeypatch.setenv("NO_COLOR", "1")
    _, forced_off, _ = invoke("show", SAMPLE)
    assert "\x1b[" not in forced_off


def test_analyze_exit_status_follows_fail_on() -> None:
    assert invoke("analyze", SAMPLE)[0] == ExitStatus.OK
    status, _, _ = invoke("analyze", "--fail-on", "info", SAMPLE)
    assert status == ExitStatus.FINDINGS
    status, _, err = invoke("analyze", "--fail-on", "fatal", SAMPLE)
    assert status == ExitStatus.ERROR
    assert "--fail-on: no severity 'fatal'" in err


def test_analyze_json_and_jsonl() -> None:
    status, out, _ = invoke("analyze", "--format", "json", SAMPLE)
    document = json.loads(out)
    assert status == ExitStatus.OK
    (txn,) = document["transactions"]
    assert (txn["xid"], txn["kind"], txn["outcome"]) == ("0x6265ab6d", "dora", "bound")
    _, lines, _ = invoke("analyze", "--format", "jsonl", SAMPLE)
    types = [json.loads(line)["type"] for line in lines.splitlines()]
    assert types[0] == "transaction"
    assert types[-1] == "summary"


def test_analyze_bad_configuration_is_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "dhcpcheck.toml"
    config.write_text("colour = 1\n")
    status, out, err = invoke("analyze", "--config", str(config), SAMPLE)
    assert (status, out) == (ExitStatus.ERROR, "")
    assert err == f"dhcpcheck: error: {config}: unknown key 'colour'\n"


def test_analyze_unknown_rule_in_select() -> None:
    status, _, err = invoke("analyze", "--select", "DHC999", SAMPLE)
    assert status == ExitStatus.ERROR
    assert err == 'dhcpcheck: error: no such rule: "DHC999"\n'


def test_rules_and_explain() -> None:
    status, out, _ = invoke("rules", "--format", "json")
    rules = json.loads(out)
    assert status == ExitStatus.OK
    assert {"code", "name", "scope", "severity", "summary", "settings"} <= set(rules[0])
    status, out, _ = invoke("explain", rules[0]["name"])
    assert status == ExitStatus.OK
    assert out.startswith(f"{rules[0]['code']} {rules[0]['name']}")
    status, _, err = invoke("explain", "DHC999")
    assert (status, err) == (
        ExitStatus.ERROR,
        'dhcpcheck: error: no such rule: "DHC999"\n',
    )


LAB = "samples/lab"


def test_lint_a_folder_reports_per_finding_and_a_summary() -> None:
    status, out, err = invoke("lint", LAB)
    assert status == ExitStatus.FINDINGS  # dnsmasq's NAK to the unselected server
    assert (
        "samples/lab/two-servers-nak.pcap:6: DHC205 [error] "
        "reply-from-unselected-server: nak from 192.0.2.1 "
        "(request selected 192.0.2.2)"
    ) in out
    assert err.splitlines()[-1].endswith("in 16 captures")


def test_lint_exit_zero_and_fail_on() -> None:
    assert invoke("lint", "--exit-zero", LAB)[0] == ExitStatus.OK
    assert invoke("lint", SAMPLE)[0] == ExitStatus.OK
    assert invoke("lint", "--fail-on", "info", SAMPLE)[0] == ExitStatus.FINDINGS


def test_lint_statistics_go_to_stderr() -> None:
    _, out, err = invoke("lint", "--statistics", "--format", "sarif", LAB)
    json.loads(out)  # stdout holds the format only
    assert "DHC205  reply-from-unselected-server" in err


@pytest.mark.parametrize("output_format", ["sarif", "junit", "text"])
def test_lint_jobs_write_one_report_as_one_process_would(output_format: str) -> None:
    alone = invoke("lint", "--jobs", "1", "--format", output_format, LAB)
    assert invoke("lint", "-j", "3", "--format", output_format, LAB) == alone
    assert invoke("lint", "--format", output_format, LAB) == alone


def test_lint_missing_path_is_exit_2() -> None:
    status, _, err = invoke("lint", "no/such/dir")
    assert status == ExitStatus.ERROR
    assert "no/such/dir: no such file, folder or matching capture" in err


def test_lint_writes_output_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.xml"
    status, out, _ = invoke("lint", "--format", "junit", "--output", str(target), LAB)
    assert (status, out) == (ExitStatus.FINDINGS, "")
    assert target.read_text().startswith("<?xml")
    assert list(tmp_path.iterdir()) == [target]


def test_lint_auto_format_under_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = invoke("lint", "samples/lab/two-servers-nak.pcap")
    assert out.startswith("::")
    monkeypatch.delenv("GITHUB_ACTIONS")
    _, out, _ = invoke("lint", "samples/lab/two-servers-nak.pcap")
    assert out.startswith("samples/lab/two-servers-nak.pcap:")


def test_lint_glob_quoted_for_the_shell() -> None:
    _, _, err = invoke("lint", "samples/lab/dora-*.pcap")
    assert err.splitlines()[-1].endswith("in 4 captures")


def test_show_check_marks_findings_and_keeps_packet_lines(tmp_path: Path) -> None:
    nak = "samples/lab/two-servers-nak.pcap"
    status, out, _ = invoke("show", "--check", "-v", nak)
    assert status == ExitStatus.FINDINGS  # DHC205 is an error
    lines = out.splitlines()
    marker = lines.index(
        "            ^ error DHC205 reply-from-unselected-server: nak from 192.0.2.1 "
        "(request selected 192.0.2.2)"
    )
    assert lines[marker - 1] == "\t    Server-ID (54), length 4: 192.0.2.1"
    _, plain, _ = invoke("show", "-v", nak)
    unmarked = [line for line in lines if not line.lstrip().startswith("^ ")]
    assert unmarked == plain.splitlines()


def test_show_check_reads_stdin_once(monkeypatch: pytest.MonkeyPatch) -> None:
    data = Path("samples/lab/two-servers-nak.pcap").read_bytes()
    result = runner.invoke(app, ["show", "--check", "-"], input=data)
    assert result.exit_code == ExitStatus.FINDINGS
    assert "^ error DHC205" in result.stdout
    assert len([line for line in result.stdout.splitlines() if "^" not in line]) == 6


def test_analyze_packets_and_ladder() -> None:
    status, out, _ = invoke("analyze", "--packets", "--ladder", SAMPLE)
    assert status == ExitStatus.OK
    assert "xid 0x6265ab6d  dora, bound  2021-06-08T14:31:53.831654Z" in out
    assert "\t    Server-ID (54), length 4: 1.1.1.2" in out  # -vv packet text
    assert "^ info DHC210 requested-option-missing" in out
    assert out.index("Summary") > out.index("Server-ID (54)")


def test_trace_names_the_hop_where_the_offer_died() -> None:
    points = [
        f"{name}=samples/trace/lost-offer-{file}.pcap"
        for name, file in (("tap", "client"), ("bridge", "bridge"), ("srv", "server"))
    ]
    status, out, _ = invoke("trace", *points)
    assert status == ExitStatus.FINDINGS
    assert "Order: tap > bridge > srv (from the evidence)" in out
    assert "offer 0xb0830c1e left srv, seen on bridge, never on" in out
    assert invoke("trace", "--fail-on", "error", *points)[0] == ExitStatus.OK
    status, out, _ = invoke("trace", "--format", "json", *points)
    assert json.loads(out)  # the JSON view parses
    status, _, err = invoke("trace", "a=x.pcap", "a=y.pcap")
    assert status == ExitStatus.ERROR
    assert err.startswith("dhcpcheck: error: ")


def test_a_bug_is_one_line_exit_3_and_no_packet_data(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> None:
        raise ValueError(b"\x1b[2J secret packet bytes")

    monkeypatch.setattr("dhcpcheck.cli.render", broken)
    monkeypatch.setattr(sys, "argv", ["dhcpcheck", "show", SAMPLE])
    with pytest.raises(SystemExit) as leaving:
        main()
    assert leaving.value.code == ExitStatus.INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("dhcpcheck: error: internal error: ValueError in ")
    assert "secret" not in err
    monkeypatch.setattr(sys, "argv", ["dhcpcheck", "--traceback", "show", SAMPLE])
    with pytest.raises(ValueError, match="secret"):
        main()


@pytest.mark.parametrize(
    "command",
    [
        ["analyze", "--format", "json"],
        ["analyze", "--format", "jsonl"],
        ["lint", "--format", "sarif"],
        ["lint", "--format", "junit"],
        ["lint", "--format", "github"],
        ["lint", "--format", "jsonl"],
        ["trace", "--format", "json"],
        ["rules", "--format", "json"],
    ],
    ids=" ".join,
)
def test_machine_formats_never_carry_ansi_even_when_forced(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    target = [] if command[0] == "rules" else ["samples/lab/two-servers-nak.pcap"]
    _, out, _ = invoke(*command, *target)
    assert out and "\x1b" not in out


ERASED = "\n\x1b[?25h\r\x1b[1A\x1b[2K"  # a transient bar's end: its line cleared


@pytest.fixture(scope="module")
def long_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100 DORA exchanges, 150 KiB: long once LONG_INPUT is lowered to 64 KiB."""
    dora = list(read_frames(SAMPLE))
    path = tmp_path_factory.mktemp("long") / "long.pcap"
    with path.open("wb") as stream:
        write_pcap(
            stream,
            [replace(f, ts_sec=f.ts_sec + 60 * n) for n in range(100) for f in dora],
            dora[0].linktype,
        )
    return path


@pytest.fixture(autouse=True)
def long_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """64 KiB make a long file in these tests, so that they stay quick."""
    monkeypatch.setattr(progress, "LONG_INPUT", 64 << 10)


def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Make stderr a terminal for progress bars; return what is drawn on it."""
    drawn = io.StringIO()
    console = Console(file=drawn, force_terminal=True, width=80, no_color=True)
    monkeypatch.setattr(progress, "stderr_console", lambda color: console)
    return drawn


LONG_COMMANDS = [
    ["show"],
    ["show", "--check"],
    ["analyze"],
    ["analyze", "--packets", "--ladder"],
    ["analyze", "--format", "json"],
    ["analyze", "--format", "jsonl"],
    ["trace"],
    ["lint", "-j", "2"],
]


@pytest.mark.parametrize("command", LONG_COMMANDS, ids=" ".join)
def test_a_long_file_has_a_bar_on_a_terminal_and_stdout_is_unchanged(
    command: list[str], long_capture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    linting = command[0] == "lint"
    files = [str(long_capture)] * (2 if linting else 1)  # lint: in two workers
    status, out, err = invoke(*command, *files)
    # The runner's stderr is not a terminal: nothing more than without a bar.
    assert err == ("200 findings (200 info) in 2 captures\n" if linting else "")
    drawn = terminal(monkeypatch)
    assert invoke(*command, *files) == (status, out, err)
    assert drawn.getvalue().endswith(ERASED)
    final = drawn.getvalue().removesuffix(ERASED).split("\r\x1b[2K")[-1]
    if linting:
        assert final.startswith("linting ━━━━━")
        assert final.endswith(" 2/2 captures 0:00:00")
    else:
        assert final.startswith("long.pcap ━━━━━")
        assert final.endswith(" 100% 148.3/148.3 KiB 0:00:00")


def test_no_bar_for_short_files_or_standard_input(
    long_capture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = terminal(monkeypatch)
    assert invoke("analyze", SAMPLE)[0] == ExitStatus.OK
    result = runner.invoke(app, ["show", "-"], input=long_capture.read_bytes())
    assert (result.exit_code, result.stderr) == (ExitStatus.OK, "")
    assert len(result.stdout.splitlines()) == 400
    assert drawn.getvalue() == ""


def test_a_read_error_is_written_once_the_bar_is_gone(
    long_capture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(long_capture.read_bytes()[:-100])
    drawn = terminal(monkeypatch)
    erased_first: list[bool] = []

    def diagnose_now(level: Level, message: str) -> None:
        erased_first.append(drawn.getvalue().endswith(ERASED))
        diagnose(level, message)

    monkeypatch.setattr("dhcpcheck.cli.diagnose", diagnose_now)
    _, _, err = invoke("analyze", "--format", "json", str(cut))
    assert err.startswith(f"dhcpcheck: error: {cut}: truncated record 400")
    assert erased_first == [True]
