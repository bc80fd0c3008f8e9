"""Reading ahead in a second process gives what reading here gives, errors too."""

import operator
from collections.abc import Generator
from pathlib import Path

import pytest

from dhcpcheck.capture import CaptureError, Frame, read_frames
from dhcpcheck.capture.ahead import (
    WORTH_READING_AHEAD,
    Ahead,
    Reading,
    worth_reading_ahead,
)
from dhcpcheck.capture.meter import OnRead
from dhcpcheck.capture.writer import write_pcap
from dhcpcheck.decode.link import selects

SAMPLES = Path(__file__).parents[2] / "samples"
MANY = SAMPLES / "lab" / "many-clients.pcap"
RELAY = SAMPLES / "lab" / "relay-client-side.pcap"


def read_ahead(
    path: Path, ahead: Ahead[object] | None = None, on_read: OnRead | None = None
) -> Generator[Frame, None, None]:
    return Reading(str(path), selects, ahead or Ahead()).frames(on_read)


def frames_ahead(path: Path, ahead: Ahead[object] | None = None) -> list[Frame]:
    return list(read_ahead(path, ahead))


@pytest.mark.parametrize("path", [MANY, RELAY], ids=lambda path: path.name)
def test_the_frames_are_those_read_here(path: Path) -> None:
    ahead: Ahead[object] = Ahead()
    assert frames_ahead(path, ahead) == list(read_frames(str(path), selects))
    # Every record is counted, the ones the select skipped too.
    assert ahead.records == len(list(read_frames(str(path))))


def test_each_annotation_waits_under_its_frame_number() -> None:
    ahead: Ahead[object] = Ahead(operator.attrgetter("wirelen"))
    taken = {}
    for frame in read_ahead(MANY, ahead):
        taken[frame.number] = ahead.annotations.pop(frame.number)
        assert taken[frame.number] == frame.wirelen
    assert len(taken) > 100
    assert ahead.annotations == {}


def test_more_frames_than_a_batch_come_in_order(tmp_path: Path) -> None:
    frames = list(read_frames(str(MANY))) * 8  # several batches of 256
    longer = tmp_path / "longer.pcap"
    with longer.open("wb") as stream:
        write_pcap(stream, frames, frames[0].linktype)
    ahead: Ahead[object] = Ahead(operator.attrgetter("number"))
    numbers = [frame.number for frame in read_ahead(longer, ahead)]
    assert numbers == list(range(1, len(frames) + 1))
    assert sorted(ahead.annotations) == numbers
    assert ahead.records == len(frames)


def test_a_damaged_tail_raises_after_the_frames_before_it(tmp_path: Path) -> None:
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(MANY.read_bytes()[:-100])
    here: list[Frame] = []
    with pytest.raises(CaptureError) as expected:
        here.extend(read_frames(str(cut), selects))
    there: list[Frame] = []
    with pytest.raises(CaptureError) as raised:
        there.extend(read_ahead(cut))
    assert there == here
    assert str(raised.value) == str(expected.value)
    assert raised.value.frames_read == expected.value.frames_read > 0


def test_what_is_not_a_capture_says_so(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pcap"
    junk.write_bytes(b"this is not a capture")
    with pytest.raises(CaptureError, match="not a pcap or pcapng file") as raised:
        frames_ahead(junk)
    assert raised.value.frames_read == 0
    with pytest.raises(CaptureError, match="No such file"):
        frames_ahead(tmp_path / "missing.pcap")


def test_a_bug_over_there_is_raised_here() -> None:
    ahead: Ahead[object] = Ahead(operator.attrgetter("no_such_field"))
    with pytest.raises(AttributeError, match="no_such_field"):
        frames_ahead(MANY, ahead)


def test_what_does_not_pickle_is_named() -> None:
    def unpicklable(frame: Frame) -> None:
        raise ValueError(lambda: frame)

    ahead: Ahead[object] = Ahead(unpicklable)
    with pytest.raises(RuntimeError, match="ValueError in the reading process"):
        frames_ahead(MANY, ahead)


def test_progress_is_told_here_up_to_the_whole_file() -> None:
    told: list[tuple[int, int]] = []
    list(read_ahead(MANY, on_read=lambda *seen: told.append(seen)))
    size = MANY.stat().st_size
    assert told[-1] == (size, size)
    assert [done for done, _ in told] == sorted(done for done, _ in told)


def test_stopping_early_ends_the_reader(capfd: pytest.CaptureFixture[str]) -> None:
    frames = read_ahead(MANY)
    first = next(frames)
    assert first.number >= 1
    frames.close()  # the reader is stopped and waited for, quietly
    assert capfd.readouterr().err == ""


def test_a_reader_never_taken_is_stopped() -> None:
    reading = Reading(str(MANY), selects, Ahead())
    reading.stop()
    reading.stop()  # once is enough; twice is harmless


def test_large_files_on_two_cores_are_worth_reading_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    large = tmp_path / "large.pcap"
    with large.open("wb") as stream:
        stream.truncate(WORTH_READING_AHEAD)
    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0, 1})
    assert worth_reading_ahead(str(large))
    assert not worth_reading_ahead(str(MANY))
    assert not worth_reading_ahead("-")
    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0})
    assert not worth_reading_ahead(str(large))
