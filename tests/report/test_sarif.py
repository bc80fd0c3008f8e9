"""SARIF logs of `lint`: pinned fields, stable fingerprints, the official schema."""

import json
from collections.abc import Iterable
from dataclasses import replace
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for

from dhcpcheck.capture import read_frames
from dhcpcheck.config import load_config
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.sarif import (
    CaptureResult,
    artifact_uri,
    capture_result,
    finding_order,
    fingerprints,
    sarif_log,
)
from dhcpcheck.rules import registry
from dhcpcheck.rules.base import Finding, Hit, Rule, Settings, Severity, TransactionRule
from dhcpcheck.transactions.model import Transaction

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data/schemas/sarif-schema-2.1.0.json").read_text()
)
VALIDATOR = validator_for(SCHEMA)(SCHEMA)  # draft-04, as the schema declares
CAPTURE = "traces/lab.pcap"
OTHER = "traces/edge.pcap"
CLIENT = "fa:16:3e:d6:62:84"
START = 1623162713.0  # 2021-06-08 14:31:53 UTC


def _nothing(txn: Transaction, settings: Settings) -> Iterable[Hit]:
    return ()


SLOW = TransactionRule(
    code="DHC214",
    name="slow-offer",
    severity=Severity.WARNING,
    summary="offer later than a threshold",
    doc="""slow-offer: the server took too long.

    Failing example

        DISCOVER ... 3 s ... OFFER
    """,
    check=_nothing,
)
NAK = replace(SLOW, code="DHC203", name="nak", summary="a request refused")
SERVERS = replace(SLOW, code="DHC401", name="multiple-servers", summary="servers")
RULES = (NAK, SLOW, SERVERS)
LATE = Finding(
    code="DHC214",
    name="slow-offer",
    severity=Severity.ERROR,  # configured above the rule's default
    message="offer after 3.0 s (threshold 1.0 s)",
    source=CAPTURE,
    frames=(4, 3),
    xid=0x6265AB6D,
    client=CLIENT,
    server=IPv4Address("192.0.2.1"),
    time=START,
)
REFUSED = Finding(
    code="DHC203",
    name="nak",
    severity=Severity.WARNING,
    message='nak to selecting request: "x\x1b[2J\n::error ::pwned"',
    source=CAPTURE,
    frames=(6, 5),
    xid=0x6265AB6D,
    client=CLIENT,
    option=56,
    time=START + 1,
)
WIDE = Finding(
    code="DHC401",
    name="multiple-servers",
    severity=Severity.INFO,
    message="2 servers competing on the local segment",
    source=OTHER,
)


def _log(*captures: CaptureResult, rules: tuple[Rule, ...] = RULES) -> Any:
    """The log of `captures`, checked against the official schema."""
    log = sarif_log(captures, rules, "0.1.0")
    VALIDATOR.validate(log)
    return log


def _results(log: Any) -> list[Any]:
    results: list[Any] = log["runs"][0]["results"]
    return results


def test_a_finding_becomes_a_result_with_every_field_pinned() -> None:
    (result,) = _results(_log(CaptureResult(CAPTURE, (), (LATE,))))
    assert result == {
        "ruleId": "DHC214",
        "ruleIndex": 1,
        "level": "error",
        "message": {"text": "offer after 3.0 s (threshold 1.0 s)"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": CAPTURE, "index": 0},
                    "region": {"startLine": 4},
                }
            }
        ],
        "partialFingerprints": {"dhcpcheck/v1": "5fe97a27cd8d42bcff43a635e56d47cc:1"},
        "properties": {
            "frames": [4, 3],
            "xid": "0x6265ab6d",
            "client": CLIENT,
            "server": "192.0.2.1",
            "time": "2021-06-08T14:31:53.000000Z",
        },
    }


def test_the_driver_lists_the_rules_with_their_manuals() -> None:
    run = _log()["runs"][0]
    assert run["tool"] == {
        "driver": {
            "name": "dhcpcheck",
            "version": "0.1.0",
            "rules": [
                {
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "fullDescription": {"text": MANUAL},
                    "help": {"text": MANUAL},
                    "defaultConfiguration": {"level": "warning"},
                    "properties": {"scope": "transaction"},
                }
                for rule in RULES
            ],
        }
    }
    assert run["results"] == []
    assert run["properties"] == {
        "frames": "region.startLine is the frame number in the capture, from 1"
    }


MANUAL = """slow-offer: the server took too long.

Failing example

    DISCOVER ... 3 s ... OFFER"""


@pytest.mark.parametrize(
    ("severity", "level"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "note")],
)
def test_levels_follow_the_configured_severity(severity: Severity, level: str) -> None:
    found = replace(LATE, severity=severity)
    log = _log(CaptureResult(CAPTURE, (), (found,)), rules=(SLOW,))
    assert _results(log)[0]["level"] == level
    descriptor = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert descriptor["defaultConfiguration"] == {"level": "warning"}


