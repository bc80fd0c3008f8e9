"""`lint --format junit`: a capture is a test suite, each transaction a test case.

Findings at or above --fail-on fail their case; those below are output lines.
Times are spans of capture time, not of analysis, so the XML is reproducible.
"""

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from dhcpcheck.report.diagnostics import printable
from dhcpcheck.report.records import hex_xid
from dhcpcheck.report.sarif import CaptureResult, details, finding_order
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.transactions.model import Transaction

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
CAPTURE_CASE = "capture"  # the case of findings that belong to no transaction


@dataclass(frozen=True, slots=True)
class _Case:
    """One test case to be: its name, its span of capture time, its findings."""

    name: str
    seconds: float
    findings: tuple[Finding, ...]


def junit_xml(captures: Sequence[CaptureResult], fail_on: Severity) -> str:
    """The `<testsuites>` document, captures in order of path; ends in a newline."""
    ordered = sorted(captures, key=lambda capture: capture.source)
    suites = [_suite(capture, fail_on) for capture in ordered]
    root = ET.Element("testsuites", name="dhcpcheck")
    root.extend(suites)
    _count(root, _sum(suites, "tests"), _sum(suites, "failures"))
    root.set("time", _seconds(sum(float(suite.get("time", 0)) for suite in suites)))
    ET.indent(root)
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _suite(capture: CaptureResult, fail_on: Severity) -> ET.Element:
    name = printable(capture.source)
    cases = [_testcase(name, case, fail_on) for case in _cases(capture)]
    suite = ET.Element("testsuite", name=name)
    suite.extend(cases)
    failed = sum(case.find("failure") is not None for case in cases)
    _count(suite, len(cases), failed)
    suite.set("time", _seconds(_span(capture.transactions)))
    return suite


def _count(element: ET.Element, tests: int, failures: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")


def _sum(elements: Sequence[ET.Element], attribute: str) -> int:
    return sum(int(element.get(attribute, 0)) for element in elements)


def _cases(capture: CaptureResult) -> list[_Case]:
    """A case per transaction in order of first frame, then the capture's own."""
    ordered = sorted(capture.transactions, key=lambda txn: txn.steps[0].seen.frame)
    owners = {
        step.seen.frame: index
        for index, txn in enumerate(ordered)
        for step in txn.steps
    }
    grouped: list[list[Finding]] = [[] for _ in range(len(ordered) + 1)]
    for finding in sorted(capture.findings, key=finding_order):
        grouped[_owner(finding, ordered, owners)].append(finding)
    cases = [
        _Case(_case_name(txn), txn.end - txn.start, tuple(found))
        for txn, found in zip(ordered, grouped[:-1], strict=True)
    ]
    return [*cases, _Case(CAPTURE_CASE, 0.0, tuple(grouped[-1]))]


def _owner(finding: Finding, ordered: list[Transaction], owners: dict[int, int]) -> int:
    """The transaction whose xid the finding names and that holds its first frame.

    Any other finding (a capture-wide one, or one with no frame) goes to the
    capture's case, the last.
    """
    index = owners.get(finding.frames[0]) if finding.frames else None
    if index is not None and ordered[index].xid == finding.xid:
        return index
    return len(ordered)


def _case_name(txn: Transaction) -> str:
    return f"{hex_xid(txn.xid)} {txn.client_mac} {txn.kind}"


def _testcase(classname: str, case: _Case, fail_on: Severity) -> ET.Element:
    element = ET.Element(
        "testcase", classname=classname, name=case.name, time=_seconds(case.seconds)
    )
    for finding in case.findings:
        if finding.severity >= fail_on:
            failure = ET.SubElement(
                element,
                "failure",
                message=_headline(finding),
                type=str(finding.severity),
            )
            failure.text = _body(finding)
    notes = [_note(finding) for finding in case.findings if finding.severity < fail_on]
    if notes:
        ET.SubElement(element, "system-out").text = "\n".join(notes)
    return element


def _headline(finding: Finding) -> str:
    """`CODE name: message`, the failure's one line."""
    return f"{finding.code} {finding.name}: {printable(finding.message)}"


def _body(finding: Finding) -> str:
    """One `key: value` line for each of frames, xid, client, server and so on."""
    lines = []
    for key, value in details(finding).items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        lines.append(f"{key}: {printable(str(shown))}")
    return "\n".join(lines)


def _note(finding: Finding) -> str:
    """A finding below --fail-on as one output line, its frames at the end."""
    where = ", ".join(map(str, finding.frames))
    frames = f" (frames {where})" if finding.frames else ""
    return f"{finding.severity} {_headline(finding)}{frames}"


def _span(transactions: Sequence[Transaction]) -> float:
    if not transactions:
        return 0.0
    return max(txn.end for txn in transactions) - min(txn.start for txn in transactions)


def _seconds(value: float) -> str:
    return f"{value:.6f}"
