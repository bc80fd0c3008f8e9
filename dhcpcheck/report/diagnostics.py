"""The one way dhcpcheck talks to its user outside the report: stderr lines.

stdout carries the report only, so that it can be piped; everything else goes
through `diagnose`, one line per message, prefixed `dhcpcheck: LEVEL: `.
"""

from enum import StrEnum

from rich.console import Console
from rich.text import Text


class Level(StrEnum):
    """How serious a diagnostic line is."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


_STYLES = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.NOTE: "cyan"}

_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def diagnose(level: Level, message: str) -> None:
    """Write one diagnostic line to stderr; `message` is never read as markup."""
    line = Text("dhcpcheck: ")
    line.append(f"{level}:", style=_STYLES[level])
    line.append(" " + printable(message))
    _stderr.print(line)


def printable(text: str) -> str:
    """`text` with every control or unprintable character shown as an escape."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
