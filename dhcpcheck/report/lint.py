"""`lint --format text`: one line per finding, like a compiler's, and counts.

`PATH:FRAME: CODE [severity] name: message` so that editors and CI logs can
jump to the frame; the summary and `--statistics` go to stderr.
"""

from collections import Counter
from collections.abc import Iterable, Iterator

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dhcpcheck.report.diagnostics import printable
from dhcpcheck.report.records import hex_xid
from dhcpcheck.rules.base import Finding, Severity

SEVERITY_STYLES = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}


def finding_lines(findings: Iterable[Finding]) -> Iterator[Text]:
    """One line per finding, wire text escaped, severity coloured if shown."""
    for finding in findings:
        frame = f":{finding.frames[0]}" if finding.frames else ""
        line = Text(f"{printable(finding.source)}{frame}: {finding.code} ")
        line.append(f"[{finding.severity}]", style=SEVERITY_STYLES[finding.severity])
        line.append(f" {finding.name}: {printable(finding.message)}")
        where = _where(finding)
        if where:
            line.append(f" ({where})", style="dim")
        yield line


def _where(finding: Finding) -> str:
    parts = []
    if finding.xid is not None:
        parts.append(f"xid {hex_xid(finding.xid)}")
    if finding.client is not None:
        parts.append(f"client {printable(finding.client)}")
    if finding.server is not None:
        parts.append(f"server {finding.server}")
    return ", ".join(parts)


def summary(findings: Iterable[Finding], captures: int) -> Text:
    """`N findings (E errors, W warnings, I info) in K captures`."""
    counts = Counter(finding.severity for finding in findings)
    total = sum(counts.values())
    text = f"{_count(total, 'finding')} in {_count(captures, 'capture')}"
    if total:
        detail = ", ".join(
            _count(counts[level], str(level)) if level is not Severity.INFO
            else f"{counts[level]} info"
            for level in sorted(counts, reverse=True)
        )  # fmt: skip
        text = f"{_count(total, 'finding')} ({detail}) in {_count(captures, 'capture')}"
    return Text(text)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def statistics(console: Console, findings: Iterable[Finding]) -> None:
    """How many findings each rule gave, most first."""
    counts = Counter((f.code, f.name, f.severity) for f in findings)
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("count", justify="right")
    for column in ("code", "name", "severity"):
        table.add_column(column)
    for (code, name, severity), count in counts.most_common():
        table.add_row(str(count), code, name, str(severity))
    console.print(table)
