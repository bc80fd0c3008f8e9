"""Differential test: dhcpcheck's text against the installed tcpdump, byte
for byte, on thousands of generated packets, well-formed and malformed
(hostile lengths, broken cookies, odd text, odd hardware), on several link
types, cut at every length, at every verbosity with and without -e.

Debian 12's tcpdump is 4.99.3, so this checks the default dialect; the 4.9.3
wording is held to its recorded corpus by test_corpus.py.
"""

import os
import subprocess
from io import BytesIO
from pathlib import Path

import pytest

from dhcpcheck.capture import LinkType
from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.writer import TimeResolution, write_pcap
from dhcpcheck.craft.fuzz import every_cut, random_frames
from dhcpcheck.craft.samples import openstack_dora_frames
from dhcpcheck.report.tcpdump import render
from dhcpcheck.report.tcpdump.settings import PrintSettings

BOOTP = "udp port 67 or udp port 68"
FLAGS = {
    "-n": PrintSettings(),
    "-n -v": PrintSettings(verbosity=1),
    "-n -vv": PrintSettings(verbosity=2),
    "-n -vvv": PrintSettings(verbosity=3),
    "-n -e": PrintSettings(link_header=True),
    "-n -e -vv": PrintSettings(link_header=True, verbosity=2),
    "-n -e -vvv": PrintSettings(link_header=True, verbosity=3),
}
# (link type, seed, frames): 3,500 random frames in all.
BATCHES = [
    (LinkType.ETHERNET, 1, 1500),
    (LinkType.ETHERNET, 2, 1000),
    (LinkType.LINUX_SLL, 3, 400),
    (LinkType.RAW, 4, 300),
    (LinkType.NULL, 5, 300),
]


def tcpdump_text(frames: list[Frame], linktype: LinkType, flags: str, tmp: Path) -> str:
    stream = BytesIO()
    write_pcap(stream, frames, linktype, TimeResolution.NANO)
    path = tmp / "frames.pcap"
    path.write_bytes(stream.getvalue())
    expression = BOOTP
    if linktype is LinkType.ETHERNET:
        expression = f"({BOOTP}) or (vlan and ({BOOTP}))"
    command = ["tcpdump", "-r", str(path), *flags.split(), expression]
    done = subprocess.run(
        command, capture_output=True, check=True, env={**os.environ, "TZ": "UTC"}
    )
    return done.stdout.decode("latin-1")


def first_difference(expected: str, actual: str) -> str:
    """The first packet whose text differs, both ways, for the failure message."""
    for ours, theirs in zip(actual.split("\n"), expected.split("\n"), strict=False):
        if ours != theirs:
            return f"\ntcpdump:   {theirs!r}\ndhcpcheck: {ours!r}"
    return f"\nlengths differ: tcpdump {len(expected)}, dhcpcheck {len(actual)}"


def compare(frames: list[Frame], linktype: LinkType, flags: str, tmp: Path) -> None:
    expected = tcpdump_text(frames, linktype, flags, tmp)
    actual = "".join(render(frames, FLAGS[flags])).encode().decode("latin-1")
    assert actual == expected, first_difference(expected, actual)


@pytest.mark.parametrize("flags", FLAGS)
@pytest.mark.parametrize(
    ("linktype", "seed", "count"),
    BATCHES,
    ids=[f"{link.name.lower()}-{seed}" for link, seed, _ in BATCHES],
)
def test_random_packets(
    linktype: LinkType, seed: int, count: int, flags: str, tmp_path: Path, utc: None
) -> None:
    compare(random_frames(seed, count, linktype), linktype, flags, tmp_path)


@pytest.mark.parametrize("flags", FLAGS)
@pytest.mark.parametrize(
    "packet", range(4), ids=["discover", "offer", "request", "ack"]
)
def test_every_cut_of_the_seed_exchange(
    packet: int, flags: str, tmp_path: Path, utc: None
) -> None:
    whole = openstack_dora_frames()[packet].data
    frames = every_cut(whole, LinkType.ETHERNET)
    compare(frames, LinkType.ETHERNET, flags, tmp_path)
