"""Lengths read from a file are checked before anything is allocated for them.

Every length field of pcap and pcapng is set to lies up to 2**32-1 in an
otherwise small file, read from disk as the CLI reads it. The reader must
end with one CaptureError naming the record or block, and its memory peak
(tracemalloc) must stay near the chunk it reads files in, not the claim.
"""

import gzip
import struct
import tracemalloc
from pathlib import Path

import pytest
from capture.capfiles import FRAME, block, epb, idb, option, pcap_header, pcap_record
from capture.capfiles import shb as section_header

from dhcpcheck.capture import CaptureError, read_frames
from dhcpcheck.capture.chunks import CHUNK_SIZE

# What reading a small file may cost, whatever it claims: a chunk and change.
BUDGET = CHUNK_SIZE + (1 << 20)
LIES = (0x40000, 0x40001, 1 << 24, (1 << 24) + 4, 1 << 31, 0xFFFFFFFC, 0xFFFFFFFF)
# Claims the readers accept as possible (up to 16 MiB when the file's snap
# length allows it) and then allocate for before learning the file is short.


def peak_of_reading(path: Path) -> tuple[int, int, str]:
    """Frames read, the tracemalloc peak, and the error that ended reading."""
    frames, message = 0, ""
    tracemalloc.start()
    try:
        for _ in read_frames(str(path)):
            frames += 1
    except CaptureError as error:
        message = str(error)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return frames, peak, message


def _accepted(caplen: int, snaplen: int) -> bool:
    return caplen <= min(max(snaplen, 0x40000), 1 << 24)


@pytest.mark.parametrize("snaplen", [0x40000, 0xFFFFFFFF])
@pytest.mark.parametrize("caplen", LIES)
def test_pcap_record_length_lie_costs_no_allocation(
    tmp_path: Path, snaplen: int, caplen: int
) -> None:
    path = tmp_path / "lie.pcap"
    good = pcap_record(1, 0, FRAME)
    path.write_bytes(
        pcap_header(snaplen=snaplen) + good + pcap_record(2, 0, FRAME, caplen=caplen)
    )
    frames, peak, message = peak_of_reading(path)
    assert frames == 1
    if _accepted(caplen, snaplen):
        assert message == f"truncated record 2: 60 of {caplen} captured bytes"
    else:
        assert message.startswith(f"record 2: captured length {caplen} exceeds")
    assert peak < BUDGET


@pytest.mark.parametrize("caplen", [1 << 24, 0xFFFFFFFF])
def test_lying_length_inside_gzip_costs_no_allocation(
    tmp_path: Path, caplen: int
) -> None:
    path = tmp_path / "lie.pcap.gz"
    data = pcap_header(snaplen=0x40000) + pcap_record(0, 0, FRAME, caplen=caplen)
    path.write_bytes(gzip.compress(data))
    frames, peak, message = peak_of_reading(path)
    assert (frames, peak < BUDGET) == (0, True)
    assert message.startswith(f"record 1: captured length {caplen} exceeds")


def test_a_gzip_bomb_streams(tmp_path: Path) -> None:
    """64 MiB of frames from 140 KiB of gzip: read, never held whole."""
    path = tmp_path / "bomb.pcap.gz"
    count = 1 << 16
    with gzip.open(path, "wb", compresslevel=9) as stream:
        stream.write(pcap_header())
        for _ in range(count >> 8):
            stream.write(pcap_record(0, 0, bytes(1024)) * (1 << 8))
    assert path.stat().st_size < 256 << 10
    frames, peak, message = peak_of_reading(path)
    assert (frames, message) == (count, "")
    assert peak < 4 * BUDGET


@pytest.mark.parametrize("length", [0, 4, 13, *LIES])
def test_pcapng_block_length_lie_costs_no_allocation(
    tmp_path: Path, length: int
) -> None:
    path = tmp_path / "lie.pcapng"
    lying = struct.pack("<II", 6, length) + bytes(32)
    path.write_bytes(section_header("<") + idb("<") + epb("<", 0, 0, FRAME) + lying)
    frames, peak, message = peak_of_reading(path)
    assert frames == 1
    if length % 4 or length < 32 or length > 1 << 24:
        assert message.startswith("block at offset 140: bad length")
    else:
        assert message.startswith("truncated block at offset 140")
    assert peak < BUDGET


@pytest.mark.parametrize("caplen", [61, 0x40000, 0xFFFFFFFF])
def test_pcapng_packet_length_lie_is_an_error(tmp_path: Path, caplen: int) -> None:
    path = tmp_path / "lie.pcapng"
    body = struct.pack("<IIIII", 0, 0, 0, caplen, 60) + FRAME
    path.write_bytes(section_header("<") + idb("<") + block("<", 6, body))
    frames, peak, message = peak_of_reading(path)
    assert frames == 0
    assert message.endswith(f"captured length {caplen} runs past the block (60)")
    assert peak < BUDGET


@pytest.mark.parametrize("size", [9, 0x100, 0xFFFF])
def test_pcapng_option_length_lie_is_an_error(tmp_path: Path, size: int) -> None:
    path = tmp_path / "lie.pcapng"
    lying = struct.pack("<HH", 9, size) + b"\x06\x00\x00\x00"
    path.write_bytes(section_header("<") + idb("<", options=lying))
    frames, peak, message = peak_of_reading(path)
    assert frames == 0
    assert message == "block at offset 28: option 9 runs past its block"
    assert peak < BUDGET


def test_many_interfaces_cost_in_proportion_to_the_file(tmp_path: Path) -> None:
    """20,000 interface blocks: held, as each may be named by a packet, at a
    cost proportional to the file, and a packet on a missing one is an error."""
    path = tmp_path / "interfaces.pcapng"
    interfaces = idb("<", options=option("<", 9, b"\x09")) * 20_000
    last, missing = epb("<", 19_999, 0, FRAME), epb("<", 20_000, 0, FRAME)
    path.write_bytes(section_header("<") + interfaces + last + missing)
    frames, peak, message = peak_of_reading(path)
    assert frames == 1
    assert message.endswith("packet on interface 20000; the section has 20000")
    assert peak < 8 * path.stat().st_size + BUDGET
