"""The time stamp tcpdump prints before each packet, for each of its -t modes.

Local time follows the TZ environment, as tcpdump's does. The fraction is in
microseconds, cut from the frame's nanoseconds as libpcap cuts it.
"""

import time
from dataclasses import dataclass, field

from dhcpcheck.report.tcpdump.settings import TimestampMode

MICROS = 1_000_000
# What tcpdump prints for a time it cannot convert: a negative time, or a
# difference of 2**31 seconds or more.
ERROR = "[Error converting time]"
DELTA_LIMIT = 2**31
ABSOLUTE = frozenset({TimestampMode.DEFAULT, TimestampMode.EPOCH, TimestampMode.DATE})


@dataclass(slots=True)
class Clock:
    """Stamps packets in turn, remembering the times -ttt and -ttttt count from.

    Like tcpdump, it takes a remembered time of exactly zero (the epoch) for
    "none yet": the packet after one stamped 1970-01-01 00:00:00.000000
    counts from itself.
    """

    mode: TimestampMode
    first: int = 0
    previous: int = 0
    # The whole second last stamped and its text: packets come many a second,
    # and converting a second to local time costs more than all the rest.
    second: int | None = field(default=None, init=False, repr=False)
    second_text: str | None = field(default=None, init=False, repr=False)

    def stamp(self, ts_sec: int, ts_nsec: int) -> str:
        """The stamp for the next printed packet, with its trailing space."""
        now = micros(ts_sec, ts_nsec)
        self.first = self.first or now
        self.previous = self.previous or now
        since_first = self.mode is TimestampMode.SINCE_FIRST
        reference = self.first if since_first else self.previous
        self.previous = now
        if self.mode not in ABSOLUTE:
            return format_timestamp(self.mode, ts_sec, ts_nsec, reference)
        if ts_sec != self.second:
            self.second, self.second_text = ts_sec, _seconds(self.mode, ts_sec)
        if self.second_text is None:
            return ERROR + " "
        return f"{self.second_text}.{ts_nsec // 1000:06d} "


def micros(ts_sec: int, ts_nsec: int) -> int:
    """A frame's capture time as whole microseconds since the epoch."""
    return ts_sec * MICROS + ts_nsec // 1000


def format_timestamp(
    mode: TimestampMode, ts_sec: int, ts_nsec: int, reference: int
) -> str:
    """The stamp and the space after it; empty for -t.

    ``reference`` is the time, in microseconds, that -ttt and -ttttt count
    from: the previous printed packet's and the first printed packet's.
    """
    if mode is TimestampMode.NONE:
        return ""
    if mode in (TimestampMode.DELTA, TimestampMode.SINCE_FIRST):
        return _delta(micros(ts_sec, ts_nsec) - reference) + " "
    return _absolute(mode, ts_sec, ts_nsec // 1000) + " "


def _absolute(mode: TimestampMode, seconds: int, fraction: int) -> str:
    """Epoch seconds (-tt), or local time of day, with the date for -tttt.

    A fraction of a second or more stays in the fraction, as libpcap hands
    it over and tcpdump prints it.
    """
    text = _seconds(mode, seconds)
    return ERROR if text is None else f"{text}.{fraction:06d}"


def _seconds(mode: TimestampMode, seconds: int) -> str | None:
    """`_absolute` up to the fraction; None for a time that cannot be converted."""
    # TODO: libpcap reads a pcap record's seconds as signed 32 bits, so tcpdump
    # fails on 2**31 and above, where the capture layer hands over the value.
    if seconds < 0:
        return None
    if mode is TimestampMode.EPOCH:
        return str(seconds)
    try:
        local = time.localtime(seconds)
    except (OverflowError, OSError, ValueError):
        return None
    pattern = "%Y-%m-%d %H:%M:%S" if mode is TimestampMode.DATE else "%H:%M:%S"
    return time.strftime(pattern, local)


def local_time(epoch: float, with_date: bool = False, fraction: bool = True) -> str:
    """`14:31:53.831654` (or with the date, or without the fraction) in local
    time, as tcpdump prints it; its error text for a time it cannot convert.

    For the reports: a capture can claim any time stamp at all.
    """
    seconds, micro = divmod(round(epoch * MICROS), MICROS)
    mode = TimestampMode.DATE if with_date else TimestampMode.DEFAULT
    text = _absolute(mode, seconds, micro)
    return text if fraction or text == ERROR else text[: -len(".000000")]


def _delta(difference: int) -> str:
    """A signed time difference as ±HH:MM:SS.ffffff; whole days are dropped."""
    sign = "-" if difference < 0 else " "
    seconds, fraction = divmod(abs(difference), MICROS)
    if seconds >= DELTA_LIMIT:
        return sign + ERROR
    hours, minutes = seconds // 3600 % 24, seconds // 60 % 60
    return f"{sign}{hours:02d}:{minutes:02d}:{seconds % 60:02d}.{fraction:06d}"
