"""The benchmarks stay runnable: generated captures are sound DHCP traffic,
and the comparison runs to its tables. Nothing here measures time."""

import subprocess
import sys
from pathlib import Path

from benchmarks import generate
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
    command += ["--captures", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "| dhcpcheck analyze --format jsonl (dhcp) | 500 |" in done.stdout
    assert "| DHCP frames | peak RSS MB | seconds |" in done.stdout
    assert "| --jobs 1 |" in done.stdout
