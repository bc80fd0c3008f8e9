"""The unit every capture source yields: one link-layer frame and its metadata.

A frame carries the captured bytes untouched; it knows nothing of IP or DHCP.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Frame:
    """One captured frame, as read from a file or an interface.

    ``number`` counts from 1 within one source, as tcpdump's ``-#`` does.
    ``ts_sec``/``ts_nsec`` are the capture time since the Unix epoch, with the
    fraction always in nanoseconds whatever the file's resolution.
    ``linktype`` is the pcap LINKTYPE_* value of the interface it came from.
    ``data`` holds the captured bytes (at most the snap length); ``wirelen``
    is the length the frame had on the wire.
    """

    number: int
    ts_sec: int
    ts_nsec: int
    linktype: int
    data: bytes
    wirelen: int


# A test a reader makes on a record before building its Frame: the reader's
# buffer, where the frame's bytes start and end in it, and its link type.
# A frame it rejects still takes its number, but is never built: on a busy
# link, most frames are not DHCP, and a Frame costs more than the test.
Select = Callable[[bytes, int, int, int], bool]
