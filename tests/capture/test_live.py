"""Live capture against a stand-in dumpcap found first on PATH: it writes a
prepared pcapng for each interface, or fails as the real one does.

Nothing here opens a real interface; tests/live runs the real dumpcap inside
network namespaces.
"""

import io
import os
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dhcpcheck.capture import CaptureError, Frame, live, read_frames
from dhcpcheck.capture.live import (
    CAPTURE_FILTER,
    INSTALL,
    NO_PERMISSION,
    Limits,
    LiveCapture,
    dumpcap_failure,
)
from dhcpcheck.capture.writer import write_pcapng

FRAME = bytes.fromhex("ffffffffffff0200000000010800") + bytes(46)
FAKE = """\
#!{python}
import os, sys, time
args = sys.argv[1:]
interface = args[args.index("-i") + 1]
folder = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(folder, "calls"), "a") as calls:
    calls.write(repr(args) + "\\n")
def named(suffix):
    path = os.path.join(folder, interface + suffix)
    return open(path, "rb").read() if os.path.exists(path) else None
sys.stderr.write("Capturing on '%s'\\n" % interface)
sys.stderr.flush()
said = named(".fails")
if said is not None:
    sys.stderr.buffer.write(said)
    sys.exit(1)
sys.stdout.buffer.write(named(".pcapng"))
sys.stdout.flush()
said = named(".vanishes")
if said is not None:
    sys.stderr.buffer.write(said)
    sys.exit(2)
time.sleep(60)
"""
NO_DEVICE = """\
dumpcap: There is no device named "nosuch0".
(No such device exists)
"""
DENIED = """\
dumpcap: You do not have permission to capture on device "eth0".
(socket: Operation not permitted)
Please check to make sure you have sufficient permissions.
"""
BAD_FILTER = """\
dumpcap: Invalid capture filter "udp port sixtyseven" for interface 'eth0'.

That string isn't a valid capture filter (unknown port 'sixtyseven').
See the User's Guide for a description of the capture filter syntax.
"""
GONE = """\
dumpcap: The network adapter on which the capture was being done is no longer \
running; the capture has stopped.
"""


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder, first on PATH, holding the stand-in dumpcap and its plans."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "dumpcap"
    script.write_text(FAKE.format(python=sys.executable))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


def frames_at(start: int, count: int) -> list[Frame]:
    return [Frame(n, start + n, n, 1, FRAME, len(FRAME)) for n in range(count)]


def plan(folder: Path, interface: str, frames: list[Frame]) -> None:
    stream = io.BytesIO()
    write_pcapng(stream, frames)
    (folder / f"{interface}.pcapng").write_bytes(stream.getvalue())


def taken(source: Iterator[Frame | None]) -> tuple[list[Frame], int]:
    """The frames, and how many heartbeats (None) came between them."""
    frames, beats = [], 0
    for item in source:
        if item is None:
            beats += 1
        else:
            frames.append(item)
    return frames, beats


def calls(folder: Path) -> list[list[str]]:
    lines = (folder / "calls").read_text().splitlines()
    return [eval(line) for line in lines]  # written by FAKE


def test_frames_of_every_interface_come_numbered_in_one_stream(fake: Path) -> None:
    plan(fake, "eth0", frames_at(100, 3))
    plan(fake, "eth1", frames_at(200, 2))
    with LiveCapture(["eth0", "eth1"]) as capture:
        frames, beats = taken(capture.frames(Limits(duration=1.0)))
    assert [frame.number for frame in frames] == [1, 2, 3, 4, 5]
    by_time = sorted(frame.ts_sec for frame in frames)
    assert by_time == [100, 101, 102, 200, 201]
    assert [f.ts_sec for f in frames if f.ts_sec < 200] == [100, 101, 102]
    assert beats >= 2  # a quiet second, read in quarter seconds


def test_a_duration_ends_the_capture_on_time(fake: Path) -> None:
    plan(fake, "eth0", [])
    with LiveCapture(["eth0"]) as capture:
        started = time.monotonic()
        frames, _ = taken(capture.frames(Limits(duration=0.6)))
        took = time.monotonic() - started
    assert frames == []
    assert 0.6 <= took < 2.0


def test_a_count_ends_the_capture_after_that_many_frames(fake: Path) -> None:
    plan(fake, "eth0", frames_at(100, 5))
    with LiveCapture(["eth0"]) as capture:
        frames, _ = taken(capture.frames(Limits(count=3)))
    assert [frame.ts_sec for frame in frames] == [100, 101, 102]


def test_interfaces_and_filter_are_passed_as_arguments(fake: Path) -> None:
    # A shell would run the command after ';' and expand '$HOME'.
    odd = "udp port 67; touch $HOME/injected"
    plan(fake, "eth0", [])
    with LiveCapture(["eth0"], bpf=odd) as capture:
        taken(capture.frames(Limits(duration=0.3)))
    (argv,) = calls(fake)
    assert argv == ["-q", "-n", "-i", "eth0", "-f", odd, "-w", "-"]
    assert not (Path.home() / "injected").exists()


def test_the_default_filter_takes_dhcp_only(fake: Path) -> None:
    plan(fake, "eth0", [])
    with LiveCapture(["eth0"]) as capture:
        taken(capture.frames(Limits(duration=0.3)))
    assert calls(fake)[0][5] == CAPTURE_FILTER == "udp port 67 or udp port 68"


