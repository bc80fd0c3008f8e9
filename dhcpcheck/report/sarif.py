"""`lint --format sarif`: findings as a SARIF 2.1.0 log for code-scanning tools.

A capture stands for a source file and a frame number for a line. Builds a
JSON-ready dict and writes nothing; the JUnit and GitHub writers share the
`CaptureResult` input and the finding order defined here.
"""

import hashlib
import inspect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote

from dhcpcheck.pipeline import Event
from dhcpcheck.report.diagnostics import printable
from dhcpcheck.report.records import Record, finding_record
from dhcpcheck.rules.base import Finding, Rule, Severity
from dhcpcheck.transactions.model import Transaction

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
    "sarif-schema-2.1.0.json"
)
FINGERPRINT = "dhcpcheck/v1"  # raised when what the hash covers changes
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
LINE_IS_FRAME = "region.startLine is the frame number in the capture, from 1"
_IDENTITY = ("code", "client", "xid", "server", "option", "field")
_DETAILS = ("frames", "xid", "client", "server", "option", "field", "time")


@dataclass(frozen=True, slots=True)
class CaptureResult:
    """What linting one capture gave: its path, transactions and findings."""

    source: str
    transactions: tuple[Transaction, ...] = ()
    findings: tuple[Finding, ...] = ()


def capture_result(source: str, events: Iterable[Event]) -> CaptureResult:
    """Collect the events of `Analysis(config, source).run(frames)`."""
    found = list(events)
    return CaptureResult(
        source,
        tuple(event for event in found if isinstance(event, Transaction)),
        tuple(event for event in found if isinstance(event, Finding)),
    )


def finding_order(finding: Finding) -> tuple[str, bool, int, str, str]:
    """Sort key: capture, then first frame (none last), code and message."""
    frame = finding.frames[0] if finding.frames else 0
    return (finding.source, not finding.frames, frame, finding.code, finding.message)


def details(finding: Finding) -> Record:
    """Where a finding applies (frames, xid, client, ...), the unset left out."""
    record = finding_record(finding)
    return {key: record[key] for key in _DETAILS if record[key] not in (None, [])}


def sarif_log(
    captures: Sequence[CaptureResult], rules: Sequence[Rule], tool_version: str
) -> Record:
    """One run over every capture; `rules` must hold each finding's rule."""
    ordered = sorted(captures, key=lambda capture: capture.source)
    artifacts = {capture.source: index for index, capture in enumerate(ordered)}
    indexes = {rule.code: index for index, rule in enumerate(rules)}
    findings = sorted(
        (finding for capture in ordered for finding in capture.findings),
        key=finding_order,
    )
    results = [
        _result(finding, indexes[finding.code], artifacts[finding.source], mark)
        for finding, mark in zip(findings, fingerprints(findings), strict=True)
    ]
    run = {
        "tool": {"driver": _driver(rules, tool_version)},
        "artifacts": [_artifact(capture.source) for capture in ordered],
        "results": results,
        "properties": {"frames": LINE_IS_FRAME},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _driver(rules: Sequence[Rule], version: str) -> Record:
    return {
        "name": "dhcpcheck",
        "version": version,
        "rules": [_descriptor(rule) for rule in rules],
    }


def _descriptor(rule: Rule) -> Record:
    manual = inspect.cleandoc(rule.doc)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": manual},
        "help": {"text": manual},  # plain text: its indented blocks are no markdown
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"scope": str(rule.scope)},
    }


def _artifact(source: str) -> Record:
    return {"location": {"uri": artifact_uri(source)}}


def _result(finding: Finding, rule: int, artifact: int, fingerprint: str) -> Record:
    physical: Record = {
        "artifactLocation": {"uri": artifact_uri(finding.source), "index": artifact}
    }
    if finding.frames:
        physical["region"] = {"startLine": finding.frames[0]}
    return {
        "ruleId": finding.code,
        "ruleIndex": rule,
        "level": LEVELS[finding.severity],
        "message": {"text": printable(finding.message)},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT: fingerprint},
        "properties": details(finding),
    }


def artifact_uri(source: str) -> str:
    """A capture path as a URI reference: relative with `/`, or file:// if absolute.

    Bytes that are not UTF-8 (carried as surrogates) are percent-encoded as is.
    """
    path = PurePath(source)
    if path.is_absolute():
        return "file://" + _quoted(path.as_posix())
    return _quoted(path.as_posix())


def _quoted(text: str) -> str:
    return quote(text, safe="/", errors="surrogateescape")


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A stable id for each finding: `HASH:N`, the Nth alike in the same capture.

    The hash covers rule, client, xid, server, option and field, never frame
    numbers, times or message text, so a re-recorded or trimmed capture, or a
    reworded message, keeps its alerts; N tells apart alike findings in order.
    """
    seen: Counter[tuple[str, str]] = Counter()
    marks = []
    for finding in findings:
        record = finding_record(finding)
        identity = "\0".join(str(record[key]) for key in _IDENTITY)
        digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape"))
        key = (finding.source, digest.hexdigest()[:32])
        seen[key] += 1
        marks.append(f"{key[1]}:{seen[key]}")
    return marks
