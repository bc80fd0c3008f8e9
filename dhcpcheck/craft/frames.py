"""Built packets turned into the Frames a capture would have recorded.

Only stamps and cuts: the link header must already be in ``data``.
"""

from dhcpcheck.capture.frame import Frame

NS_PER_SECOND = 1_000_000_000


def captured(
    number: int, time_ns: int, linktype: int, data: bytes, snaplen: int | None = None
) -> Frame:
    """Return ``data`` as captured ``time_ns`` after the epoch, cut at ``snaplen``."""
    ts_sec, ts_nsec = divmod(time_ns, NS_PER_SECOND)
    return Frame(number, ts_sec, ts_nsec, linktype, data[:snaplen], len(data))
