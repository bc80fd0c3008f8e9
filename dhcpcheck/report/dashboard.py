"""`dhcpcheck watch`: the pipeline over a live capture, shown as it happens on a
dashboard or as JSON lines, until the capture ends or what was awaited comes.

Frames come from the capture layer, None when none came for a while, so that
the clock is read; this module opens nothing and writes only to its views.
"""

import json
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import StrEnum
from ipaddress import IPv4Address
from itertools import chain
from typing import Protocol, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

from dhcpcheck.capture.frame import Frame
from dhcpcheck.decode.options import MessageType
from dhcpcheck.pipeline import Analysis, Event
from dhcpcheck.report import records
from dhcpcheck.report.analysis import write_report
from dhcpcheck.report.diagnostics import printable
from dhcpcheck.report.tcpdump.timestamps import local_time
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.status import ExitStatus
from dhcpcheck.transactions.model import Seen, Transaction

RECENT = 10  # rows of each table: in flight, finished, findings
REPORTED = 50  # findings of each severity the closing report lists, the latest
REDRAW = 0.25  # seconds between redraws at most
_UNSET = IPv4Address(0)
_FOLDING = frozenset({"messages", "message"})  # columns that may take lines
_SEVERITY_STYLES = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}


class Until(StrEnum):
    """What `watch --until` waits for; the capture ends when it comes."""

    BOUND = "bound"  # an ACK granting a lease: exit 0; never came: exit 1
    FINDING = "finding"  # a finding at or above --fail-on: exit 1; none: exit 0


class Goal:
    """What `--until` waits for, whether it came, and the exit status."""

    def __init__(self, until: Until | None, threshold: Severity) -> None:
        self.until = until
        self.threshold = threshold
        self.met = False

    def heard(self, seen: Seen | None) -> None:
        """Look at the message the pipeline took last."""
        if self.until is Until.BOUND and seen is not None and grants_lease(seen):
            self.met = True

    def found(self, finding: Finding) -> None:
        """Look at a finding as it comes."""
        if self.until is Until.FINDING and finding.severity >= self.threshold:
            self.met = True

    def status(self, severities: Mapping[Severity, int]) -> ExitStatus:
        """`analyze`'s status from the findings counted by severity, but for
        `--until bound`: 0 if a lease came."""
        if self.until is Until.BOUND:
            return ExitStatus.OK if self.met else ExitStatus.FINDINGS
        found = (level for level, count in severities.items() if count)
        if any(level >= self.threshold for level in found):
            return ExitStatus.FINDINGS
        return ExitStatus.OK


def grants_lease(seen: Seen) -> bool:
    """An ACK with an address in 'yiaddr': it completes DORA, INIT-REBOOT,
    RENEW or REBIND. Not an ACK to an INFORM, which a server builds "without:
    allocating a new address, checking for an existing binding, filling in
    'yiaddr' or including lease time parameters" (RFC 2131, section 3.4,
    https://www.rfc-editor.org/rfc/rfc2131#section-3.4)."""
    return seen.type == MessageType.ACK and seen.message.yiaddr != _UNSET


class View(Protocol):
    """Where `watch` shows events: a dashboard, or JSON lines."""

    def start(self) -> None:
        """Before the first frame."""

    def event(self, event: Event) -> None:
        """A transaction closed or a finding came."""

    def tick(self, now: float) -> None:
        """A frame went through the pipeline, or none came for a while."""

    def stop(self, summary: bool) -> None:
        """The capture is over; ``summary`` is False if the watch failed and
        none is due."""


def watch(
    frames: Iterable[Frame | None],
    analysis: Analysis,
    view: View,
    goal: Goal,
    timeline: "Timeline",
) -> ExitStatus:
    """Run ``analysis`` over ``frames`` and show every event in ``view``.

    Ends when ``frames`` does (Ctrl-C, --duration, --count) or once ``goal``
    is met; the view then shows the summary. Returns the exit status.
    Nothing here keeps the events: the summary and status read the counts
    of ``analysis``, which should be a streaming one.
    """

    def show(events: Iterable[Event]) -> None:
        for event in events:
            if isinstance(event, Finding):
                goal.found(event)
            view.event(event)

    def paced() -> Iterator[Frame]:
        # The code after `yield` runs once the pipeline has taken the frame.
        for frame in frames:
            if frame is not None:
                yield frame
                timeline.heard(analysis.last)
            now = timeline.now()
            show(analysis.tick(now))
            goal.heard(analysis.tracker.last)
            view.tick(now)
            if goal.met:
                return

    view.start()
    try:
        show(analysis.run(paced()))
    except BaseException:
        view.stop(summary=False)
        raise
    view.stop(summary=True)
    return goal.status(analysis.severities)


