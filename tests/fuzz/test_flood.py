"""A DHCP starvation attack: half a million DISCOVERs from random chaddrs.

The capture is analyzed in a child process whose resident memory is watched
(/proc) and capped: past the bound the child is killed, so a regression
fails in seconds instead of filling the machine. Nothing here asserts wall
time; the linearity test compares CPU time of two sizes.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fuzz.flood import write_flood

from dhcpcheck.capture import read_frames
from dhcpcheck.config import load_config
from dhcpcheck.pipeline import Analysis

FLOOD = 500_000
RSS_LIMIT = 300 << 20  # bytes
POLL = 0.1  # seconds between two looks at the child's memory


def _rss(pid: int) -> int:
    """The resident set of process ``pid`` in bytes, 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), "")
    return int(line.split()[1]) * 1024 if line else 0


def run_capped(argv: list[str], output: Path) -> tuple[int, int]:
    """Run ``argv``, stdout to ``output`` and stderr beside it; return the
    exit status and the peak RSS in bytes.

    The child is killed (status -SIGKILL) as soon as it exceeds RSS_LIMIT.
    """
    errors = output.with_suffix(".stderr")
    with output.open("wb") as sink, errors.open("wb") as complaints:
        child = subprocess.Popen(argv, stdout=sink, stderr=complaints)
    peak = 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, max(peak, usage.ru_maxrss * 1024)
        peak = max(peak, _rss(child.pid))
        if peak > RSS_LIMIT:
            child.send_signal(signal.SIGKILL)
        time.sleep(POLL)


@pytest.mark.slow
def test_a_starvation_flood_is_analyzed_in_bounded_memory(tmp_path: Path) -> None:
    capture, output = tmp_path / "flood.pcap", tmp_path / "flood.jsonl"
    write_flood(capture, FLOOD)
    argv = [sys.executable, "-m", "dhcpcheck", "analyze", "--format", "jsonl"]
    status, peak = run_capped([*argv, str(capture)], output)
    assert peak < RSS_LIMIT, f"peak RSS {peak >> 20} MiB"
    assert status == 0  # warnings only: below the default --fail-on error
    text = output.read_text()
    assert '"name":"discover-flood"' in text
    assert '"messages":500000' in text


def test_a_flood_past_max_open_reports_tracker_overflow(tmp_path: Path) -> None:
    capture, output = tmp_path / "flood.pcap", tmp_path / "flood.jsonl"
    write_flood(capture, 30_000)
    config = tmp_path / "dhcpcheck.toml"
    config.write_text("max-open = 1000\n")
    argv = [sys.executable, "-m", "dhcpcheck", "analyze", "--format", "jsonl"]
    status, _ = run_capped([*argv, "--config", str(config), str(capture)], output)
    text = output.read_text()
    assert status == 0
    assert text.count('"name":"tracker-overflow"') == 1
    assert text.count('"name":"discover-flood"') == 1
    assert '"evicted":29000' in text


def _cpu_seconds(path: Path) -> float:
    analysis = Analysis(load_config(None), str(path))
    start = time.process_time()
    for _ in analysis.run(read_frames(str(path))):
        pass
    return time.process_time() - start


@pytest.mark.slow
def test_flood_analysis_time_grows_linearly(tmp_path: Path) -> None:
    """Four times the DISCOVERs cost about four times the CPU, not sixteen."""
    small, large = tmp_path / "small.pcap", tmp_path / "large.pcap"
    write_flood(small, 25_000)
    write_flood(large, 100_000)
    ratio = _cpu_seconds(large) / _cpu_seconds(small)
    assert ratio < 8, f"100,000 DISCOVERs took {ratio:.1f} times 25,000"
