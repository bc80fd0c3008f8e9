import os
import re
import subprocess
from pathlib import Path
from random import Random

import pytest

from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.writer import write_pcap
from dhcpcheck.craft.fuzz import (
    LINKS,
    every_cut,
    fuzz_pcap,
    random_frames,
    random_option,
)
from dhcpcheck.craft.samples import openstack_dora_frames

STAMP = re.compile(rb"^\d+\.\d{6} ", re.MULTILINE)


def test_same_seed_same_capture() -> None:
    assert fuzz_pcap(7, 50) == fuzz_pcap(7, 50)
    assert fuzz_pcap(7, 50) != fuzz_pcap(8, 50)


def test_every_option_code_is_drawn() -> None:
    rng = Random(1)
    drawn = [random_option(rng, malformed=True) for _ in range(3000)]
    assert {option[0] for option in drawn} == set(range(256))
    assert any(len(option) != 2 + option[1] for option in drawn if len(option) > 1)


def test_malformed_frames_are_sometimes_cut() -> None:
    frames = random_frames(3, 200, LinkType.ETHERNET)
    assert [frame.number for frame in frames] == list(range(1, 201))
    assert any(len(frame.data) < frame.wirelen for frame in frames)


def tcpdump(path: Path) -> bytes:
    command = ["tcpdump", "-r", str(path), "-n", "-e", "-vvv", "-tt"]
    env = {**os.environ, "TZ": "UTC"}
    done = subprocess.run(command, capture_output=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_cut_of_a_frame(tmp_path: Path) -> None:
    data = openstack_dora_frames()[1].data
    frames = every_cut(data, LinkType.ETHERNET)
    assert [len(frame.data) for frame in frames] == list(range(1, len(data)))
    assert {frame.wirelen for frame in frames} == {len(data)}
    path = tmp_path / "cuts.pcap"
    with path.open("wb") as stream:
        write_pcap(stream, frames, LinkType.ETHERNET)
    text = tcpdump(path)
    assert len(STAMP.findall(text)) == len(data) - 1
    assert text.count(b"[|bootp]") > 300


@pytest.mark.parametrize("linktype", list(LINKS), ids=lambda link: link.name)
def test_tcpdump_reads_every_frame(tmp_path: Path, linktype: LinkType) -> None:
    path = tmp_path / "fuzz.pcap"
    path.write_bytes(fuzz_pcap(11, 300, linktype))
    text = tcpdump(path)
    assert len(STAMP.findall(text)) == 300
    for sign in [b"[udp sum ok]", b"[bad udp cksum", b"[no cksum]", b"[|bootp]"]:
        assert sign in text
