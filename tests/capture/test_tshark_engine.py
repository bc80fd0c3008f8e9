"""The tshark engine held against our own reader: the same frames from every
sample and corpus capture but the three files whose differences are listed
here, and the ways tshark fails, each turned into a CaptureError."""

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dhcpcheck.capture import CaptureError, Frame, LinkType, read_frames
from dhcpcheck.capture.tshark import (
    ENCAP_LINKTYPES,
    INSTALL_TSHARK,
    _FileCapture,
    epoch_time,
    tshark_frames,
)
from dhcpcheck.capture.writer import TimeResolution, write_pcap

ROOT = Path(__file__).parents[2]
CAPTURES = sorted(
    path.relative_to(ROOT)
    for pattern in ("samples/**/*.pcap*", "tests/data/**/*.pcap*")
    for path in ROOT.glob(pattern)
)
# Files tshark reads otherwise than dhcpcheck does; each has a test below.
TEST901 = Path("tests/data/capture/gopacket-be-test901.pcapng")
TEST202 = Path("tests/data/capture/hadrielk-test202.pcapng")
ASAN = Path("tests/data/corpus/tcpdump/bootp_asan.pcap")
SAME = [path for path in CAPTURES if path not in (TEST901, TEST202, ASAN)]
FRAME = bytes.fromhex("ffffffffffff0200000000010800") + bytes(46)


def native(path: Path) -> list[Frame]:
    return list(read_frames(str(ROOT / path)))


def tshark(path: Path) -> list[Frame]:
    return list(tshark_frames(str(ROOT / path)))


def tshark_error(path: Path) -> tuple[list[Frame], CaptureError]:
    frames: list[Frame] = []
    with pytest.raises(CaptureError) as caught:
        frames.extend(tshark_frames(str(ROOT / path)))
    return frames, caught.value


def test_the_samples_and_the_corpus_are_found() -> None:
    found = {path.parts[:2] for path in CAPTURES}
    assert {("samples", "lab"), ("tests", "data")} <= found
    assert len(SAME) == len(CAPTURES) - 3 > 50


@pytest.mark.parametrize("path", SAME, ids=str)
def test_both_engines_read_the_same_frames(path: Path) -> None:
    frames = native(path)
    assert frames
    assert tshark(path) == frames


