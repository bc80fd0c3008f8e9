"""The benchmarks stay runnable: generated captures are sound DHCP traffic,
and the comparison runs to its tables. Nothing here measures time."""

import subprocess
import sys
import time
from pathlib import Path

from benchmarks import compare, generate
from dhcpcheck.capture import read_frames
from dhcpcheck.decode.ip import ChecksumStatus
from dhcpcheck.decode.link import find_datagram, selects
from dhcpcheck.transactions.observe import observe

ROOT = Path(__file__).parent.parent


def test_generated_dhcp_is_sound_and_the_same_in_both_captures(tmp_path: Path) -> None:
    sizes = generate.TINY
    dhcp = generate.ensure_dhcp(tmp_path, sizes.dhcp, sizes.clients)
    mixed = generate.ensure_mixed(tmp_path, sizes.mixed, sizes.clients)
    alone = list(read_frames(str(dhcp)))
    inside = list(read_frames(str(mixed), selects))
    assert len(alone) == sizes.dhcp
    assert len(list(read_frames(str(mixed)))) == sizes.mixed
    assert [f.data for f in inside] == [f.data for f in alone[: len(inside)]]
    for frame in alone:
        found = find_datagram(frame.data, frame.linktype, frame.wirelen)
        seen = observe(frame)
        assert found is not None and seen is not None
        assert found.udp_checksum.status is ChecksumStatus.OK
        assert not seen.message.problems


def test_the_comparison_runs_and_prints_its_tables(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "benchmarks.compare", "--tiny", "--check"]
    command += ["--captures", str(tmp_path), "--skip", "pyshark"]
    command += ["--compiled", sys.executable]  # the same build twice, here
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "| dhcpcheck analyze --format jsonl (dhcp) | 500 |" in done.stdout
    assert "| dhcpcheck [compiled] show -e -vv (mixed) | 5,000 |" in done.stdout
    assert "pyshark" not in done.stdout
    assert "| DHCP frames | peak MB | seconds |" in done.stdout
    assert "- dhcpcheck 0.1.0, " in done.stdout
    assert "| --jobs 1 |" in done.stdout


def test_memory_is_summed_over_the_processes_of_a_command() -> None:
    sleepers = (
        "import subprocess, time; subprocess.Popen(['sleep', '2']); time.sleep(1)"
    )
    one = subprocess.Popen([sys.executable, "-c", sleepers])
    time.sleep(0.5)
    try:
        alone = compare.tree_pss_kb(one.pid)
        children = Path(f"/proc/{one.pid}/task/{one.pid}/children").read_text()
        (sleeper,) = map(int, children.split())
        assert alone > compare.tree_pss_kb(sleeper) > 0
    finally:
        one.wait()
    assert compare.tree_pss_kb(one.pid) == 0  # gone
