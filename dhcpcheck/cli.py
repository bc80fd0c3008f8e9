"""The dhcpcheck command line: parses arguments and wires the pipeline.

Each command reads captures through `capture`, hands frames down the pipeline
and writes the report to stdout; problems with the inputs go to stderr.
"""

import json
import os
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from dhcpcheck import __version__
from dhcpcheck.capture import CaptureError, read_frames
from dhcpcheck.capture.ahead import Ahead, Reading, worth_reading_ahead
from dhcpcheck.capture.frame import Frame, Select
from dhcpcheck.capture.live import CAPTURE_FILTER, Limits, LiveCapture
from dhcpcheck.capture.meter import OnRead, regular_size
from dhcpcheck.capture.paths import expand
from dhcpcheck.capture.source import STDIN
from dhcpcheck.compiled import build_description
from dhcpcheck.config import Config, ConfigError, find_config, load_config
from dhcpcheck.decode.link import selects
from dhcpcheck.filters import FilterError, PacketFilter
from dhcpcheck.parallel import lint_captures
from dhcpcheck.pipeline import Analysis, MessageCheck, collect_less
from dhcpcheck.report import dashboard, records
from dhcpcheck.report.analysis import write_report
from dhcpcheck.report.annotate import Notes, write_annotated
from dhcpcheck.report.console import ColorChoice, packet_writer, wants_color
from dhcpcheck.report.diagnostics import Level, diagnose
from dhcpcheck.report.github import github_annotations
from dhcpcheck.report.junit import junit_xml
from dhcpcheck.report.ladder import write_ladder
from dhcpcheck.report.lint import finding_lines
from dhcpcheck.report.lint import statistics as lint_statistics
from dhcpcheck.report.lint import summary as lint_summary
from dhcpcheck.report.progress import ProgressBars
from dhcpcheck.report.rules import manual, rule_records, rule_table
from dhcpcheck.report.sarif import (
    CaptureResult,
    finding_order,
    sarif_log,
)
from dhcpcheck.report.tcpdump import render
from dhcpcheck.report.tcpdump.settings import Dialect, PrintSettings, TimestampMode
from dhcpcheck.report.trace import trace_document, write_trace
from dhcpcheck.rules import registry
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.status import ExitStatus
from dhcpcheck.trace import lost
from dhcpcheck.trace.follow import follow
from dhcpcheck.trace.model import OrderChoice
from dhcpcheck.trace.points import PointError, collect, parse_points
from dhcpcheck.transactions.model import Transaction

T = TypeVar("T")

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Analyze and validate DHCPv4 packet captures.",
)

Files = Annotated[
    list[str], typer.Argument(help="pcap or pcapng files, gzip or not; - for stdin")
]
Color = Annotated[
    ColorChoice, typer.Option(help="Colour on a terminal: auto, always, never.")
]
ConfigFile = Annotated[
    Path | None,
    typer.Option(
        "--config", help="A dhcpcheck.toml or pyproject.toml; default: found upwards."
    ),
]
RuleSelect = Annotated[
    str | None, typer.Option(help="Only these rules: codes, prefixes or names.")
]
Ignore = Annotated[str | None, typer.Option(help="Leave out these rules.")]
FailOn = Annotated[
    str, typer.Option(help="Exit 1 on findings at or above: error, warning, info.")
]


# What `analyze --packets` prints: tcpdump -vv, where option lines show.
PACKETS = PrintSettings(verbosity=2)


class ListFormat(StrEnum):
    """Output formats of `rules`."""

    TEXT = "text"
    JSON = "json"


class LintFormat(StrEnum):
    """Output formats of `lint`; auto is github under GitHub Actions, else text."""

    AUTO = "auto"
    TEXT = "text"
    JSON = "json"
    JSONL = "jsonl"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"


class TraceFormat(StrEnum):
    """Output formats of `trace`."""

    TEXT = "text"
    JSON = "json"


class WatchFormat(StrEnum):
    """Output formats of `watch`: a dashboard, or a JSON line per event."""

    TEXT = "text"
    JSONL = "jsonl"


class Engine(StrEnum):
    """Which reader opens capture files."""

    NATIVE = "native"  # dhcpcheck's own
    TSHARK = "tshark"  # Wireshark's, through tshark and pyshark