def test_a_finding_with_no_frame_has_no_region() -> None:
    (result,) = _results(_log(CaptureResult(OTHER, (), (WIDE,))))
    assert result["locations"] == [
        {"physicalLocation": {"artifactLocation": {"uri": OTHER, "index": 0}}}
    ]
    assert result["level"] == "note"
    assert result["properties"] == {}


def test_results_are_sorted_by_capture_frame_and_code() -> None:
    log = _log(
        CaptureResult(CAPTURE, (), (REFUSED, LATE)),
        CaptureResult(OTHER, (), (WIDE,)),
    )
    artifacts = log["runs"][0]["artifacts"]
    assert artifacts == [{"location": {"uri": OTHER}}, {"location": {"uri": CAPTURE}}]
    where = [
        (result["ruleId"], result["locations"][0]["physicalLocation"])
        for result in _results(log)
    ]
    assert where == [
        ("DHC401", {"artifactLocation": {"uri": OTHER, "index": 0}}),
        ("DHC214", _at(CAPTURE, 1, 4)),
        ("DHC203", _at(CAPTURE, 1, 6)),
    ]


def _at(uri: str, index: int, frame: int) -> dict[str, object]:
    return {
        "artifactLocation": {"uri": uri, "index": index},
        "region": {"startLine": frame},
    }


def test_wire_text_is_escaped_and_no_escape_byte_is_written() -> None:
    log = _log(CaptureResult(CAPTURE, (), (REFUSED,)))
    text = json.dumps(log, ensure_ascii=False)
    assert "\x1b" not in text
    assert _results(log)[0]["message"] == {
        "text": 'nak to selecting request: "x\\x1b[2J\\n::error ::pwned"'
    }


def test_fingerprints_ignore_frames_times_and_wording() -> None:
    moved = replace(LATE, frames=(40, 30), time=START + 600, message="offer after 9 s")
    assert fingerprints([moved]) == fingerprints([LATE])


@pytest.mark.parametrize(
    "other",
    [
        replace(LATE, client="02:00:00:00:00:0a"),
        replace(LATE, xid=0x1),
        replace(LATE, code="DHC213"),
        replace(LATE, server=IPv4Address("192.0.2.2")),
        replace(LATE, option=61),
    ],
)
def test_fingerprints_tell_apart_what_the_finding_is_about(other: Finding) -> None:
    assert fingerprints([other]) != fingerprints([LATE])


def test_alike_findings_are_numbered_in_their_capture() -> None:
    again = replace(LATE, frames=(8, 7))
    elsewhere = replace(LATE, source=OTHER)
    marks = fingerprints([LATE, again, elsewhere])
    digest = marks[0].removesuffix(":1")
    assert marks == [f"{digest}:1", f"{digest}:2", f"{digest}:1"]


@pytest.mark.parametrize(
    ("source", "uri"),
    [
        ("traces/lab.pcap", "traces/lab.pcap"),
        ("./traces/a b#1.pcap", "traces/a%20b%231.pcap"),
        ("/srv/traces/lab.pcap", "file:///srv/traces/lab.pcap"),
        ("traces/caf\udce9.pcap", "traces/caf%E9.pcap"),  # a Latin-1 file name
    ],
)
def test_capture_paths_become_uri_references(source: str, uri: str) -> None:
    assert artifact_uri(source) == uri


@pytest.mark.parametrize(
    "sources",
    [
        ["samples/lab/two-servers.pcap"],
        ["samples/lab/two-servers-nak.pcap", "samples/lab/nak.pcap"],
        ["samples/openstack-dora.pcap", "samples/lab/dora-dnsmasq-udhcpc.pcap"],
    ],
)
def test_real_captures_give_a_valid_log(sources: list[str]) -> None:
    captures = [_analyzed(source) for source in sources]
    log = _log(*captures, rules=registry.ALL)
    findings = sorted(
        (finding for capture in captures for finding in capture.findings),
        key=finding_order,
    )
    results = _results(log)
    assert findings, "each of these captures has findings"
    assert [result["ruleId"] for result in results] == [f.code for f in findings]
    for finding, result in zip(findings, results, strict=True):
        _assert_result_of(finding, result)
    prints = [result["partialFingerprints"] for result in results]
    assert len({json.dumps(mark) for mark in prints}) == len(prints)


def _analyzed(source: str) -> CaptureResult:
    analysis = Analysis(load_config(None), source)
    return capture_result(source, analysis.run(read_frames(source)))


def _assert_result_of(finding: Finding, result: Any) -> None:
    assert registry.ALL[result["ruleIndex"]].code == finding.code
    assert result["message"]["text"] == finding.message
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == finding.source
    if finding.frames:
        assert location["region"] == {"startLine": finding.frames[0]}
        assert result["properties"]["frames"] == list(finding.frames)
    else:
        assert "region" not in location
    assert result["level"] == {3: "error", 2: "warning", 1: "note"}[finding.severity]


def test_the_schema_check_is_not_vacuous() -> None:
    log = _log(CaptureResult(CAPTURE, (), (LATE,)))
    _results(log)[0]["level"] = "fatal"
    assert not VALIDATOR.is_valid(log)
