"""JUnit XML of `lint`: exact text, and what a JUnit reader makes of it."""

import xml.etree.ElementTree as ET
from dataclasses import replace
from glob import glob
from ipaddress import IPv4Address

import pytest
from junitparser import Failure, JUnitXml

from dhcpcheck.capture import read_frames
from dhcpcheck.config import load_config
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.junit import junit_xml
from dhcpcheck.report.sarif import CaptureResult, capture_result
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.transactions.model import Transaction

SEED = "samples/openstack-dora.pcap"  # one DORA, frames 1-4, 40.7 ms
CLIENT = "fa:16:3e:d6:62:84"
XID = 0x6265AB6D
START = 1623162713.0  # 2021-06-08 14:31:53 UTC
SLOW = Finding(
    code="DHC214",
    name="slow-offer",
    severity=Severity.WARNING,
    message="offer after 3.0 s (threshold 1.0 s)",
    source=SEED,
    frames=(2, 1),
    xid=XID,
    client=CLIENT,
    server=IPv4Address("1.1.1.2"),
    time=START,
)
MISSING = Finding(
    code="DHC210",
    name="requested-option-missing",
    severity=Severity.INFO,
    message="ack lacks requested options 119 (1 of 13 requested)",
    source=SEED,
    frames=(4, 3),
    xid=XID,
    client=CLIENT,
    option=119,
)
SERVERS = Finding(
    code="DHC401",
    name="multiple-servers",
    severity=Severity.WARNING,
    message="2 servers competing on the local segment",
    source=SEED,
    frames=(2,),  # a frame of the DORA, but the finding names no xid
    server=IPv4Address("1.1.1.2"),
)


def _dora(*findings: Finding) -> CaptureResult:
    transactions = tuple(
        event
        for event in Analysis(load_config(None), SEED).run(read_frames(SEED))
        if isinstance(event, Transaction)
    )
    return CaptureResult(SEED, transactions, findings)


def _parsed(text: str) -> JUnitXml:
    return JUnitXml.fromstring(text.encode())


EXPECTED = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="dhcpcheck" tests="2" failures="2" errors="0" time="0.040723">
  <testsuite name="samples/openstack-dora.pcap" tests="2" failures="2" errors="0" \
time="0.040723">
    <testcase classname="samples/openstack-dora.pcap" \
name="0x6265ab6d fa:16:3e:d6:62:84 dora" time="0.040723">
      <failure message="DHC214 slow-offer: offer after 3.0 s (threshold 1.0 s)" \
type="warning">frames: 2, 1
xid: 0x6265ab6d
client: fa:16:3e:d6:62:84
server: 1.1.1.2
time: 2021-06-08T14:31:53.000000Z</failure>
      <system-out>info DHC210 requested-option-missing: ack lacks requested \
options 119 (1 of 13 requested) (frames 4, 3)</system-out>
    </testcase>
    <testcase classname="samples/openstack-dora.pcap" name="capture" time="0.000000">
      <failure message="DHC401 multiple-servers: 2 servers competing on the local \
segment" type="warning">frames: 2
server: 1.1.1.2</failure>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_a_capture_reads_as_pinned() -> None:
    assert junit_xml([_dora(MISSING, SERVERS, SLOW)], Severity.WARNING) == EXPECTED


def test_a_junit_reader_sees_cases_failures_and_output() -> None:
    (suite,) = _parsed(junit_xml([_dora(SLOW, MISSING, SERVERS)], Severity.WARNING))
    assert (suite.name, suite.tests, suite.failures, suite.errors) == (SEED, 2, 2, 0)
    dora, capture = list(suite)
    assert (dora.classname, dora.name) == (SEED, "0x6265ab6d fa:16:3e:d6:62:84 dora")
    assert dora.time == pytest.approx(0.040723)
    (failure,) = dora.result
    assert isinstance(failure, Failure)
    assert failure.type == "warning"
    assert failure.message == "DHC214 slow-offer: offer after 3.0 s (threshold 1.0 s)"
    assert failure.text.splitlines()[:3] == [
        "frames: 2, 1",
        "xid: 0x6265ab6d",
        f"client: {CLIENT}",
    ]
    assert dora.system_out == (
        "info DHC210 requested-option-missing: "
        "ack lacks requested options 119 (1 of 13 requested) (frames 4, 3)"
    )
    assert capture.name == "capture"
    assert [result.message for result in capture.result] == [
        "DHC401 multiple-servers: 2 servers competing on the local segment"
    ]


