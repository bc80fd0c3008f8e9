"""Reading captures: pcap and pcapng files, gzip-compressed or not, or stdin.

The only part of dhcpcheck that opens files; it yields Frames and knows
nothing of the protocols inside them.
"""

from dhcpcheck.capture.errors import CaptureError
from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.source import read_frames, read_stream

__all__ = ["CaptureError", "Frame", "LinkType", "read_frames", "read_stream"]
