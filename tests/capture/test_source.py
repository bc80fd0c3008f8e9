import gzip
import io
import struct
import subprocess
import sys
import tracemalloc
from collections import defaultdict
from pathlib import Path

import pytest
from capture.capfiles import (
    FRAME,
    MODIFIED_MAGIC,
    Trickle,
    epb,
    idb,
    obsolete_pb,
    pcap_header,
    pcap_record,
    read_all,
    read_error,
    shb,
    spb,
    tsoffset,
    tsresol,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from dhcpcheck.capture import CaptureError, Frame, LinkType, read_frames, read_stream

DATA = Path(__file__).parent.parent / "data"
PCAP = pcap_header() + b"".join(pcap_record(0, n, FRAME) for n in range(1, 4))
PCAPNG = shb(">") + idb(">") + b"".join(epb(">", 0, n, FRAME) for n in range(1, 4))


def frames_of(path: Path) -> list[Frame]:
    return list(read_frames(str(path)))


@pytest.mark.parametrize("data", [PCAP, PCAPNG], ids=["pcap", "pcapng"])
def test_format_comes_from_content_not_name(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "capture.txt"
    path.write_bytes(data)
    assert len(frames_of(path)) == 3


@pytest.mark.parametrize("data", [PCAP, PCAPNG], ids=["pcap", "pcapng"])
def test_gzip_is_undone_whatever_the_name(tmp_path: Path, data: bytes) -> None:
    plain, packed = tmp_path / "plain", tmp_path / "packed.pcap"
    plain.write_bytes(data)
    packed.write_bytes(gzip.compress(data))
    assert frames_of(packed) == frames_of(plain)


@pytest.mark.parametrize("data", [PCAP, gzip.compress(PCAPNG)], ids=["plain", "gzip"])
def test_standard_input_is_read_as_a_pipe(data: bytes) -> None:
    script = (
        "from dhcpcheck.capture import read_frames\n"
        "for f in read_frames('-'): print(f.number, f.ts_sec, f.ts_nsec, len(f.data))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=data, capture_output=True, check=True
    )
    assert done.stdout.decode().splitlines() == [f"{n} 0 {n}000 60" for n in (1, 2, 3)]


class Stdin:
    """Stands in for sys.stdin: its buffer can read, and nothing else."""

    def __init__(self, data: bytes) -> None:
        self.buffer = Trickle(data, 7)


def test_standard_input_is_never_seeked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin(gzip.compress(PCAP)))
    assert [frame.number for frame in read_frames("-")] == [1, 2, 3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\xd4\xc3", "not a pcap or pcapng file (starts with 0xd4c3)"),
        (b"GIF89a...", "not a pcap or pcapng file (starts with 0x47494638)"),
        (gzip.compress(b""), "empty file inside the gzip data"),
        (
            gzip.compress(b"hello"),
            "not a pcap or pcapng file inside the gzip data (starts with 0x68656c6c)",
        ),
    ],
)
def test_what_is_not_a_capture_says_so(data: bytes, message: str) -> None:
    assert read_error(data) == message


def test_cut_gzip_data_gives_the_frames_before_the_cut() -> None:
    data = pcap_header() + pcap_record(0, 0, FRAME) * 20000
    packed = gzip.compress(data, mtime=0)
    frames, error = read_all(packed[: len(packed) - 100])
    assert str(error) == "gzip data ends early"
    assert 0 < len(frames) < 20000


def test_damaged_gzip_data_is_a_capture_error() -> None:
    packed = bytearray(gzip.compress(PCAP))
    packed[-8] ^= 0xFF  # the CRC-32 of the uncompressed data
    assert read_error(bytes(packed)).startswith("bad gzip data: CRC check failed")
    packed[12:20] = b"\xff" * 8  # the deflate stream itself
    assert read_error(bytes(packed)).startswith("bad gzip data: ")


def test_unopenable_path_is_a_capture_error(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match=r"^No such file or directory$"):
        frames_of(tmp_path / "absent.pcap")
    with pytest.raises(CaptureError, match=r"^Is a directory$"):
        frames_of(tmp_path)


def test_error_after_frames_counts_them(tmp_path: Path) -> None:
    path = tmp_path / "cut.pcap"
    path.write_bytes(PCAP[:-1])
    frames = []
    with pytest.raises(CaptureError) as caught:
        frames.extend(read_frames(str(path)))
    assert str(caught.value) == "truncated record 3: 59 of 60 captured bytes"
    assert caught.value.frames_read == len(frames) == 2