def _tshark_frames(
    path: str, select: Select | None = None, on_read: OnRead | None = None
) -> Iterator[Frame]:
    """Every frame through tshark: `select` only spares the native reader work,
    and tshark tells nothing of its progress through the file."""
    # Imported here: pyshark costs every command ~0.1 s of start-up otherwise.
    from dhcpcheck.capture.tshark import tshark_frames

    return tshark_frames(path)


Reader = Callable[[str, Select | None, OnRead | None], Iterator[Frame]]
READERS: dict[Engine, Reader] = {
    Engine.NATIVE: read_frames,
    Engine.TSHARK: _tshark_frames,
}
EngineChoice = Annotated[
    Engine, typer.Option("--engine", help="Read files with: native, tshark.")
]
ReadAhead = Annotated[
    bool | None,
    typer.Option(
        "--read-ahead/--no-read-ahead",
        help="Read files in a second process (default: from 16 MiB, on 2+ cores).",
        show_default=False,
    ),
]


class AnalyzeFormat(StrEnum):
    """Output formats of `analyze`."""

    TEXT = "text"
    JSON = "json"
    JSONL = "jsonl"


@app.command()
def show(
    files: Files,
    verbose: Annotated[
        int, typer.Option("-v", count=True, help="More detail: -v, -vv, -vvv.")
    ] = 0,
    link_header: Annotated[
        bool, typer.Option("-e", help="Print the link-level header.")
    ] = False,
    stamps: Annotated[
        int, typer.Option("-t", count=True, help="Time stamps as tcpdump's -t..-ttttt.")
    ] = 0,
    numbered: Annotated[
        bool, typer.Option("-#", "--number", help="Number the frames.")
    ] = False,
    numeric: Annotated[
        bool, typer.Option("-n", help="Accepted for tcpdump habits; always on.")
    ] = True,
    dialect: Annotated[
        Dialect, typer.Option(help="Which tcpdump release's wording to print.")
    ] = Dialect.V4_99,
    xid: Annotated[
        str | None, typer.Option(help="Only these transaction ids: 0x6265ab6d,...")
    ] = None,
    client: Annotated[
        str | None, typer.Option(help="Only messages for these client MACs.")
    ] = None,
    message_type: Annotated[
        str | None,
        typer.Option("--type", help="Only these message types: offer,ack,..."),
    ] = None,
    color: Color = ColorChoice.AUTO,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Run the rules; write findings under the lines they concern.",
        ),
    ] = False,
    config_file: ConfigFile = None,
    select: RuleSelect = None,
    ignore: Ignore = None,
    fail_on: FailOn = "error",
    engine: EngineChoice = Engine.NATIVE,
    read_ahead: ReadAhead = None,
) -> None:
    """Print the DHCP packets of captures exactly as `tcpdump -n` prints them."""
    settings = PrintSettings(
        dialect=dialect,
        verbosity=min(verbose, 3),
        link_header=link_header,
        timestamps=TimestampMode(min(stamps, 5)),
        numbered=numbered,
    )
    try:
        selection = PacketFilter.parse(xid=xid, client=client, types=message_type)
    except FilterError as error:
        _usage_error(str(error))
    # Without --check, packets are printed while the captures are read.
    bars = ProgressBars.on_stderr(color, streaming=not check)
    inputs = _Inputs(bars, engine, read_ahead)
    if check:
        config = _config(config_file, select, ignore)
        threshold = _severity(fail_on)
        with _quiet_broken_pipe():
            findings = _show_checked(files, inputs, config, settings, selection, color)
        raise typer.Exit(_status(inputs.unreadable, findings, threshold))
    write = packet_writer(wants_color(color, sys.stdout.isatty()))
    with _quiet_broken_pipe():
        for path in files:
            # Only what tcpdump's DHCP filter passes is built and printed.
            frames = inputs.frames(path, selects, inputs.ahead(path))
            if selection:
                frames = selection.apply(frames)
            for text in render(frames, settings):
                write(text)
    raise typer.Exit(ExitStatus.ERROR if inputs.unreadable else ExitStatus.OK)


def _show_checked(
    files: list[str],
    inputs: "_Inputs",
    config: Config,
    settings: PrintSettings,
    selection: PacketFilter | None,
    color: ColorChoice,
) -> list[Finding]:
    """`show --check`: analyze each capture, then print it with its findings."""
    console = _stdout(color)
    findings: list[Finding] = []
    for path in files:
        capture = _Capture(path, inputs)
        notes = Notes()
        for event in Analysis(config, path).run(capture.first_read()):
            if isinstance(event, Finding):
                findings.append(event)
                notes.add(event)
        frames = capture.second_read()
        if selection:
            frames = selection.apply(frames)
        write_annotated(console, frames, settings, notes)
    return findings


