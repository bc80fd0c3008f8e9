"""Packets as tcpdump prints them, with each finding marked under its line.

The packet text is `render`'s, byte for byte; marker lines go between its
lines. Nothing here runs rules: the findings come from the pipeline first.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segments
from rich.text import Text

from dhcpcheck.capture.frame import Frame
from dhcpcheck.decode.options import OPTIONS
from dhcpcheck.report.console import THEME, PacketHighlighter
from dhcpcheck.report.diagnostics import printable
from dhcpcheck.report.tcpdump import render
from dhcpcheck.report.tcpdump.dhcp_options import WORDINGS
from dhcpcheck.report.tcpdump.settings import Dialect, PrintSettings
from dhcpcheck.rules.base import Finding, Severity

SEVERITY_STYLES = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}
OPTION_INDENT = "\t    "  # an option's header line, in both dialects
OPTION_CONTINUED = ("\t     ", "\t\t")  # its value's further lines, deeper
# The start of the line tcpdump -v prints each BOOTP header field on; the
# fields it prints on the BOOTP line itself (op .. flags) are not listed.
FIELD_LINES: dict[str, str] = {
    "ciaddr": "\t  Client-IP ",
    "yiaddr": "\t  Your-IP ",
    "siaddr": "\t  Server-IP ",
    "giaddr": "\t  Gateway-IP ",
    "chaddr": "\t  Client-Ethernet-Address ",
    "sname": '\t  sname "',
    "file": '\t  file "',
    "cookie": "\t  Vendor-",
    "options": "\t  Vendor-rfc1048 Extensions",
}


@dataclass(frozen=True, slots=True)
class Note:
    """A finding and where it goes in its packet.

    `anchored`: under the line it points at; otherwise it is about the whole
    transaction and follows the packet's last line.
    """

    finding: Finding
    anchored: bool


class Notes:
    """A capture's findings, filed under the frame they are printed with.

    It holds the findings and nothing else, so it grows with them only.
    """

    def __init__(self) -> None:
        self._by_frame: dict[int, list[Note]] = {}
        self._capture: list[Finding] = []

    def add(self, finding: Finding) -> None:
        """File `finding` under the last of its frames, at the end if it has none.

        One on several frames (a transaction's) follows that packet's last
        line, unless that packet is the one it is about (its first frame).
        """
        if not finding.frames:
            self._capture.append(finding)
            return
        last = max(finding.frames)
        note = Note(finding, anchored=last == finding.frames[0])
        self._by_frame.setdefault(last, []).append(note)

    def take(self, frame: int) -> list[Note]:
        """The notes filed under `frame`, which are then no longer kept."""
        return self._by_frame.pop(frame, [])

    def rest(self) -> Iterator[tuple[int | None, Finding]]:
        """What was not taken: by frame number, then those on no frame (None)."""
        for frame in sorted(self._by_frame):
            for note in self._by_frame[frame]:
                yield frame, note.finding
        for finding in self._capture:
            yield None, finding


class _Cursor:
    """Frames handed on one at a time, remembering the number of the last.

    `render` takes a frame and yields its text (or nothing) before it takes
    the next, so the text it yields is the current frame's.
    """

    def __init__(self, frames: Iterable[Frame]) -> None:
        self._frames = frames
        self.number = 0

    def __iter__(self) -> Iterator[Frame]:
        for frame in self._frames:
            self.number = frame.number
            yield frame


def write_annotated(
    console: Console, frames: Iterable[Frame], settings: PrintSettings, notes: Notes
) -> None:
    """Print `frames` as `render` does, with `notes` marked in the packets.

    Findings whose frame was not printed (filtered out, or not a BOOTP packet
    tcpdump would show) and findings on no frame follow the last packet.
    """
    cursor = _Cursor(frames)
    with console.use_theme(THEME):
        for text in render(cursor, settings):
            _write_packet(console, text, notes.take(cursor.number), settings)
    for frame, finding in notes.rest():
        where = "capture" if frame is None else f"frame {frame}"
        _write(console, _marker(f"{where}: ", finding))


def _write_packet(
    console: Console, text: str, notes: list[Note], settings: PrintSettings
) -> None:
    lines = text.removesuffix("\n").split("\n")
    head = head_line(lines)
    after: dict[int, list[Text]] = {}
    for note in notes:
        if note.anchored:
            anchor = anchor_line(lines, note.finding, settings.dialect)
            below = _block_end(lines, anchor)
        else:
            anchor, below = head, len(lines) - 1
        prefix = " " * _indent(lines[anchor]) + "^ "
        after.setdefault(below, []).append(_marker(prefix, note.finding))
    highlighter = PacketHighlighter()
    parts: list[Text] = []
    for index, line in enumerate(lines):
        parts.append(highlighter(line))
        parts.extend(after.get(index, []))
    _write(console, Text("\n").join(parts))


def _write(console: Console, text: Text) -> None:
    """`text` exactly: rich would otherwise expand tabs and fold long lines."""
    console.print(Segments(text.render(console, end="\n")), soft_wrap=True)


def _marker(prefix: str, finding: Finding) -> Text:
    said = printable(f"{finding.severity} {finding.code} {finding.name}: ")
    style = SEVERITY_STYLES[finding.severity]
    return Text(prefix + said + printable(finding.message), style=style)


def head_line(lines: list[str]) -> int:
    """The line that starts the BOOTP text: the first, or at -v the second,
    which follows the IP header's line."""
    if len(lines) > 1 and lines[1].startswith("    "):
        return 1
    return 0


def anchor_line(lines: list[str], finding: Finding, dialect: Dialect) -> int:
    """The index of the line `finding` points at; the head line if that line
    is not printed (below -v, or a field tcpdump leaves out when zero)."""
    if finding.field == "ip":
        return 0
    prefix = None
    if finding.option is not None and 0 <= finding.option < len(OPTIONS):
        prefix = OPTION_INDENT + _option_head(finding.option, dialect)
    elif finding.field is not None:
        prefix = FIELD_LINES.get(finding.field)
    if prefix is not None:
        for index, line in enumerate(lines):
            if line.startswith(prefix):
                return index
    return head_line(lines)


def _option_head(code: int, dialect: Dialect) -> str:
    """`Server-ID (54), length ` or `Server-ID Option 54, length `."""
    wording = WORDINGS[dialect]
    name = wording.option_name(code)
    return wording.option_head.format(name=name, code=code, length="")


def _block_end(lines: list[str], anchor: int) -> int:
    """The last line of an option's value (a list may run over several)."""
    end = anchor
    if lines[anchor].startswith(OPTION_INDENT):
        while end + 1 < len(lines) and lines[end + 1].startswith(OPTION_CONTINUED):
            end += 1
    return end


def _indent(line: str) -> int:
    """How many columns the line's leading blanks take, tabs at every 8."""
    blank = line[: len(line) - len(line.lstrip(" \t"))]
    return len(blank.expandtabs(8))