def test_a_tshark_that_has_ended_is_not_taken_for_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Now and then tshark ended between its last output and pyshark's
    # cleanup: pyshark killed it, Popen reaped it behind asyncio's child
    # watcher, and the watcher reported exit status 255. Here it always
    # does: this tshark ends 0.3 s after its output, while the event loop
    # is not running.
    real = shutil.which("tshark")
    wrapper = tmp_path / "tshark"
    wrapper.write_text(f'#!/bin/sh\n"{real}" "$@"\nexec >&- 2>&-\nsleep 0.3\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    cleanup = _FileCapture._cleanup_subprocess

    async def late(capture: _FileCapture, process: object) -> None:
        time.sleep(0.6)
        await cleanup(capture, process)

    monkeypatch.setattr(_FileCapture, "_cleanup_subprocess", late)
    sample = Path("samples/openstack-dora.pcap")
    assert tshark(sample) == native(sample)


def test_tshark_stops_at_a_section_of_unknown_version() -> None:
    # The draft has readers skip such a section; tshark gives up on the file.
    frames, error = tshark_error(TEST901)
    assert frames == native(TEST901)[:1]
    assert len(native(TEST901)) == 2
    assert str(error) == "(pcapng: unknown SHB version 2.0)"
    assert error.frames_read == 1


def test_frames_without_a_time_stop_pyshark() -> None:
    # Simple Packet Blocks carry no time; tshark also shows blocks of other
    # kinds as frames, and pyshark cannot make a packet of any of them.
    frames, error = tshark_error(TEST202)
    assert frames == []
    assert len(native(TEST202)) == 8
    assert str(error) == "frame 1 has no time stamp, which pyshark cannot read"
    assert error.frames_read == 0


def test_tshark_keeps_bytes_beyond_the_snap_length() -> None:
    # dhcpcheck, like libpcap and so tcpdump, cuts a record at the file's
    # snap length (53 here); tshark hands out all 90 bytes of it.
    (ours,) = native(ASAN)
    (theirs,) = tshark(ASAN)
    assert (len(ours.data), len(theirs.data)) == (53, 90)
    assert theirs.data[:53] == ours.data
    assert theirs.wirelen == ours.wirelen == 65570


@pytest.mark.parametrize("linktype", list(LinkType), ids=lambda t: t.name)
def test_each_link_type_reads_back(tmp_path: Path, linktype: LinkType) -> None:
    path = tmp_path / "one.pcap"
    frame = Frame(1, 1623162713, 831654000, linktype, FRAME, len(FRAME))
    with path.open("wb") as stream:
        write_pcap(stream, [frame], linktype, TimeResolution.NANO)
    assert list(tshark_frames(str(path))) == [frame]


def test_the_link_type_table_is_one_to_one() -> None:
    assert sorted(ENCAP_LINKTYPES.values()) == sorted(LinkType)


def test_a_link_type_without_a_counterpart_fails(tmp_path: Path) -> None:
    path = tmp_path / "user0.pcap"
    stream = io.BytesIO()
    write_pcap(stream, [Frame(1, 0, 0, 147, FRAME, len(FRAME))], 147)
    path.write_bytes(stream.getvalue())
    with pytest.raises(CaptureError, match=r"^frame 1: tshark's encapsulation 45 "):
        list(tshark_frames(str(path)))


def test_a_file_cut_short_gives_its_whole_frames_then_fails(tmp_path: Path) -> None:
    whole = (ROOT / "samples/lab/many-clients.pcap").read_bytes()
    path = tmp_path / "cut.pcap"
    path.write_bytes(whole[:1000])
    frames, error = tshark_error(path)
    assert frames == native(Path("samples/lab/many-clients.pcap"))[:2]
    assert (
        str(error)
        == "The file appears to have been cut short in the middle of a packet."
    )
    assert error.frames_read == 2


def test_a_file_that_is_no_capture_fails(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    frames, error = tshark_error(path)
    assert frames == []
    assert "no time stamp" in str(error)


def test_a_missing_file_fails(tmp_path: Path) -> None:
    _, error = tshark_error(tmp_path / "absent.pcap")
    assert str(error) == "No such file or directory"


def signals_given_back() -> bool:
    """SIGCHLD at its default and no wake-up pipe, as before pyshark came."""
    wakeup = signal.set_wakeup_fd(-1)
    return (wakeup, signal.getsignal(signal.SIGCHLD)) == (-1, signal.SIG_DFL)


def test_signals_are_given_back_after_tshark(tmp_path: Path) -> None:
    """pyshark's SIGCHLD handler would write to a pipe nobody reads at every
    later child's exit, and fail once the pipe is full."""
    assert tshark(Path("samples/openstack-dora.pcap"))
    assert signals_given_back()
    tshark_error(tmp_path / "absent.pcap")
    assert signals_given_back()


def test_standard_input_is_refused() -> None:
    with pytest.raises(CaptureError, match="reads files, not standard input"):
        list(tshark_frames("-"))


def test_a_missing_tshark_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CaptureError) as caught:
        list(tshark_frames(str(ROOT / "samples/openstack-dora.pcap")))
    assert str(caught.value) == INSTALL_TSHARK


def test_a_config_ini_in_the_working_directory_names_no_tshark(
    tmp_path: Path,
) -> None:
    # pyshark runs the tshark that a config.ini where it starts names, first.
    (tmp_path / "config.ini").write_text("[tshark]\ntshark_path = /bin/false\n")
    sample = ROOT / "samples/openstack-dora.pcap"
    script = (
        "import sys\n"
        "from dhcpcheck.capture.tshark import tshark_frames\n"
        "print(len(list(tshark_frames(sys.argv[1]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(sample)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "4\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1623162713.831654000", (1623162713, 831654000)),
        ("1623162713.5", (1623162713, 500000000)),
        ("7", (7, 0)),
        ("1.1234567891", (1, 123456789)),
    ],
)
def test_epoch_time_is_split_exactly(text: str, expected: tuple[int, int]) -> None:
    assert epoch_time(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1.x", "1e9"])
def test_a_time_that_is_not_one_fails(text: str) -> None:
    with pytest.raises(CaptureError, match="not one"):
        epoch_time(text)