@app.command()
def analyze(
    files: Files,
    output: Annotated[
        AnalyzeFormat, typer.Option("--format", help="text, json or jsonl.")
    ] = AnalyzeFormat.TEXT,
    config_file: ConfigFile = None,
    select: RuleSelect = None,
    ignore: Ignore = None,
    fail_on: FailOn = "error",
    color: Color = ColorChoice.AUTO,
    packets: Annotated[
        bool,
        typer.Option(help="First print the packets (-vv) with findings marked."),
    ] = False,
    ladder: Annotated[
        bool, typer.Option(help="Draw each transaction as a sequence diagram.")
    ] = False,
    engine: EngineChoice = Engine.NATIVE,
    read_ahead: ReadAhead = None,
) -> None:
    """Group messages into transactions, follow leases, and check every rule."""
    config = _config(config_file, select, ignore)
    threshold = _severity(fail_on)
    text = output is AnalyzeFormat.TEXT
    streaming = output is AnalyzeFormat.JSONL
    bars = ProgressBars.on_stderr(color, streaming=streaming or (ladder and text))
    inputs = _Inputs(bars, engine, read_ahead)
    console = _stdout(color)
    analyses: list[Analysis] = []
    transactions: list[Transaction] = []
    findings: list[Finding] = []
    with _quiet_broken_pipe():
        for path in files:
            capture = _Capture(path, inputs, keep=packets and text)
            # jsonl streams: memory follows the transactions in flight.
            analysis = Analysis(config, path, streaming=streaming)
            analyses.append(analysis)
            notes = Notes()
            # Read ahead, the other process also runs the message rules.
            ahead = inputs.ahead(path, MessageCheck(config, path))
            if ahead is None:
                events = analysis.run(capture.first_read(analysis.select))
            else:
                frames = capture.first_read(selects, ahead)
                events = analysis.run(frames, ahead.annotations)
            for event in events:
                if streaming:  # jsonl keeps nothing: the analysis counts
                    _json_line(records.line_record(event))
                elif isinstance(event, Finding):
                    findings.append(event)
                    notes.add(event)
                else:
                    transactions.append(event)
                    if ladder and text:
                        write_ladder(console, event)
                        console.print()
            if ahead is not None:
                analysis.read_elsewhere(ahead.records)
            if packets and text:
                write_annotated(console, capture.second_read(), PACKETS, notes)
        _analysis_output(output, color, analyses, transactions, findings)
    found = Counter[Severity]()
    for analysis in analyses:
        found.update(analysis.severities)
    raise typer.Exit(_status(inputs.unreadable, found, threshold))


def _analysis_output(
    output: AnalyzeFormat,
    color: ColorChoice,
    analyses: list[Analysis],
    transactions: list[Transaction],
    findings: list[Finding],
) -> None:
    if output is AnalyzeFormat.JSONL:
        # The findings streamed away: the analyses counted them.
        _json_line(records.summary_line(analyses))
    elif output is AnalyzeFormat.JSON:
        document = records.document(analyses, transactions, findings)
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        write_report(_stdout(color), analyses, transactions, findings)