class Timeline:
    """Capture time between frames: the latest frame's time plus what
    ``clock`` says has passed since it came. Only differences of the clock
    count, so frame times on another clock (skewed, or a replay) still work.
    """

    def __init__(self, start: float, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._time = start
        self._then = clock()

    def heard(self, latest: float | None) -> None:
        """A frame came; ``latest`` is the latest capture time seen so far."""
        if latest is not None:
            self._time, self._then = latest, self._clock()

    def now(self) -> float:
        """The capture time it is now."""
        return self._time + self._clock() - self._then


class JsonLines:
    """`--format jsonl`: a line per transaction and finding, flushed at once,
    then the summary line `analyze` ends with."""

    def __init__(self, analysis: Analysis, stream: TextIO) -> None:
        self.analysis = analysis
        self.stream = stream

    def start(self) -> None:
        """Nothing comes before the first event."""

    def event(self, event: Event) -> None:
        """Write the event's line."""
        self._line(records.line_record(event))

    def tick(self, now: float) -> None:
        """Lines are written as events come, not on the clock."""

    def stop(self, summary: bool) -> None:
        """Write the summary line."""
        if summary:
            self._line(records.summary_line([self.analysis]))

    def _line(self, record: records.Record) -> None:
        self.stream.write(json.dumps(record, separators=(",", ":")) + "\n")
        self.stream.flush()


class Dashboard:
    """The terminal view: the board redrawn in place, at most every `REDRAW`
    seconds, then `analyze`'s report of the whole watch, which lists the
    last finished transactions and the latest `REPORTED` findings of each
    severity but counts them all."""

    def __init__(self, analysis: Analysis, console: Console, started: float):
        self.board = Board(analysis, started)
        self.console = console
        self.reported: dict[Severity, deque[Finding]] = {
            level: deque(maxlen=REPORTED) for level in Severity
        }
        self._live = Live(console=console, auto_refresh=False, transient=True)
        self._drawn = float("-inf")

    def start(self) -> None:
        """Take over the terminal."""
        self._live.start()

    def event(self, event: Event) -> None:
        """Add the event to the board, and a finding to the report's list."""
        self.board.add(event)
        if isinstance(event, Finding):
            self.reported[event.severity].append(event)

    def tick(self, now: float) -> None:
        """Redraw, unless the last redraw was less than `REDRAW` s ago."""
        if now - self._drawn >= REDRAW:
            self._drawn = now
            self._live.update(self.board.render(now), refresh=True)

    def stop(self, summary: bool) -> None:
        """Give the terminal back and print the report."""
        self._live.stop()
        if summary:
            recent = list(self.board.finished)
            findings = list(chain.from_iterable(self.reported.values()))
            analyses = [self.board.analysis]
            write_report(self.console, analyses, recent, findings, latest=True)


class Board:
    """What the dashboard shows, kept in bounded memory: counts, the open
    transactions, the last finished ones, the last findings, the servers."""

    def __init__(self, analysis: Analysis, started: float) -> None:
        self.analysis = analysis
        self.started = started
        self.finished: deque[Transaction] = deque(maxlen=RECENT)
        self.findings: deque[Finding] = deque(maxlen=RECENT)

    def add(self, event: Event) -> None:
        """Take one event from the pipeline."""
        if isinstance(event, Finding):
            self.findings.append(event)
        else:
            self.finished.append(event)

    def render(self, now: float) -> RenderableType:
        """The whole board as it stands at ``now``."""
        return Group(
            self._headline(now),
            _titled("In flight", self._in_flight(now)),
            _titled("Finished (latency in ms)", self._finished()),
            _titled("Findings", self._findings()),
            _titled("Servers", self._servers()),
        )

    def _headline(self, now: float) -> Text:
        analysis = self.analysis
        severities = analysis.severities
        counts = [
            f"frames {analysis.frames}",
            f"messages {analysis.messages}",
            f"transactions {analysis.kinds.total()}{_outcomes(analysis.outcomes)}",
            f"findings {severities.total()}{_severities(severities)}",
        ]
        watched = (
            f"watching {printable(analysis.source)} for {_clock(now - self.started)}"
        )
        return Text(watched, style="bold") + Text("  " + "  ".join(counts))

    def _in_flight(self, now: float) -> Table | None:
        open_now = self.analysis.tracker.in_flight()
        if not open_now:
            return None
        table = _table("client", "xid", "messages", "server", "elapsed", numbers=1)
        for txn in open_now[-RECENT:]:
            table.add_row(
                txn.client_mac,
                records.hex_xid(txn.xid),
                _messages(txn),
                _address(records.transaction_server(txn)),
                f"{now - txn.start:.1f} s",
            )
        return _more(table, len(open_now))

    def _finished(self) -> Table | None:
        if not self.finished:
            return None
        headers = ("time", "client", "kind", "outcome", "server")
        table = _table(*headers, "offer", "ack", "total", numbers=3)
        for txn in reversed(self.finished):
            latency = txn.latency
            table.add_row(
                _time_of_day(txn.end),
                txn.client_mac,
                str(txn.kind),
                str(txn.outcome),
                _address(records.transaction_server(txn)),
                *(_ms(value) for value in (latency.offer, latency.ack, latency.total)),
            )
        return table

    def _findings(self) -> Table | None:
        if not self.findings:
            return None
        table = _table("time", "severity", "rule", "message")
        for finding in reversed(self.findings):
            when = "-" if finding.time is None else _time_of_day(finding.time)
            level = Text(
                str(finding.severity), style=_SEVERITY_STYLES[finding.severity]
            )
            said = Text(printable(finding.message))
            table.add_row(when, level, f"{finding.code} {finding.name}", said)
        return table

    def _servers(self) -> Table | None:
        servers = list(self.analysis.servers)
        if not servers:
            return None
        table = _table("server", "offers", "acks", "naks", "addresses", numbers=4)
        for server in servers:
            counts = (MessageType.OFFER, MessageType.ACK, MessageType.NAK)
            table.add_row(
                str(server.identifier),
                *(str(server.count(kind)) for kind in counts),
                str(len(server.addresses)),
            )
        return table


def _titled(title: str, table: Table | None) -> RenderableType:
    if table is None:
        return Text(f"{title}: none", style="bold")
    return Group(Text(title, style="bold"), table)


def _table(*headers: str, numbers: int = 0) -> Table:
    """A table whose last ``numbers`` columns hold numbers, set right; only a
    column called message folds, the others are cut short if they must."""
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0)
    )
    for index, header in enumerate(headers):
        right = index >= len(headers) - numbers
        folds = header in _FOLDING
        table.add_column(
            header,
            justify="right" if right else "left",
            no_wrap=not folds,
            overflow="fold" if folds else "ellipsis",
        )
    return table


