"""`watch` over a stand-in frame source: the board as exact text at a fixed
width, the JSON lines, `--until`, the exit status, and closing on the clock."""

import io
import json
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console, RenderableType

from dhcpcheck.capture import Frame, read_frames
from dhcpcheck.config import load_config
from dhcpcheck.pipeline import Analysis, Event
from dhcpcheck.report import dashboard, records
from dhcpcheck.report.dashboard import (
    RECENT,
    Board,
    Dashboard,
    Goal,
    JsonLines,
    Timeline,
    Until,
    grants_lease,
    watch,
)
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.status import ExitStatus

# DISCOVER; kea's OFFER; REQUEST; kea's ACK; dnsmasq's OFFER 3 s later.
LAB = Path(__file__).parents[2] / "samples" / "lab"
TWO_SERVERS = list(read_frames(str(LAB / "two-servers.pcap")))
NO_SERVER = list(read_frames(str(LAB / "no-server.pcap")))  # 3 DISCOVERs
INFORM = list(read_frames(str(LAB / "inform.pcap")))  # INFORM, ACK


def seconds(frame: Frame) -> float:
    return frame.ts_sec + frame.ts_nsec / 1e9


def live(source: str = "eth0") -> Analysis:
    """The analysis `watch` runs: streaming, as the command line makes it."""
    return Analysis(load_config(None), source, streaming=True)


START = seconds(TWO_SERVERS[0])


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class Clock:
    """Frame time: set from each frame as the source hands it over."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def play(
        self, frames: Sequence[Frame | None], gap: float = 1.0
    ) -> Iterator[Frame | None]:
        """Hand over ``frames``; each None (no frame for a while) moves the
        clock on by ``gap`` seconds."""
        for frame in frames:
            self.now = self.now + gap if frame is None else seconds(frame)
            yield frame


class Recorder:
    """A view that keeps what it is shown."""

    def __init__(self, analysis: Analysis) -> None:
        self.board = Board(analysis, START)
        self.events: list[Event] = []
        self.ticks: list[float] = []
        self.stopped: list[bool] = []

    def start(self) -> None:
        pass

    def event(self, event: Event) -> None:
        self.events.append(event)
        self.board.add(event)

    def tick(self, now: float) -> None:
        self.ticks.append(now)

    def stop(self, summary: bool) -> None:
        self.stopped.append(summary)


def run(
    frames: Sequence[Frame | None],
    until: Until | None = None,
    threshold: Severity = Severity.ERROR,
    gap: float = 1.0,
) -> tuple[ExitStatus, Recorder, Clock]:
    analysis = live()
    view, clock = Recorder(analysis), Clock()
    goal = Goal(until, threshold)
    timeline = Timeline(START, clock)
    status = watch(clock.play(frames, gap), analysis, view, goal, timeline)
    return status, view, clock


def text(board: Board, now: float, width: int = 100) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    with console.capture() as captured:
        console.print(board.render(now))
    return "\n".join(line.rstrip() for line in captured.get().splitlines())


def kinds(events: list[Event]) -> list[str]:
    return [
        f"{e.kind} {e.outcome}" if not isinstance(e, Finding) else e.name
        for e in events
    ]


IN_FLIGHT = """\
watching eth0 for 0:00:02  frames 4  messages 4  transactions 0  findings 0
In flight
client             xid         messages                    server     elapsed
─────────────────────────────────────────────────────────────────────────────
00:00:5e:00:53:10  0xb2db7804  discover offer request ack  192.0.2.2    2.0 s
Finished (latency in ms): none
Findings: none
Servers: none"""

FINISHED = """\
watching eth0 for 0:00:05  frames 5  messages 5  transactions 1 (bound 1)
findings 2 (warning 1, info 1)
In flight: none
Finished (latency in ms)
time      client             kind  outcome  server     offer  ack  total
────────────────────────────────────────────────────────────────────────
17:50:16  00:00:5e:00:53:10  dora  bound    192.0.2.2    0.9  0.4    1.7
Findings
time      severity  rule                             message
────────────────────────────────────────────────────────────────────────────────
17:50:16  warning   DHC401 multiple-servers          2 servers competing on the
                                                     local segment (192.0.2.2: 2
                                                     replies, 192.0.2.1: 1
                                                     reply; expected 1)
17:50:13  info      DHC210 requested-option-missing  ack lacks requested options
                                                     28, 2, 3, 15, 6, 26 (6 of 8
                                                     requested)