@app.command()
def lint(
    paths: Annotated[
        list[str], typer.Argument(help="Captures, folders of captures, or globs.")
    ],
    output_format: Annotated[
        LintFormat,
        typer.Option("--format", help="auto, text, json, jsonl, sarif, junit, github."),
    ] = LintFormat.AUTO,
    output: Annotated[
        Path | None, typer.Option(help="Write the report here instead of stdout.")
    ] = None,
    config_file: ConfigFile = None,
    select: RuleSelect = None,
    ignore: Ignore = None,
    fail_on: FailOn = "error",
    exit_zero: Annotated[
        bool, typer.Option(help="Exit 0 even when findings reach --fail-on.")
    ] = False,
    statistics: Annotated[
        bool, typer.Option(help="Count findings per rule on stderr.")
    ] = False,
    color: Color = ColorChoice.AUTO,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Captures linted at once (default: cores)."
        ),
    ] = None,
) -> None:
    """Check captured traces in CI: findings as text, SARIF, JUnit or annotations."""
    config = _config(config_file, select, ignore)
    threshold = _severity(fail_on)
    files, missing = expand(paths)
    for path in missing:
        diagnose(Level.ERROR, f"{path}: no such file, folder or matching capture")
    size = sum(regular_size(path) or 0 for path in files if path != STDIN)
    with ProgressBars.on_stderr(color).linting(len(files), size) as done:
        linted = lint_captures(files, config, jobs, done)
    for path, each in zip(files, linted, strict=True):
        if each.error is not None:
            diagnose(Level.ERROR, f"{path}: {each.error}")
    results = [each.result for each in linted]
    findings = sorted(
        (finding for result in results for finding in result.findings),
        key=finding_order,
    )
    chosen = _lint_format(output_format)
    report = _lint_report(chosen, results, findings, threshold)
    _deliver(report, output, color if chosen is LintFormat.TEXT else ColorChoice.NEVER)
    stderr = Console(stderr=True, highlight=False)
    if statistics:
        lint_statistics(stderr, findings)
    stderr.print(lint_summary(findings, len(files)))
    unreadable = sum(each.unreadable for each in linted)
    status = _status(unreadable, findings, threshold)
    if missing or not files:
        status = ExitStatus.ERROR
    elif exit_zero and status is ExitStatus.FINDINGS:
        status = ExitStatus.OK
    raise typer.Exit(status)


def _lint_format(chosen: LintFormat) -> LintFormat:
    if chosen is not LintFormat.AUTO:
        return chosen
    on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    return LintFormat.GITHUB if on_actions else LintFormat.TEXT


def _lint_report(
    chosen: LintFormat,
    results: list[CaptureResult],
    findings: list[Finding],
    threshold: Severity,
) -> list[Text | str]:
    """The report as lines: rich Text for the terminal format, else plain."""
    if chosen is LintFormat.TEXT:
        return list(finding_lines(findings))
    if chosen is LintFormat.GITHUB:
        return list(github_annotations(findings))
    if chosen is LintFormat.JUNIT:
        return [junit_xml(results, threshold).removesuffix("\n")]
    if chosen is LintFormat.SARIF:
        log = sarif_log(results, registry.ALL, __version__)
        return [json.dumps(log, indent=2)]
    if chosen is LintFormat.JSONL:
        return [json.dumps(records.finding_record(f)) for f in findings]
    transactions = [txn for result in results for txn in result.transactions]
    document = records.document([], transactions, findings)
    return [json.dumps(document, indent=2)]


def _deliver(lines: list[Text | str], output: Path | None, color: ColorChoice) -> None:
    """Write the report to stdout, or whole to `output` (never half a file)."""
    if output is None and wants_color(color, sys.stdout.isatty()):
        console = _stdout(color)
        for line in lines:
            console.print(line, soft_wrap=True)
        return
    text = "".join(f"{_plain(line)}\n" for line in lines)
    if output is None:
        sys.stdout.write(text)
        return
    partial = output.with_name(f".{output.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(output)
    except OSError as error:
        _usage_error(f"{output}: {error.strerror or error}")


def _plain(line: Text | str) -> str:
    return line.plain if isinstance(line, Text) else line


@app.command()
def trace(
    captures: Annotated[
        list[str], typer.Argument(help="NAME=FILE or FILE per capture point; - stdin.")
    ],
    order: Annotated[
        OrderChoice, typer.Option(help="auto: from the evidence; given: as listed.")
    ] = OrderChoice.AUTO,
    output: Annotated[
        TraceFormat, typer.Option("--format", help="text or json.")
    ] = TraceFormat.TEXT,
    fail_on: Annotated[
        str, typer.Option(help="Exit 1 on lost messages at or above this severity.")
    ] = "warning",
    color: Color = ColorChoice.AUTO,
) -> None:
    """Follow each message across capture points; say where one was lost."""
    threshold = _severity(fail_on)
    try:
        named = parse_points(captures)
    except PointError as error:
        _usage_error(str(error))
    inputs = _Inputs(ProgressBars.on_stderr(color))
    points = [collect(name, path, inputs.frames(path)) for name, path in named]
    traced = follow(points, order)
    with _quiet_broken_pipe():
        if output is TraceFormat.JSON:
            sys.stdout.write(json.dumps(trace_document(traced), indent=2) + "\n")
        else:
            write_trace(_stdout(color), traced)
    raise typer.Exit(_status(inputs.unreadable, lost.findings(traced), threshold))


@app.command()
def watch(
    interfaces: Annotated[
        list[str], typer.Argument(help="Interfaces to capture on: eth0 br0 ...")
    ],
    output: Annotated[
        WatchFormat, typer.Option("--format", help="text (a dashboard) or jsonl.")
    ] = WatchFormat.TEXT,
    bpf: Annotated[
        str, typer.Option("--filter", help="Capture filter, in pcap-filter syntax.")
    ] = CAPTURE_FILTER,
    duration: Annotated[
        float | None, typer.Option(min=0, help="Stop after this many seconds.")
    ] = None,
    count: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many frames.")
    ] = None,
    until: Annotated[
        dashboard.Until | None,
        typer.Option(help="Stop at the first lease (bound) or finding (finding)."),
    ] = None,
    write: Annotated[
        Path | None, typer.Option("-w", help="Also write the frames to this pcapng.")
    ] = None,
    config_file: ConfigFile = None,
    select: RuleSelect = None,
    ignore: Ignore = None,
    fail_on: FailOn = "error",
    color: Color = ColorChoice.AUTO,
) -> None:
    """Capture DHCP on interfaces; show transactions and findings as they come."""
    config = _config(config_file, select, ignore)
    goal = dashboard.Goal(until, _severity(fail_on))
    analysis = Analysis(config, ",".join(interfaces), streaming=True)
    view: dashboard.View = dashboard.JsonLines(analysis, sys.stdout)
    if output is WatchFormat.TEXT:
        view = dashboard.Dashboard(analysis, _stdout(color), time.time())
    save = None if write is None else str(write)
    live = _Live()
    try:
        with LiveCapture(interfaces, bpf, save) as capture, _quiet_broken_pipe():
            frames = live.frames(capture, Limits(duration, count))
            timeline = dashboard.Timeline(time.time())
            status = dashboard.watch(frames, analysis, view, goal, timeline)
    except CaptureError as error:
        _usage_error(str(error))
    raise typer.Exit(ExitStatus.ERROR if live.failed else status)