@pytest.mark.parametrize(
    ("fail_on", "failures", "output_lines"),
    [
        (Severity.ERROR, [], 3),
        (Severity.WARNING, [1, 1], 1),
        (Severity.INFO, [2, 1], 0),
    ],
)
def test_fail_on_splits_failures_from_output(
    fail_on: Severity, failures: list[int], output_lines: int
) -> None:
    root = ET.fromstring(junit_xml([_dora(SLOW, MISSING, SERVERS)], fail_on))
    cases = root.findall("testsuite/testcase")
    counted = [len(case.findall("failure")) for case in cases]
    assert [n for n in counted if n] == failures
    assert root.get("failures") == str(len(failures))
    lines = [
        line
        for out in root.iter("system-out")
        for line in (out.text or "").splitlines()
    ]
    assert len(lines) == output_lines


def test_a_failure_counts_its_case_once() -> None:
    broken = replace(MISSING, severity=Severity.ERROR)
    root = ET.fromstring(junit_xml([_dora(SLOW, broken)], Severity.WARNING))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    assert [f.get("type") for f in suite.iter("failure")] == ["warning", "error"]


def test_a_capture_with_nothing_in_it_passes_its_one_case() -> None:
    (suite,) = _parsed(junit_xml([CaptureResult("traces/empty.pcap")], Severity.INFO))
    assert (suite.tests, suite.failures, suite.time) == (1, 0, 0.0)
    (case,) = list(suite)
    assert (case.name, case.is_passed) == ("capture", True)


def test_captures_are_suites_in_order_of_path() -> None:
    later = CaptureResult("traces/b.pcap", (), (replace(SERVERS, source="b"),))
    earlier = CaptureResult("traces/a.pcap")
    root = ET.fromstring(junit_xml([later, earlier], Severity.WARNING))
    names = [suite.get("name") for suite in root.findall("testsuite")]
    assert names == ["traces/a.pcap", "traces/b.pcap"]
    assert (root.get("tests"), root.get("failures")) == ("2", "1")


def test_wire_text_and_odd_paths_stay_well_formed_xml() -> None:
    wire = replace(SLOW, message='nak: "x\x1b[2J\x00<b>&\ufffe\nnext"')
    capture = CaptureResult("traces/caf\udce9.pcap", (), (wire,))
    text = junit_xml([capture], Severity.INFO)
    assert "\x1b" not in text
    assert "\x00" not in text
    (failure,) = ET.fromstring(text).iter("failure")
    assert failure.get("message") == (
        'DHC214 slow-offer: nak: "x\\x1b[2J\\x00<b>&\\ufffe\\nnext"'
    )
    (suite,) = _parsed(text)
    assert suite.name == "traces/caf\\udce9.pcap"


def test_every_lab_capture_becomes_a_suite_a_reader_accepts() -> None:
    sources = sorted(glob("samples/lab/*.pcap"))
    captures = [_analyzed(source) for source in sources]
    document = _parsed(junit_xml(captures, Severity.WARNING))
    suites = list(document)
    assert [suite.name for suite in suites] == sources
    for capture, suite in zip(captures, suites, strict=True):
        assert suite.tests == len(capture.transactions) + 1
        failing = [f for f in capture.findings if f.severity >= Severity.WARNING]
        messages = sorted(r.message for case in suite for r in case.result)
        assert messages == sorted(f"{f.code} {f.name}: {f.message}" for f in failing)


def _analyzed(source: str) -> CaptureResult:
    analysis = Analysis(load_config(None), source)
    return capture_result(source, analysis.run(read_frames(source)))
