"""Colour for tcpdump-style text on a terminal, without changing a character.

The printer produces plain text; this module only decides how it looks. Text
that came off the wire is handed to rich as `Text`, never parsed as markup.
"""

import os
import sys
from collections.abc import Callable
from enum import StrEnum

from rich.color import ColorSystem
from rich.console import Console
from rich.highlighter import RegexHighlighter
from rich.segment import Segment
from rich.text import Text
from rich.theme import Theme


class ColorChoice(StrEnum):
    """The --color option."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class PacketHighlighter(RegexHighlighter):
    """Marks message types, addresses, option names and problems in packet text."""

    base_style = "packet."
    highlights = [  # noqa: RUF012 -- rich reads this class attribute
        r"(?m)^\s+(?P<option>[A-Za-z][\w+-]*)(?= \(\d+\)| Option \d+)",
        r"(?P<mac>\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b)",
        r"(?P<ip>\b(?:\d{1,3}\.){3}\d{1,3}\b)",
        r"(?m)(?P<type>(?<=: )(?:Discover|Offer|Request|Decline|ACK|NACK|Release|Inform"
        r"|LeaseQuery|LeaseUnassigned|LeaseUnknown|LeaseActive)$)",
        r"(?P<problem>\[\|\w+\]|\[bad [^\]]*\]|\[ERROR[^\]]*\]|length goes past[^\n]*"
        r"|trailing data length \d+)",
    ]


THEME = Theme(
    {
        "packet.option": "cyan",
        "packet.mac": "magenta",
        "packet.ip": "blue",
        "packet.type": "bold green",
        "packet.problem": "bold red",
    }
)


def wants_color(choice: ColorChoice, stream_is_tty: bool) -> bool:
    """Decide colour as --color, NO_COLOR and FORCE_COLOR ask, in that order."""
    if choice is not ColorChoice.AUTO:
        return choice is ColorChoice.ALWAYS
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream_is_tty


def packet_writer(color: bool) -> Callable[[str], object]:
    """Write packet text to stdout: as it is, or coloured by `PacketHighlighter`.

    Colour is added around the characters, never in place of one: tabs stay
    tabs (rich would expand them), so stripping the colour gives tcpdump's
    text back. The text reaches rich as `Text`, never read as markup.
    """
    if not color:
        return sys.stdout.write
    console = Console(theme=THEME, force_terminal=True)
    highlight = PacketHighlighter()

    def write(text: str) -> None:
        spans = highlight(Text(text)).render(console)
        sys.stdout.write("".join(_ansi(segment) for segment in spans))

    return write


def _ansi(segment: Segment) -> str:
    """The segment's text between its style's escape codes (16 colours)."""
    if segment.style is None:
        return segment.text
    return segment.style.render(segment.text, color_system=ColorSystem.STANDARD)
