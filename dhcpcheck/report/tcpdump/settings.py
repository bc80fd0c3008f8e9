"""What the tcpdump printer is asked to print: dialect, verbosity and stamps.

These mirror tcpdump's own flags; the CLI fills them and the printer reads them.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Dialect(StrEnum):
    """Which tcpdump release's wording to reproduce."""

    V4_99 = "4.99"  # tcpdump 4.99.3, Debian 12: `NAME (CODE), length N:`
    V4_9 = "4.9"  # tcpdump 4.9.3: `NAME Option CODE, length N:`


class TimestampMode(IntEnum):
    """tcpdump's -t family: the number of `t`s given (DEFAULT when none)."""

    DEFAULT = 0  # 14:31:53.831654, local time of day
    NONE = 1  # -t: no time stamp
    EPOCH = 2  # -tt: 1607005913.831654
    DELTA = 3  # -ttt: time since the previous packet printed
    DATE = 4  # -tttt: 2020-12-03 14:31:53.831654, local time
    SINCE_FIRST = 5  # -ttttt: time since the first packet printed


@dataclass(frozen=True, slots=True)
class PrintSettings:
    """One `show` invocation's printing choices, as tcpdump flags would set them."""

    dialect: Dialect = Dialect.V4_99
    verbosity: int = 0  # number of -v flags, 0 to 3
    link_header: bool = False  # -e
    timestamps: TimestampMode = TimestampMode.DEFAULT
    numbered: bool = False  # -#
