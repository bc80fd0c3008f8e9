"""The dhcpcheck command line: parses arguments and wires the pipeline.

Each command reads captures through `capture`, hands frames down the pipeline
and writes the report to stdout; problems with the inputs go to stderr.
"""

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from dhcpcheck.capture import CaptureError, read_frames
from dhcpcheck.capture.frame import Frame
from dhcpcheck.config import Config, ConfigError, find_config, load_config
from dhcpcheck.filters import FilterError, PacketFilter
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report import records
from dhcpcheck.report.analysis import write_report
from dhcpcheck.report.console import ColorChoice, packet_writer, wants_color
from dhcpcheck.report.diagnostics import Level, diagnose
from dhcpcheck.report.rules import manual, rule_records, rule_table
from dhcpcheck.report.tcpdump import render
from dhcpcheck.report.tcpdump.settings import Dialect, PrintSettings, TimestampMode
from dhcpcheck.rules import registry
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.status import ExitStatus
from dhcpcheck.transactions.model import Transaction

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
Select = Annotated[
    str | None, typer.Option(help="Only these rules: codes, prefixes or names.")
]
Ignore = Annotated[str | None, typer.Option(help="Leave out these rules.")]
FailOn = Annotated[
    str, typer.Option(help="Exit 1 on findings at or above: error, warning, info.")
]


class ListFormat(StrEnum):
    """Output formats of `rules`."""

    TEXT = "text"
    JSON = "json"


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
    write = packet_writer(wants_color(color, sys.stdout.isatty()))
    inputs = _Inputs()
    with _quiet_broken_pipe():
        for path in files:
            frames = inputs.frames(path)
            if selection:
                frames = selection.apply(frames)
            for text in render(frames, settings):
                write(text)
    raise typer.Exit(ExitStatus.ERROR if inputs.unreadable else ExitStatus.OK)


@app.command()
def analyze(
    files: Files,
    output: Annotated[
        AnalyzeFormat, typer.Option("--format", help="text, json or jsonl.")
    ] = AnalyzeFormat.TEXT,
    config_file: ConfigFile = None,
    select: Select = None,
    ignore: Ignore = None,
    fail_on: FailOn = "error",
    color: Color = ColorChoice.AUTO,
) -> None:
    """Group messages into transactions, follow leases, and check every rule."""
    config = _config(config_file, select, ignore)
    threshold = _severity(fail_on)
    inputs = _Inputs()
    analyses: list[Analysis] = []
    transactions: list[Transaction] = []
    findings: list[Finding] = []
    with _quiet_broken_pipe():
        for path in files:
            analysis = Analysis(config, path)
            analyses.append(analysis)
            for event in analysis.run(inputs.frames(path)):
                if isinstance(event, Finding):
                    findings.append(event)  # the exit status needs them all
                elif output is not AnalyzeFormat.JSONL:
                    transactions.append(event)  # jsonl keeps none: it streams
                if output is AnalyzeFormat.JSONL:
                    _json_line(records.line_record(event))
        _analysis_output(output, color, analyses, transactions, findings)
    raise typer.Exit(_status(inputs, findings, threshold))


def _analysis_output(
    output: AnalyzeFormat,
    color: ColorChoice,
    analyses: list[Analysis],
    transactions: list[Transaction],
    findings: list[Finding],
) -> None:
    if output is AnalyzeFormat.JSONL:
        _json_line(records.summary_line(analyses, findings))
    elif output is AnalyzeFormat.JSON:
        document = records.document(analyses, transactions, findings)
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        write_report(_stdout(color), analyses, transactions, findings)


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


class _Inputs:
    """Reads captures for a command, reporting each unreadable one once."""

    def __init__(self) -> None:
        self.unreadable = 0

    def frames(self, path: str) -> Iterator[Frame]:
        """The frames of `path`; a damaged tail ends it with a diagnostic."""
        try:
            yield from read_frames(path)
        except CaptureError as error:
            diagnose(Level.ERROR, f"{path}: {error}")
            if not error.frames_read:
                self.unreadable += 1


def _status(inputs: _Inputs, findings: list[Finding], threshold: Severity) -> int:
    if inputs.unreadable:
        return ExitStatus.ERROR
    if any(finding.severity >= threshold for finding in findings):
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


def main() -> None:
    """Console-script entry point."""
    app()