Servers
server     offers  acks  naks  addresses
────────────────────────────────────────
192.0.2.1       1     0     0          0
192.0.2.2       1     1     0          1"""


def test_the_board_shows_an_exchange_in_flight() -> None:
    analysis = live()
    view, clock = Recorder(analysis), Clock()
    snapshots = []

    def source() -> Iterator[Frame | None]:
        for number, frame in enumerate(clock.play(TWO_SERVERS), 1):
            yield frame
            if number == 4:  # the pipeline has taken the ACK
                snapshots.append(text(view.board, START + 2))

    watch(source(), analysis, view, Goal(None, Severity.ERROR), Timeline(START, clock))
    assert snapshots == [IN_FLIGHT]


def test_the_board_shows_what_finished_at_80_columns() -> None:
    _, view, clock = run(list(TWO_SERVERS))
    assert text(view.board, clock.now + 2, width=80) == FINISHED


def test_many_exchanges_in_flight_show_the_latest() -> None:
    crowd = list(read_frames(str(LAB / "many-clients.pcap")))
    analysis = live()
    view, clock = Recorder(analysis), Clock()
    shown = []

    def source() -> Iterator[Frame | None]:
        yield from clock.play(crowd)
        open_now = len(analysis.tracker.in_flight())
        shown.append((open_now, text(view.board, clock.now)))

    watch(source(), analysis, view, Goal(None, Severity.ERROR), Timeline(START, clock))
    ((open_now, board),) = shown
    assert open_now == 32 > RECENT
    assert f"... {open_now - RECENT} more, the oldest" in board
    listed = [line for line in board.splitlines() if line.startswith("00:00:5e")]
    assert len(listed) == RECENT


def test_text_off_the_wire_is_escaped() -> None:
    analysis = live("eth\x1b[2J")
    board = Board(analysis, START)
    board.add(
        Finding(
            code="DHC999",
            name="made-up",
            severity=Severity.ERROR,
            message="[bold red]x\x1b[2J",
            source="eth0",
            time=START,
        )
    )
    shown = text(board, START)
    assert "watching eth\\x1b[2J" in shown
    assert "[bold red]x\\x1b[2J" in shown
    assert "\x1b" not in shown


def test_json_lines_are_flushed_one_by_one_then_the_summary() -> None:
    class Counted(io.StringIO):
        flushes = 0

        def flush(self) -> None:
            Counted.flushes += 1
            super().flush()

    analysis = live()
    stream = Counted()
    status = watch(
        iter(TWO_SERVERS),
        analysis,
        JsonLines(analysis, stream),
        Goal(None, Severity.ERROR),
        Timeline(START),
    )
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["type"] for line in lines] == [
        "transaction",
        "finding",
        "finding",
        "summary",
    ]
    assert Counted.flushes == len(lines)
    findings = _findings(analysis, TWO_SERVERS)
    assert lines[-1] == json.loads(
        json.dumps(records.summary_line([analysis], findings))
    )
    assert status is ExitStatus.OK


def _findings(analysis: Analysis, frames: list[Frame]) -> list[Finding]:
    """The findings `analyze` gets from ``frames``, stamped as ``analysis``'s."""
    again = Analysis(load_config(None), analysis.source)
    return [e for e in again.run(frames) if isinstance(e, Finding)]


def test_until_bound_ends_at_the_first_ack_granting_a_lease() -> None:
    status, view, _ = run(TWO_SERVERS, Until.BOUND)
    assert status is ExitStatus.OK
    assert view.board.analysis.frames == 4  # dnsmasq's late OFFER was not read
    assert kinds(view.events)[0] == "dora bound"


def test_until_bound_without_a_lease_exits_1() -> None:
    status, view, _ = run(NO_SERVER, Until.BOUND)
    assert status is ExitStatus.FINDINGS
    assert view.board.analysis.frames == 3
    assert view.stopped == [True]


def test_an_ack_to_an_inform_grants_no_lease() -> None:
    status, _, _ = run(INFORM, Until.BOUND)
    assert status is ExitStatus.FINDINGS
    analysis = live()
    list(analysis.run(INFORM))
    assert analysis.tracker.last is not None
    assert analysis.tracker.last.type == 5
    assert not grants_lease(analysis.tracker.last)


def test_until_finding_ends_at_the_first_finding_at_the_threshold() -> None:
    # The exchange closes 65 s after its last message; heartbeats move the
    # clock there, and its info finding ends the watch before the late OFFER.
    frames: list[Frame | None] = [*TWO_SERVERS[:4], None, None, None]
    frames.append(replace(TWO_SERVERS[4], ts_sec=TWO_SERVERS[4].ts_sec + 100))
    status, view, _ = run(frames, Until.FINDING, Severity.INFO, gap=30.0)
    assert status is ExitStatus.FINDINGS
    assert kinds(view.events) == ["dora bound", "requested-option-missing"]
    assert view.board.analysis.frames == 4


def test_until_finding_without_one_exits_0() -> None:
    status, _, _ = run(TWO_SERVERS, Until.FINDING, Severity.ERROR)
    assert status is ExitStatus.OK


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(Severity.WARNING, ExitStatus.FINDINGS), (Severity.ERROR, ExitStatus.OK)],
)
def test_without_until_the_status_is_analyze_s(
    threshold: Severity, expected: ExitStatus
) -> None:
    status, view, _ = run(TWO_SERVERS, None, threshold)
    assert status is expected
    assert kinds(view.events) == [
        "dora bound",
        "requested-option-missing",
        "multiple-servers",
    ]