class _Live:
    """Frames of a live capture; one that breaks ends them with a diagnostic,
    so that the summary of what came before is still written."""

    def __init__(self) -> None:
        self.failed = False

    def frames(self, capture: LiveCapture, limits: Limits) -> Iterator[Frame | None]:
        """The capture's frames, and None when none came for a while."""
        try:
            yield from capture.frames(limits)
        except CaptureError as error:
            diagnose(Level.ERROR, str(error))
            self.failed = True


@app.command("rules")
def list_rules(
    output: Annotated[
        ListFormat, typer.Option("--format", help="text or json.")
    ] = ListFormat.TEXT,
    color: Color = ColorChoice.AUTO,
) -> None:
    """List every rule: code, name, scope, default severity and summary."""
    if output is ListFormat.JSON:
        sys.stdout.write(json.dumps(rule_records(registry.ALL), indent=2) + "\n")
    else:
        rule_table(_stdout(color), registry.ALL)


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="A rule code (DHC104) or name.")],
    color: Color = ColorChoice.AUTO,
) -> None:
    """Print a rule's manual: what it checks, why, an example, its settings."""
    try:
        found = registry.lookup(rule)
    except registry.UnknownRule as error:
        _usage_error(str(error.args[0]))
    manual(_stdout(color), found)


class _Capture:
    """One capture read twice: once to analyze it, once to print it annotated.

    Standard input cannot be read again, so its frames are kept from the
    first read when a second is wanted; files are simply opened again.
    """

    def __init__(self, path: str, inputs: "_Inputs", keep: bool = True) -> None:
        self.path = path
        self._inputs = inputs
        self._kept: list[Frame] | None = [] if keep and path == STDIN else None

    def first_read(
        self, select: Select | None = None, ahead: Ahead[T] | None = None
    ) -> Iterator[Frame]:
        """The frames (those `select` keeps), any read problem reported once."""
        for frame in self._inputs.frames(self.path, select, ahead):
            if self._kept is not None:
                self._kept.append(frame)
            yield frame

    def second_read(self) -> Iterator[Frame]:
        """The frames again; read problems were reported by the first read."""
        if self._kept is not None:
            yield from self._kept
            return
        with suppress(CaptureError):
            yield from self._inputs.read(self.path, None, None)