def test_what_was_captured_is_written_to_pcapng(fake: Path, tmp_path: Path) -> None:
    plan(fake, "eth0", frames_at(100, 2))
    plan(fake, "eth1", frames_at(200, 1))
    saved = tmp_path / "out.pcapng"
    with LiveCapture(["eth0", "eth1"], save=str(saved)) as capture:
        frames, _ = taken(capture.frames(Limits(duration=0.6)))
    assert list(read_frames(str(saved))) == frames
    names = subprocess.run(
        ["tshark", "-r", str(saved), "-T", "fields", "-e", "frame.interface_name"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    by_source = {
        frame.ts_sec // 100: name for frame, name in zip(frames, names, strict=True)
    }
    assert by_source == {1: "eth0", 2: "eth1"}


def test_an_unwritable_save_file_fails_before_capturing(
    fake: Path, tmp_path: Path
) -> None:
    with pytest.raises(CaptureError, match="No such file or directory"):
        LiveCapture(["eth0"], save=str(tmp_path / "absent" / "out.pcapng")).__enter__()
    assert not (fake / "calls").exists()


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (NO_DEVICE, "no such interface: eth0"),
        (DENIED, NO_PERMISSION.format("eth0")),
        (
            BAD_FILTER,
            "bad capture filter 'udp port 67 or udp port 68':"
            " unknown port 'sixtyseven'",
        ),
        ("", "eth0: dumpcap ended (exit status 1)"),
    ],
    ids=["no-device", "no-permission", "bad-filter", "silent"],
)
def test_a_dumpcap_that_cannot_start_says_why(
    fake: Path, said: str, expected: str
) -> None:
    (fake / "eth0.fails").write_text(said)
    with pytest.raises(CaptureError) as caught, LiveCapture(["eth0"]):
        pass
    assert str(caught.value) == expected


def test_no_permission_names_the_capabilities_and_the_group() -> None:
    message = dumpcap_failure("eth0", CAPTURE_FILTER, DENIED, 1)
    assert "CAP_NET_RAW and CAP_NET_ADMIN" in message
    assert "group wireshark" in message


def test_one_failing_interface_stops_the_others(fake: Path) -> None:
    plan(fake, "eth0", [])
    (fake / "eth1.fails").write_text(NO_DEVICE)
    with pytest.raises(CaptureError, match="no such interface: eth1"):
        LiveCapture(["eth0", "eth1"]).__enter__()
    time.sleep(0.2)
    assert _running_fakes(fake) == []


def test_an_interface_that_goes_away_ends_the_capture_with_an_error(
    fake: Path,
) -> None:
    plan(fake, "eth0", frames_at(100, 2))
    (fake / "eth0.vanishes").write_text(GONE)
    frames: list[Frame] = []
    with pytest.raises(CaptureError) as caught, LiveCapture(["eth0"]) as capture:
        frames.extend(item for item in capture.frames() if item is not None)
    assert len(frames) == 2
    assert str(caught.value).startswith("eth0: The network adapter on which")


def test_a_stream_that_cannot_be_read_ends_the_capture_with_an_error(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "STOP_GRACE", 0.2)  # dumpcap lives on here
    plan(fake, "eth0", frames_at(100, 1))
    with (fake / "eth0.pcapng").open("ab") as stream:
        stream.write(struct.pack("<III", 6, 13, 0))  # a length no block has
    with pytest.raises(CaptureError) as caught, LiveCapture(["eth0"]) as capture:
        list(capture.frames())
    assert str(caught.value).startswith("eth0: block at offset ")
    assert str(caught.value).endswith(": bad length 13 for type 0x6")


def test_a_missing_dumpcap_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CaptureError) as caught:
        LiveCapture(["eth0"]).__enter__()
    assert str(caught.value) == INSTALL


def test_ctrl_c_stops_the_capture_and_keeps_what_it_held(fake: Path) -> None:
    plan(fake, "eth0", frames_at(100, 3))
    frames: list[Frame] = []
    with LiveCapture(["eth0"]) as capture:
        for item in capture.frames():
            if item is not None:
                frames.append(item)
                if len(frames) == 1:
                    os.kill(os.getpid(), signal.SIGINT)
    assert len(frames) == 3
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert _running_fakes(fake) == []


def test_a_second_ctrl_c_interrupts_for_good(fake: Path) -> None:
    plan(fake, "eth0", frames_at(100, 1))
    with pytest.raises(KeyboardInterrupt), LiveCapture(["eth0"]) as capture:
        for _ in capture.frames():
            capture.stop()
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.1)  # the handler runs between bytecodes


def test_leaving_the_block_stops_dumpcap(fake: Path) -> None:
    plan(fake, "eth0", frames_at(100, 1))
    with LiveCapture(["eth0"]) as capture:
        next(iter(capture.frames()))
        assert len(_running_fakes(fake)) == 1
    assert _running_fakes(fake) == []


def test_no_interface_is_a_bug_of_the_caller() -> None:
    with pytest.raises(ValueError, match="no interface"):
        LiveCapture([])


def _running_fakes(folder: Path) -> list[int]:
    """Process ids of the stand-in dumpcaps still running."""
    script = str(folder / "dumpcap")
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if len(argv) > 1 and argv[1].decode(errors="replace") == script:
            state = (entry / "stat").read_text().split()[2]
            if state != "Z":
                found.append(int(entry.name))
    return found
