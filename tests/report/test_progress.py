"""Progress bars: drawn on a terminal for long inputs, erased when done, and
never anywhere else. Compared as exact text on an 80-column console."""

import io
import sys

import pytest
from rich.console import Console

from dhcpcheck.report.console import ColorChoice
from dhcpcheck.report.progress import ProgressBars, stderr_console

HIDE_CURSOR = "\x1b[?25l"
NEW_STATE = "\r\x1b[2K"  # back to the start of the bar's line, cleared
ERASED = "\n\x1b[?25h\r\x1b[1A\x1b[2K"  # cursor shown, the bar's line cleared


def terminal() -> tuple[Console, io.StringIO]:
    drawn = io.StringIO()
    return Console(file=drawn, force_terminal=True, width=80, no_color=True), drawn


def states(drawn: str) -> list[str]:
    """Each state the bar was drawn in, after checking it was erased at the end."""
    assert drawn.startswith(HIDE_CURSOR)
    assert drawn.endswith(ERASED)
    return drawn.removeprefix(HIDE_CURSOR).removesuffix(ERASED).split(NEW_STATE)


def test_a_long_file_has_a_bar_while_it_is_read() -> None:
    console, drawn = terminal()
    with ProgressBars(console, 1024).reading("captures/big.pcap") as told:
        assert told is not None
        told(512, 2048)
        told(2048, 2048)
    shown = states(drawn.getvalue())
    assert shown[0] == (
        "big.pcap ━━━━━━━━━━                                25% 0.5/2.0 KiB -:--:--"
    )
    assert shown[-1] == (
        "big.pcap ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 100% 2.0/2.0 KiB 0:00:00"
    )


def test_a_short_file_has_none() -> None:
    console, drawn = terminal()
    with ProgressBars(console, 4096).reading("small.pcap") as told:
        assert told is not None
        told(2048, 2048)
    assert drawn.getvalue() == ""


def test_the_file_name_is_shown_as_it_is() -> None:
    console, drawn = terminal()
    with ProgressBars(console, 0).reading("[bold]x\x1b.pcap") as told:
        assert told is not None
        told(1, 1)
    assert states(drawn.getvalue())[-1].startswith("[bold]x\\x1b.pcap ━━━")


def test_linting_counts_captures_when_they_add_up_to_a_long_input() -> None:
    console, drawn = terminal()
    with ProgressBars(console, 1000).linting(3, 999) as done:
        done()
    assert drawn.getvalue() == ""
    with ProgressBars(console, 1000).linting(3, 1000) as done:
        for _ in range(3):
            done()
    shown = states(drawn.getvalue())
    assert shown[0].startswith("linting ")
    assert shown[0].endswith(" 0/3 captures 0:00:00")
    assert shown[-1] == (
        "linting ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 3/3 captures 0:00:00"
    )


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.mark.usefixtures("plain_environment")
def test_only_a_terminal_gets_bars(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", Stream(tty=True))
    console = stderr_console(ColorChoice.AUTO)
    assert console is not None
    assert (console.is_terminal, console.no_color) == (True, False)
    for name in ("FORCE_COLOR", "CI", "GITHUB_ACTIONS"):
        monkeypatch.setenv(name, "true")
    monkeypatch.setattr(sys, "stderr", Stream(tty=False))
    assert stderr_console(ColorChoice.ALWAYS) is None
    monkeypatch.setattr(sys, "stderr", Stream(tty=True))
    monkeypatch.setenv("TERM", "dumb")
    assert stderr_console(ColorChoice.AUTO) is None


@pytest.mark.usefixtures("plain_environment")
def test_no_color_draws_a_plain_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", Stream(tty=True))
    never = stderr_console(ColorChoice.NEVER)
    assert never is not None and never.no_color
    monkeypatch.setenv("NO_COLOR", "1")
    unset = stderr_console(ColorChoice.AUTO)
    assert unset is not None and unset.no_color


@pytest.mark.usefixtures("plain_environment")
@pytest.mark.parametrize(
    ("streaming", "stdout_tty", "bar"),
    [(True, True, False), (True, False, True), (False, True, True)],
)
def test_no_bar_among_report_lines_streaming_to_the_terminal(
    monkeypatch: pytest.MonkeyPatch, streaming: bool, stdout_tty: bool, bar: bool
) -> None:
    monkeypatch.setattr(sys, "stderr", Stream(tty=True))
    monkeypatch.setattr(sys, "stdout", Stream(tty=stdout_tty))
    bars = ProgressBars.on_stderr(ColorChoice.AUTO, streaming)
    with bars.reading("big.pcap") as told:
        assert (told is not None) == bar
