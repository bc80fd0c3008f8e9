"""Analysis: frames skipped by the reader still count, and a streaming
analysis finds what a whole one finds."""

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from dhcpcheck.capture import read_frames
from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.writer import write_pcap
from dhcpcheck.config import load_config
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import IPv4, ipv4_packet
from dhcpcheck.craft.link import ethernet
from dhcpcheck.craft.samples import openstack_dora_frames
from dhcpcheck.pipeline import Analysis, Event
from dhcpcheck.report.records import line_record, summary_line
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.transactions.model import Kind, Outcome, Transaction

SAMPLES = Path(__file__).parent.parent / "samples"


def mixed(tmp_path: Path) -> str:
    """The sample DORA with three TCP frames around each message."""
    tcp = ethernet(ipv4_packet(IPv4(proto=6), bytes(40)), src="02:00:00:00:00:01")
    frames: list[Frame] = []
    for dhcp in openstack_dora_frames():
        stamp = dhcp.ts_sec * 10**9 + dhcp.ts_nsec
        frames += [captured(0, stamp, LinkType.ETHERNET, tcp) for _ in range(3)]
        frames.append(dhcp)
    stream = io.BytesIO()
    write_pcap(stream, frames, LinkType.ETHERNET)
    path = tmp_path / "mixed.pcap"
    path.write_bytes(stream.getvalue())
    return str(path)


def lines(path: str, select: bool, streaming: bool = False) -> list[object]:
    """Every jsonl line of `path`, the summary last."""
    analysis = Analysis(load_config(None), path, streaming)
    frames = read_frames(path, analysis.select if select else None)
    found: list[object] = [line_record(event) for event in analysis.run(frames)]
    return [*found, summary_line([analysis])]


def test_frames_the_reader_skips_still_count(tmp_path: Path) -> None:
    path = mixed(tmp_path)
    assert lines(path, select=True) == lines(path, select=False)
    summary = lines(path, select=True)[-1]
    assert isinstance(summary, dict)
    assert summary["total"]["frames"] == 16
    assert summary["total"]["messages"] == 4


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("lab/*.pcap")))
def test_streaming_finds_the_same(name: str) -> None:
    path = str(SAMPLES / "lab" / name)
    assert lines(path, True, streaming=True) == lines(path, False)


def test_findings_are_counted_by_severity() -> None:
    path = str(SAMPLES / "lab" / "two-servers-nak.pcap")
    analysis = Analysis(load_config(None), path)
    events: list[Event] = list(analysis.run(read_frames(path)))
    counted = summary_line([analysis])
    given = summary_line([analysis], [e for e in events if isinstance(e, Finding)])
    assert counted == given
    assert sum(analysis.severities.values()) > 0


def dora_then_quiet(quiet: float) -> tuple[Analysis, list[Event], list[Event]]:
    """Kea's DORA of two-servers.pcap, then `tick` at ``quiet`` seconds after
    its ACK; the events `tick` yielded, and those `run` yielded."""
    path = str(SAMPLES / "lab" / "two-servers.pcap")
    analysis = Analysis(load_config(None), path, streaming=True)
    ticked: list[Event] = []

    def frames() -> Iterator[Frame]:
        yield from list(read_frames(path))[:4]
        assert analysis.last is not None
        ticked.extend(analysis.tick(analysis.last + quiet))

    ran = list(analysis.run(frames()))
    return analysis, ticked, ran


def test_tick_closes_idle_transactions_with_their_findings() -> None:
    analysis, ticked, ran = dora_then_quiet(66.0)
    assert ran == []
    txn, *findings = ticked
    assert isinstance(txn, Transaction)
    assert (txn.kind, txn.outcome) == (Kind.DORA, Outcome.BOUND)
    assert [f.name for f in findings if isinstance(f, Finding)] == [
        "requested-option-missing"
    ]
    _, _, unticked = dora_then_quiet(0.0)
    assert [line_record(e) for e in ticked] == [line_record(e) for e in unticked]
    assert analysis.outcomes == {Outcome.BOUND: 1}
    assert analysis.severities == {Severity.INFO: 1}
    assert analysis.tracker.open_count == 0


def test_tick_within_the_idle_timeout_closes_nothing() -> None:
    analysis, ticked, ran = dora_then_quiet(65.0)
    assert ticked == []
    assert [e.outcome for e in ran if isinstance(e, Transaction)] == [Outcome.BOUND]
    assert analysis.outcomes == {Outcome.BOUND: 1}