def corpus_times() -> dict[str, list[str]]:
    """What tcpdump printed for the corpus, precomputed (see the file's head)."""
    times: dict[str, list[str]] = defaultdict(list)
    for line in (DATA / "capture" / "corpus-times.tsv").read_text().splitlines():
        if not line.startswith("#"):
            name, stamp = line.split("\t")
            times[name].append(stamp)
    return times


CORPUS = sorted(
    path.relative_to(DATA / "corpus").as_posix()
    for folder in ("tcpdump", "synthetic")
    for path in (DATA / "corpus" / folder).glob("*.pcap*")
)


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_frames_and_times_match_tcpdump(name: str) -> None:
    frames = frames_of(DATA / "corpus" / name)
    assert [f"{f.ts_sec}.{f.ts_nsec:09d}" for f in frames] == corpus_times()[name]
    assert all(frame.linktype is LinkType.ETHERNET for frame in frames)


SEEDS = [
    PCAP,
    pcap_header(">", MODIFIED_MAGIC) + pcap_record(1, 2, FRAME, ">", extra=bytes(8)),
    PCAPNG
    + shb("<")
    + idb("<", 1, 30, tsresol("<", 0x80 | 20) + tsoffset("<", -5))
    + spb("<", b"abc")
    + obsolete_pb("<", 0, 1, b"xy"),
]


@settings(max_examples=500, deadline=None)
@given(
    seed=st.sampled_from(SEEDS),
    edits=st.lists(st.tuples(st.integers(0, 200), st.binary(min_size=1, max_size=4))),
    packed=st.booleans(),
)
def test_damaged_captures_raise_nothing_but_capture_error(
    seed: bytes, edits: list[tuple[int, bytes]], packed: bool
) -> None:
    data = bytearray(seed)
    for offset, replacement in edits:
        data[offset : offset + len(replacement)] = replacement
    frames, _ = read_all(gzip.compress(data) if packed else bytes(data))
    assert [frame.number for frame in frames] == list(range(1, len(frames) + 1))


def test_a_lying_record_length_allocates_no_more_than_a_chunk() -> None:
    header = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 16 * 2**20, 1)
    record = struct.pack("<IIII", 0, 0, 16 * 2**20 - 1, 16 * 2**20 - 1)
    tracemalloc.start()
    with pytest.raises(CaptureError, match="truncated record 1"):
        list(read_stream(io.BufferedReader(io.BytesIO(header + record + b"x"))))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 4 * 2**20


def numbered(count: int) -> list[bytes]:
    """FRAME with its last byte set to 1, 2, ... count, to tell them apart."""
    return [FRAME[:-1] + bytes([number]) for number in range(1, count + 1)]


def odd_only(buffer: bytes, start: int, stop: int, linktype: int) -> bool:
    assert linktype == LinkType.ETHERNET
    return buffer[stop - 1] % 2 == 1


@pytest.mark.parametrize("pcapng", [False, True])
def test_select_skips_frames_but_not_their_numbers(pcapng: bool) -> None:
    data = numbered(5)
    if pcapng:
        capture = shb("<") + idb("<") + b"".join(epb("<", 0, 0, d) for d in data)
    else:
        capture = pcap_header() + b"".join(pcap_record(0, 0, d) for d in data)
    frames = list(read_stream(io.BytesIO(capture), odd_only))
    assert [frame.number for frame in frames] == [1, 3, 5]
    assert [frame.data for frame in frames] == data[::2]


def test_select_sees_the_frame_as_cut_to_the_snap_length() -> None:
    capture = pcap_header(snaplen=20) + pcap_record(0, 0, FRAME)
    shown: list[bytes] = []

    def keep(buffer: bytes, start: int, stop: int, linktype: int) -> bool:
        shown.append(buffer[start:stop])
        return True

    (frame,) = read_stream(io.BytesIO(capture), keep)
    assert shown == [frame.data] == [FRAME[:20]]


@pytest.mark.parametrize("pcapng", [False, True])
def test_frames_skipped_before_an_error_count_as_read(pcapng: bool) -> None:
    if pcapng:
        whole = shb("<") + idb("<") + b"".join(epb("<", 0, 0, FRAME) for _ in "abc")
    else:
        whole = pcap_header() + b"".join(pcap_record(0, 0, FRAME) for _ in "abc")
    with pytest.raises(CaptureError) as caught:
        list(read_stream(io.BytesIO(whole[:-1]), lambda *_: False))
    assert caught.value.frames_read == 2
