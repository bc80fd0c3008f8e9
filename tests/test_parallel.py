"""lint_captures: captures linted in worker processes come back in order,
with what a lint in one process would report."""

import io
import json
import os
import sys
import threading
from pathlib import Path

import pytest

from dhcpcheck import __version__
from dhcpcheck.capture import read_frames
from dhcpcheck.config import load_config
from dhcpcheck.parallel import lint_captures
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.junit import junit_xml
from dhcpcheck.report.records import document, finding_record
from dhcpcheck.report.sarif import CaptureResult, capture_result, sarif_log
from dhcpcheck.rules import registry
from dhcpcheck.rules.base import Severity

SAMPLES = Path(__file__).parent.parent / "samples"
CAPTURES = sorted(str(path) for path in SAMPLES.glob("**/*.pcap"))


def reports(results: list[CaptureResult]) -> tuple[object, ...]:
    """What lint writes from the results, in three of its formats."""
    findings = [finding for result in results for finding in result.findings]
    transactions = [txn for result in results for txn in result.transactions]
    return (
        json.dumps(sarif_log(results, registry.ALL, __version__)),
        junit_xml(results, Severity.ERROR),
        json.dumps(document([], transactions, findings)),
        [finding_record(finding) for finding in findings],
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_report_what_one_process_reports(jobs: int) -> None:
    config = load_config(None)
    alone = [
        capture_result(path, Analysis(config, path).run(read_frames(path)))
        for path in CAPTURES
    ]
    linted = lint_captures(CAPTURES, config, jobs)
    assert [each.result.source for each in linted] == CAPTURES
    assert reports([each.result for each in linted]) == reports(alone)
    assert all(each.error is None and not each.unreadable for each in linted)


def test_read_errors_come_back_with_the_results(tmp_path: Path) -> None:
    whole = (SAMPLES / "openstack-dora.pcap").read_bytes()
    cut, empty = tmp_path / "cut.pcap", tmp_path / "empty.pcap"
    cut.write_bytes(whole[:-10])
    empty.write_bytes(b"")
    good = str(SAMPLES / "openstack-dora.pcap")
    paths = [str(cut), good, str(empty)]
    linted = lint_captures(paths, load_config(None), jobs=2)
    assert [(each.error, each.unreadable) for each in linted] == [
        ("truncated record 4: 375 of 385 captured bytes", False),
        (None, False),
        ("empty file", True),
    ]
    assert len(linted[0].result.transactions) == 1


def test_standard_input_is_read_here(monkeypatch: pytest.MonkeyPatch) -> None:
    dora = (SAMPLES / "openstack-dora.pcap").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(dora)))
    good = str(SAMPLES / "lab" / "nak.pcap")
    linted = lint_captures(["-", good], load_config(None), jobs=2)
    assert [each.result.source for each in linted] == ["-", good]
    assert len(linted[0].result.transactions) == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_done_is_called_here_as_each_capture_is_linted(
    jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    dora = (SAMPLES / "openstack-dora.pcap").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(dora)))
    callers: list[tuple[int, int]] = []

    def done() -> None:
        callers.append((os.getpid(), threading.get_ident()))

    paths = [*CAPTURES, "-"]
    linted = lint_captures(paths, load_config(None), jobs, done)
    assert [each.result.source for each in linted] == paths
    assert callers == [(os.getpid(), threading.get_ident())] * len(paths)
