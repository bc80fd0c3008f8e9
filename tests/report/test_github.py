"""GitHub workflow commands of `lint`: exact lines, and escaping that holds."""

import re
from dataclasses import replace
from ipaddress import IPv4Address

import pytest

from dhcpcheck.capture import read_frames
from dhcpcheck.config import load_config
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.github import (
    annotation,
    escape_data,
    escape_property,
    github_annotations,
)
from dhcpcheck.rules.base import Finding, Severity

CAPTURE = "traces/lab.pcap"
SLOW = Finding(
    code="DHC214",
    name="slow-offer",
    severity=Severity.WARNING,
    message="offer after 3.0 s (threshold 1.0 s)",
    source=CAPTURE,
    frames=(4, 3),
    xid=0x6265AB6D,
    client="fa:16:3e:d6:62:84",
    server=IPv4Address("192.0.2.1"),
)
REFUSED = replace(
    SLOW,
    code="DHC205",
    name="reply-from-unselected-server",
    severity=Severity.ERROR,
    message="nak from 192.0.2.1 (request selected 192.0.2.2)",
    frames=(6, 3),
)
WIDE = Finding(
    code="DHC401",
    name="multiple-servers",
    severity=Severity.INFO,
    message="2 servers competing on the local segment (expected 1)",
    source="traces/edge.pcap",
)
COMMAND = re.compile(r"::(error|warning|notice) ([^:]*)::(.*)")


def test_each_severity_has_its_command_and_lines_are_sorted() -> None:
    assert list(github_annotations([REFUSED, WIDE, SLOW])) == [
        "::notice file=traces/edge.pcap,title=DHC401 multiple-servers::"
        "2 servers competing on the local segment (expected 1)",
        "::warning file=traces/lab.pcap,line=4,title=DHC214 slow-offer::"
        "offer after 3.0 s (threshold 1.0 s)",
        "::error file=traces/lab.pcap,line=6,"
        "title=DHC205 reply-from-unselected-server::"
        "nak from 192.0.2.1 (request selected 192.0.2.2)",
    ]


def test_a_hostname_cannot_inject_a_command() -> None:
    evil = replace(SLOW, message='nak: "pc\n::error ::pwned\r\n::stop-commands::x"')
    (line,) = github_annotations([evil])
    assert "\n" not in line
    assert "\r" not in line
    assert line.startswith("::warning file=traces/lab.pcap,line=4,")
    head, data = line.split("::", 2)[1:]
    assert head == "warning file=traces/lab.pcap,line=4,title=DHC214 slow-offer"
    assert data == 'nak: "pc\\n::error ::pwned\\r\\n::stop-commands::x"'


def test_properties_cannot_be_split_or_ended_by_a_path() -> None:
    odd = replace(SLOW, source="traces/a,line=1::b%.pcap")
    match = COMMAND.fullmatch(annotation(odd))
    assert match is not None
    assert match.group(2).split(",") == [
        "file=traces/a%2Cline=1%3A%3Ab%25.pcap",
        "line=4",
        "title=DHC214 slow-offer",
    ]


def test_no_escape_byte_reaches_the_log() -> None:
    coloured = replace(SLOW, message="name \x1b[31mred\x1b[0m", source="t\x1b.pcap")
    line = annotation(coloured)
    assert "\x1b" not in line
    assert line == (
        "::warning file=t\\x1b.pcap,line=4,title=DHC214 slow-offer::"
        "name \\x1b[31mred\\x1b[0m"
    )


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("%0A", "%250A", "%250A"),  # an escape in the text stays text
    ],
)
def test_the_runner_escapes(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_a_real_capture_gives_one_well_formed_command_per_finding() -> None:
    source = "samples/lab/two-servers-nak.pcap"
    analysis = Analysis(load_config(None), source)
    findings = [e for e in analysis.run(read_frames(source)) if isinstance(e, Finding)]
    lines = list(github_annotations(findings))
    assert len(lines) == len(findings) > 0
    frames = []
    for line in lines:
        match = COMMAND.fullmatch(line)
        assert match is not None, line
        properties = dict(item.split("=", 1) for item in match.group(2).split(","))
        assert properties["file"] == source
        frames.append(int(properties["line"]))
    assert frames == sorted(frames)
