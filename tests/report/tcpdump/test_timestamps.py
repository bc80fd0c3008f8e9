"""Time stamps as tcpdump 4.99 prints them for -t, -tt, -ttt, -tttt, -ttttt.

The expected strings were read off the installed tcpdump for the same times.
"""

import time

import pytest

from dhcpcheck.report.tcpdump.settings import TimestampMode
from dhcpcheck.report.tcpdump.timestamps import Clock, format_timestamp, local_time

pytestmark = pytest.mark.usefixtures("utc")

SEC, NSEC = 1607005913, 831654321  # 2020-12-03 14:31:53.831654321 UTC


def stamps(mode: TimestampMode, times: list[tuple[int, int]]) -> list[str]:
    clock = Clock(mode)
    return [clock.stamp(sec, nsec) for sec, nsec in times]


@pytest.mark.parametrize(
    ("mode", "text"),
    [
        (TimestampMode.DEFAULT, "14:31:53.831654 "),
        (TimestampMode.NONE, ""),
        (TimestampMode.EPOCH, "1607005913.831654 "),
        (TimestampMode.DATE, "2020-12-03 14:31:53.831654 "),
    ],
)
def test_absolute_modes_cut_nanoseconds_to_microseconds(
    mode: TimestampMode, text: str
) -> None:
    assert format_timestamp(mode, SEC, NSEC, 0) == text


def test_local_time_follows_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "IST-5:30")
    time.tzset()

    assert stamps(TimestampMode.DEFAULT, [(SEC, NSEC)]) == ["20:01:53.831654 "]
    assert stamps(TimestampMode.DATE, [(SEC, NSEC)]) == ["2020-12-03 20:01:53.831654 "]


def test_packets_of_one_second_keep_their_own_fractions() -> None:
    times = [(SEC, NSEC), (SEC, 5000), (SEC + 1, 0), (-1, 0), (-1, 7000)]

    assert stamps(TimestampMode.DEFAULT, times) == [
        "14:31:53.831654 ",
        "14:31:53.000005 ",
        "14:31:54.000000 ",
        "[Error converting time] ",
        "[Error converting time] ",
    ]
    assert stamps(TimestampMode.EPOCH, times)[:2] == [
        "1607005913.831654 ",
        "1607005913.000005 ",
    ]


def test_a_new_clock_follows_a_changed_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    assert stamps(TimestampMode.DEFAULT, [(SEC, 0)]) == ["14:31:53.000000 "]
    monkeypatch.setenv("TZ", "IST-5:30")
    time.tzset()

    assert stamps(TimestampMode.DEFAULT, [(SEC, 0)]) == ["20:01:53.000000 "]


def test_a_fraction_of_a_second_or_more_is_printed_as_it_stands() -> None:
    assert format_timestamp(TimestampMode.EPOCH, 5, 1_500_000_000, 0) == "5.1500000 "


@pytest.mark.parametrize(
    "mode", [TimestampMode.DEFAULT, TimestampMode.EPOCH, TimestampMode.DATE]
)
def test_negative_times_cannot_be_converted(mode: TimestampMode) -> None:
    assert format_timestamp(mode, -1, 0, 0) == "[Error converting time] "


def test_delta_counts_from_the_previous_packet() -> None:
    times = [(2, 250_000_000), (3, 750_000_000), (1, 0), (1_000_000_000, 1000)]

    assert stamps(TimestampMode.DELTA, times) == [
        " 00:00:00.000000 ",
        " 00:00:01.500000 ",
        "-00:00:02.750000 ",
        " 01:46:39.000001 ",  # 11574 days and 6399 s: the days are dropped
    ]


def test_since_first_counts_from_the_first_packet() -> None:
    times = [(2, 250_000_000), (3, 750_000_000), (1, 0)]

    assert stamps(TimestampMode.SINCE_FIRST, times) == [
        " 00:00:00.000000 ",
        " 00:00:01.500000 ",
        "-00:00:01.250000 ",
    ]


def test_differences_of_2_to_the_31_seconds_cannot_be_converted() -> None:
    times = [(1, 0), (2**31 + 10, 0), (0, 1000), (2**31 - 10, 1000)]

    assert stamps(TimestampMode.DELTA, times) == [
        " 00:00:00.000000 ",
        " [Error converting time] ",
        "-[Error converting time] ",
        " 03:13:58.000000 ",  # 2**31 - 10 seconds: 24855 days and 11638 s
    ]


def test_a_reference_at_the_epoch_counts_as_none() -> None:
    # tcpdump keeps "no packet yet" as time zero, so after a packet stamped
    # exactly 1970-01-01 00:00:00.000000 the next one counts from itself.
    times = [(0, 0), (10, 0), (12, 0), (0, 0), (5, 0)]

    assert stamps(TimestampMode.DELTA, times) == [
        " 00:00:00.000000 ",
        " 00:00:00.000000 ",
        " 00:00:02.000000 ",
        "-00:00:12.000000 ",
        " 00:00:00.000000 ",
    ]
    assert stamps(TimestampMode.SINCE_FIRST, times)[1:] == [
        " 00:00:00.000000 ",
        " 00:00:02.000000 ",
        "-00:00:10.000000 ",
        "-00:00:05.000000 ",
    ]


def test_local_time_for_reports_never_fails() -> None:
    assert local_time(1623162713.831654) == "14:31:53.831654"
    assert local_time(1623162713.831654, with_date=True) == (
        "2021-06-08 14:31:53.831654"
    )
    assert local_time(1623162713.8, fraction=False) == "14:31:53"
    assert local_time(1e20) == "[Error converting time]"
    assert local_time(-5.0, fraction=False) == "[Error converting time]"
