"""Progress bars on stderr while long captures are read or linted.

Only on a terminal, and transient: a bar is erased when its work is done and
never reaches stdout, so the report is the same bytes with or without one.
The capture layer counts the bytes read; this module only draws them.
"""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Column

from dhcpcheck.capture.meter import OnRead
from dhcpcheck.report.console import ColorChoice, wants_color
from dhcpcheck.report.diagnostics import printable

# Bytes of capture below which reading ends too soon for a bar to be of use.
LONG_INPUT = 8 << 20

Done = Callable[[], None]


def stderr_console(color: ColorChoice) -> Console | None:
    """The console bars are drawn on, or None when stderr is not a terminal.

    A terminal only, whatever FORCE_COLOR or CI variables say: a bar redrawn
    into a log is noise. Its colour follows --color and NO_COLOR.
    """
    if not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        return None
    colored = wants_color(color, stream_is_tty=True)
    return Console(
        stderr=True, force_terminal=True, no_color=not colored, highlight=False
    )


class ProgressBars:
    """A bar per long capture file while it is read, or one for a lint run.

    One bar at a time, each on its own line and gone when its work is done.
    Without a console (stderr is no terminal) nothing is ever drawn.
    """

    def __init__(self, console: Console | None, long_input: int = LONG_INPUT) -> None:
        self._console = console
        self._long_input = long_input

    @classmethod
    def on_stderr(cls, color: ColorChoice, streaming: bool = False) -> "ProgressBars":
        """Bars for a command: on stderr if it is a terminal, unless the report
        is `streaming` onto a terminal while captures are read, where its
        lines are progress enough and a bar would be drawn among them."""
        if streaming and sys.stdout.isatty():
            return cls(None)
        return cls(stderr_console(color), LONG_INPUT)

    @contextmanager
    def reading(self, path: str) -> Iterator[OnRead | None]:
        """While the capture at `path` is read: what to tell of the bytes read,
        which draws a bar once the file proves long; None if none can be."""
        if self._console is None:
            yield None
            return
        bar = _FileBar(self._console, path, self._long_input)
        try:
            yield bar.show
        finally:
            bar.close()

    @contextmanager
    def linting(self, captures: int, size: int) -> Iterator[Done]:
        """While `captures` of `size` bytes in all are linted: what to call as
        each is done, which advances a bar if they make a long input."""
        if self._console is None or size < self._long_input:
            yield _nothing
            return
        progress = _transient(self._console, _lint_columns())
        task = progress.add_task("linting", total=captures)
        with progress:
            yield lambda: progress.advance(task)


def _file_columns() -> tuple[ProgressColumn, ...]:
    name = Column(no_wrap=True, overflow="ellipsis", max_width=30)
    return (
        TextColumn("{task.description}", markup=False, table_column=name),
        BarColumn(),
        TaskProgressColumn(),
        DownloadColumn(binary_units=True),
        TimeRemainingColumn(),
    )


def _lint_columns() -> tuple[ProgressColumn, ...]:
    return (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("captures"),
        TimeElapsedColumn(),
    )


class _FileBar:
    """The bar of one capture file, started by the first read of a long one."""

    def __init__(self, console: Console, path: str, long_input: int) -> None:
        self._console = console
        self._name = printable(Path(path).name)
        self._long_input = long_input
        self._progress: Progress | None = None
        self._task = TaskID(0)

    def show(self, consumed: int, size: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=consumed)
        elif size >= self._long_input:
            self._progress = _transient(self._console, _file_columns())
            self._task = self._progress.add_task(
                self._name, total=size, completed=consumed
            )
            self._progress.start()

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _transient(console: Console, columns: tuple[ProgressColumn, ...]) -> Progress:
    # stdout is the report's: rich would otherwise reroute it through the bar.
    return Progress(
        *columns,
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )


def _nothing() -> None:
    """Nothing to advance: no bar is drawn."""
