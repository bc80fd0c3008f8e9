"""Print BOOTP/DHCP frames exactly as tcpdump does, one string per packet.

`render` stands for `tcpdump -n` with the BOOTP/DHCP filter on a capture:
selection, `-#` numbering, time stamps, then each packet's text.
"""

from collections.abc import Iterable, Iterator

from dhcpcheck.capture.frame import Frame
from dhcpcheck.decode.link import find_datagram
from dhcpcheck.report.tcpdump.frame import format_datagram
from dhcpcheck.report.tcpdump.settings import PrintSettings
from dhcpcheck.report.tcpdump.timestamps import Clock


def render(frames: Iterable[Frame], settings: PrintSettings) -> Iterator[str]:
    """Yield tcpdump's text for each frame its filter selects, newline included.

    Joined, the strings equal what tcpdump writes to stdout for the capture.
    A frame whose other port belongs to a protocol tcpdump prints first (DNS,
    TFTP...) still counts for `-#` and the -ttt/-ttttt references, but yields
    nothing: dhcpcheck does not print those protocols.
    """
    number = 0
    clock = Clock(settings.timestamps)
    for frame in frames:
        datagram = find_datagram(frame.data, frame.linktype, frame.wirelen)
        if datagram is None:
            continue
        number += 1
        head = f"{number:5d}  " if settings.numbered else ""
        invalid = invalid_header(frame)
        if invalid:
            yield f"{head}{invalid}\n"
            continue
        stamp = clock.stamp(frame.ts_sec, frame.ts_nsec)
        text = format_datagram(datagram, frame.wirelen, settings)
        if text is not None:
            yield f"{head}{stamp}{text}\n"


def invalid_header(frame: Frame) -> str:
    """tcpdump's complaint about a record whose lengths contradict each other.

    It replaces the whole packet's text, time stamp included.
    """
    if frame.wirelen == 0:
        return "[Invalid header: len==0]"
    if frame.wirelen < len(frame.data):
        return f"[Invalid header: len({frame.wirelen}) < caplen({len(frame.data)})]"
    return ""
