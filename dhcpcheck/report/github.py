"""`lint --format github`: findings as GitHub Actions workflow commands.

Each line becomes an annotation on the capture, at the finding's first frame.
Text is escaped so that nothing from the wire can end a command or start one.
"""

from collections.abc import Iterable, Iterator
from pathlib import PurePath

from dhcpcheck.report.diagnostics import printable
from dhcpcheck.report.sarif import finding_order
from dhcpcheck.rules.base import Finding, Severity

COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}
_DATA_ESCAPES = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY_ESCAPES = {**_DATA_ESCAPES, ":": "%3A", ",": "%2C"}


def github_annotations(findings: Iterable[Finding]) -> Iterator[str]:
    """One workflow command per finding, without newline, in finding order.

    The command follows the finding's severity (info is `notice`); --fail-on
    decides the exit status only, so annotations read as the text report does.
    """
    for finding in sorted(findings, key=finding_order):
        yield annotation(finding)


def annotation(finding: Finding) -> str:
    """`::error file=PATH,line=FRAME,title=CODE name::message`; no line if no frame."""
    properties = {"file": PurePath(finding.source).as_posix()}
    if finding.frames:
        properties["line"] = str(finding.frames[0])
    properties["title"] = f"{finding.code} {finding.name}"
    listed = ",".join(
        f"{key}={escape_property(printable(value))}"
        for key, value in properties.items()
    )
    message = escape_data(printable(finding.message))
    return f"::{COMMANDS[finding.severity]} {listed}::{message}"


def escape_data(text: str) -> str:
    """A command's message as the runner reads it: %, CR and LF encoded."""
    return "".join(_DATA_ESCAPES.get(char, char) for char in text)


def escape_property(text: str) -> str:
    """A command property's value: as data, and `:` and `,` encoded too."""
    return "".join(_PROPERTY_ESCAPES.get(char, char) for char in text)
