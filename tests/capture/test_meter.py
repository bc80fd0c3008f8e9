"""Progress through a capture file: bytes read against its size, told once
per read of the file, never per frame, and only for regular files."""

import gzip
import os
import random
import sys
from pathlib import Path

import pytest
from capture.capfiles import FRAME, Trickle, epb, idb, pcap_header, pcap_record, shb

from dhcpcheck.capture import CaptureError, Frame, read_frames
from dhcpcheck.capture.chunks import CHUNK_SIZE
from dhcpcheck.capture.meter import regular_size

RECORDS = 40_000  # 3.0 MiB of pcap, 3.9 MiB of pcapng: several chunks
PCAP = pcap_header() + b"".join(pcap_record(0, n, FRAME) for n in range(RECORDS))
PCAPNG = shb("<") + idb("<") + b"".join(epb("<", 0, n, FRAME) for n in range(RECORDS))

Told = list[tuple[int, int]]


def read_metered(path: str) -> tuple[int, Told]:
    """How many frames `path` holds, and what reading it told."""
    told: Told = []

    def tell(consumed: int, size: int) -> None:
        told.append((consumed, size))

    return sum(1 for _ in read_frames(path, None, tell)), told


@pytest.mark.parametrize("data", [PCAP, PCAPNG], ids=["pcap", "pcapng"])
def test_bytes_read_are_told_a_chunk_at_a_time(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "long.cap"
    path.write_bytes(data)
    count, told = read_metered(str(path))
    assert count == RECORDS
    assert {size for _, size in told} == {len(data)}
    read = [consumed for consumed, _ in told]
    assert read == sorted(read)
    assert read[-1] == len(data)
    assert len(told) <= len(data) // CHUNK_SIZE + 4  # one a chunk, not a frame


def test_gzip_is_measured_in_the_bytes_of_the_file(tmp_path: Path) -> None:
    # Random payloads so that the compressed file spans several reads.
    noise = random.Random(5).randbytes
    data = pcap_header() + b"".join(pcap_record(0, n, noise(300)) for n in range(4000))
    path = tmp_path / "long.pcap.gz"
    path.write_bytes(gzip.compress(data))
    count, told = read_metered(str(path))
    assert count == 4000
    packed = path.stat().st_size
    assert len(told) > 2
    assert {size for _, size in told} == {packed}
    assert told[-1] == (packed, packed)


def test_metering_changes_no_frame_and_no_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.pcap"
    path.write_bytes(PCAP[:-7])
    plain: list[Frame] = []
    with pytest.raises(CaptureError) as unmetered:
        plain.extend(read_frames(str(path)))
    metered: list[Frame] = []
    with pytest.raises(CaptureError) as told:
        metered.extend(read_frames(str(path), None, lambda *_: None))
    assert metered == plain
    assert len(plain) == told.value.frames_read == RECORDS - 1
    assert str(told.value) == str(unmetered.value)


class Stdin:
    """Stands in for sys.stdin: its buffer can read, and nothing else."""

    def __init__(self, data: bytes) -> None:
        self.buffer = Trickle(data, 4096)


def test_standard_input_is_never_metered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin(PCAP))
    assert read_metered("-") == (RECORDS, [])


def test_only_a_regular_file_has_a_size(tmp_path: Path) -> None:
    path = tmp_path / "capture.pcap"
    path.write_bytes(PCAP)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert regular_size(str(path)) == len(PCAP)
    with path.open("rb") as opened:
        assert regular_size(opened.fileno()) == len(PCAP)
    assert regular_size(str(fifo)) is None
    assert regular_size(str(tmp_path)) is None
    assert regular_size(str(tmp_path / "absent")) is None