def _more(table: Table, total: int) -> Table:
    if total > table.row_count:
        table.caption = f"... {total - table.row_count} more, the oldest"
    return table


def _messages(txn: Transaction) -> str:
    """`discover offer request`: the transaction's messages so far, in order."""
    types = (
        records.message_type_name(step.seen.type) or "bootp"
        for step in txn.steps
        if step.copy_of is None
    )
    return " ".join(types)


def _outcomes(counts: Counter[str]) -> str:
    """` (bound 3, nak 1)`: most first; nothing if there is nothing."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return _listed(f"{name} {count}" for name, count in ordered)


def _severities(counts: Counter[Severity]) -> str:
    """` (error 1, info 2)`: the worst first; nothing if there is nothing."""
    ordered = sorted(counts.items(), reverse=True)
    return _listed(f"{level} {count}" for level, count in ordered)


def _listed(parts: Iterable[str]) -> str:
    listed = ", ".join(parts)
    return f" ({listed})" if listed else ""


def _address(found: IPv4Address | None) -> str:
    return "-" if found is None else str(found)


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def _time_of_day(epoch: float) -> str:
    return local_time(epoch, fraction=False)


def _clock(seconds: float) -> str:
    """`1:02:03`: hours, minutes and seconds of a duration."""
    minutes, secs = divmod(max(int(seconds), 0), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