class _Inputs:
    """Reads captures for a command, reporting each unreadable one once, with
    a progress bar for each long one on a terminal."""

    def __init__(
        self,
        bars: ProgressBars,
        engine: Engine = Engine.NATIVE,
        read_ahead: bool | None = False,
    ) -> None:
        self.unreadable = 0
        self.read = READERS[engine]
        self._bars = bars
        self._read_ahead = read_ahead if engine is Engine.NATIVE else False

    def ahead(
        self, path: str, annotate: Callable[[Frame], T | None] | None = None
    ) -> Ahead[T] | None:
        """How to read `path` in a second process, or None to read it here:
        a file, when asked to, or by default when it is large enough to
        repay starting the process and there is a core to run it."""
        if self._read_ahead is False or path == STDIN:
            return None
        if self._read_ahead is None and not worth_reading_ahead(path):
            return None
        return Ahead(annotate)

    def frames(
        self, path: str, select: Select | None = None, ahead: Ahead[T] | None = None
    ) -> Iterator[Frame]:
        """The frames of `path`; a damaged tail ends it with a diagnostic,
        written once its bar is gone. With `ahead` (and a `select`), they are
        read in a second process."""
        # The reader is forked before a progress bar can start its thread.
        reading = (
            None if ahead is None or select is None else Reading(path, select, ahead)
        )
        try:
            with self._bars.reading(path) as on_read:
                if reading is None:
                    yield from self.read(path, select, on_read)
                else:
                    yield from reading.frames(on_read)
        except CaptureError as error:
            diagnose(Level.ERROR, f"{path}: {error}")
            if not error.frames_read:
                self.unreadable += 1
        finally:
            if reading is not None:
                reading.stop()


def _status(
    unreadable: int, found: "list[Finding] | Counter[Severity]", threshold: Severity
) -> int:
    """The exit status, from the findings or their count by severity."""
    if unreadable:
        return ExitStatus.ERROR
    severities = found if isinstance(found, Counter) else [f.severity for f in found]
    if any(severity >= threshold for severity in severities):
        return ExitStatus.FINDINGS
    return ExitStatus.OK


def _config(path: Path | None, select: str | None, ignore: str | None) -> Config:
    try:
        return load_config(
            path or find_config(Path.cwd()),
            select=_words(select),
            ignore=_words(ignore),
        )
    except ConfigError as error:
        _usage_error(str(error))


def _words(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [word.strip() for word in value.split(",") if word.strip()]


def _severity(text: str) -> Severity:
    try:
        return Severity.parse(text)
    except ValueError as error:
        _usage_error(f"--fail-on: {error}")


def _json_line(record: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(record, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def _stdout(color: ColorChoice) -> Console:
    """The report console: colour as asked, never markup from the data."""
    colored = wants_color(color, sys.stdout.isatty())
    return Console(force_terminal=colored, no_color=not colored, highlight=False)


@contextmanager
def _quiet_broken_pipe() -> Iterator[None]:
    """End quietly when the reader of stdout goes away (`| head`)."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so that the flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(ExitStatus.OK) from None


def _usage_error(message: str) -> NoReturn:
    diagnose(Level.ERROR, message)
    raise typer.Exit(ExitStatus.ERROR)


class _Debug:
    """What the global options ask of the error handling."""

    traceback = False


def _print_version(asked: bool) -> None:
    if asked:
        print(f"dhcpcheck {__version__}, {build_description()}")
        raise typer.Exit()


@app.callback()
def _global_options(
    traceback: Annotated[
        bool,
        typer.Option(
            "--traceback", help="On an internal error, print the Python traceback."
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and whether the hot modules are compiled.",
        ),
    ] = False,
) -> None:
    _Debug.traceback = traceback


def main() -> None:
    """Console-script entry point: a bug is one line and exit 3, not a traceback.

    The line names the exception and where it was raised, never its message or
    locals, which may hold packet bytes that must not reach CI logs.
    """
    collect_less()
    try:
        app()
    except Exception as error:
        if _Debug.traceback:
            raise
        diagnose(Level.ERROR, f"internal error: {_where(error)}")
        diagnose(Level.NOTE, "this is a bug: run again with --traceback and report it")
        sys.exit(ExitStatus.INTERNAL)


def _where(error: BaseException) -> str:
    """`ValueError in dhcpcheck/decode/bootp.py:42 (decode_bootp)`."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "dhcpcheck" in f.filename] or frames
    if not ours:
        return type(error).__name__
    last = ours[-1]
    where = last.filename[last.filename.rfind("dhcpcheck") :]
    return f"{type(error).__name__} in {where}:{last.lineno} ({last.name})"