def test_idle_exchanges_close_on_the_clock_not_only_at_the_end() -> None:
    analysis = live()
    view, clock = Recorder(analysis), Clock()
    closed_before_end = []

    def source() -> Iterator[Frame | None]:
        yield from clock.play([*NO_SERVER, None, None], gap=40.0)
        closed_before_end.extend(kinds(view.events))

    watch(source(), analysis, view, Goal(None, Severity.ERROR), Timeline(START, clock))
    assert closed_before_end == ["dora no-offer", "no-offer"]
    assert analysis.tracker.in_flight() == []


def test_the_view_hears_the_clock_after_every_frame_and_heartbeat() -> None:
    _, view, _ = run([*NO_SERVER, None, None], None)
    assert len(view.ticks) == len(NO_SERVER) + 2
    assert view.ticks == sorted(view.ticks)


def test_a_failing_source_ends_the_view_without_a_summary() -> None:
    def source() -> Iterator[Frame | None]:
        yield TWO_SERVERS[0]
        raise OSError("gone")

    analysis = live()
    view = Recorder(analysis)
    with pytest.raises(OSError, match="gone"):
        watch(source(), analysis, view, Goal(None, Severity.ERROR), Timeline(START))
    assert view.stopped == [False]


def test_the_dashboard_gives_way_to_the_analyze_report() -> None:
    analysis = live()
    output = io.StringIO()
    console = Console(file=output, width=100, color_system=None)
    clock = Clock()
    dashboard = Dashboard(analysis, console, START)
    goal, timeline = Goal(None, Severity.ERROR), Timeline(START, clock)
    status = watch(clock.play(TWO_SERVERS), analysis, dashboard, goal, timeline)
    report = output.getvalue()
    assert status is ExitStatus.OK
    assert report.startswith("Summary\n  eth0\n")
    assert "transactions  1 (dora 1)" in report
    assert "Findings\nwarning (1)\n  DHC401 multiple-servers" in report


def test_the_dashboard_redraws_at_most_four_times_a_second() -> None:
    analysis = live()
    console = Console(file=io.StringIO(), width=100, color_system=None)
    dashboard = Dashboard(analysis, console, START)
    drawn: list[float] = []
    board_render = dashboard.board.render

    def render(now: float) -> RenderableType:
        drawn.append(now)
        return board_render(now)

    dashboard.board.render = render  # type: ignore[method-assign]
    dashboard.start()
    for now in (10.0, 10.1, 10.2, 10.25, 10.3, 11.0):
        dashboard.tick(now)
    dashboard.stop(None)
    assert drawn == [10.0, 10.25, 11.0]
    assert console.file.getvalue() == ""  # type: ignore[attr-defined]


@pytest.mark.parametrize(("quiet", "outcome"), [(2.0, "cut-off"), (6.0, "no-offer")])
def test_an_exchange_unanswered_at_the_end_is_cut_off_only_if_recent(
    quiet: float, outcome: str
) -> None:
    # The watch went on for `quiet` seconds after a lone DISCOVER; RFC 2131
    # has a client wait about 4 s before it sends again.
    _, view, _ = run([NO_SERVER[0], None], None, gap=quiet)
    assert kinds(view.events)[0] == f"dora {outcome}"


def repeated(frames: list[Frame], times: int) -> list[Frame]:
    """``frames`` ``times`` over, 200 s apart: a new exchange each time."""
    return [
        replace(frame, ts_sec=frame.ts_sec + 200 * n)
        for n in range(times)
        for frame in frames
    ]


def test_the_closing_report_lists_the_latest_findings_and_counts_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dashboard, "REPORTED", 2)
    frames = repeated(TWO_SERVERS[:4], 3)  # an info finding each time
    analysis = live()
    output = io.StringIO()
    console = Console(file=output, width=100, color_system=None)
    view = Dashboard(analysis, console, START)
    watch(iter(frames), analysis, view, Goal(None, Severity.ERROR), Timeline(START))
    report = output.getvalue()
    assert "findings      3 (info 3)" in report
    assert "info (3)\n" in report
    assert report.count("DHC210 requested-option-missing") == 2
    assert "  ... 1 earlier, not kept\n" in report
    kept = view.reported[Severity.INFO]
    assert [finding.time for finding in kept] == [START + 200, START + 400]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, ExitStatus.OK),
        ({Severity.INFO: 3, Severity.WARNING: 1}, ExitStatus.OK),
        ({Severity.ERROR: 0}, ExitStatus.OK),
        ({Severity.INFO: 3, Severity.ERROR: 1}, ExitStatus.FINDINGS),
    ],
)
def test_the_status_reads_the_counts_of_findings(
    counts: dict[Severity, int], expected: ExitStatus
) -> None:
    assert Goal(None, Severity.ERROR).status(Counter(counts)) is expected


def test_a_long_watch_keeps_no_lease_history_it_will_not_report() -> None:
    # The same client bound five times: `watch` streams, as
    # `analyze --format jsonl` does, and forgets the leases that were replaced.
    status, view, _ = run(repeated(TWO_SERVERS[:4], 5))
    (client,) = view.board.analysis.clients
    assert status is ExitStatus.OK
    assert view.board.analysis.outcomes == {"bound": 5}
    assert client.transactions == []
    assert len(client.leases) <= 2
