"""Link-layer header types (the LINKTYPE_* registry) that captures name.

Lists the types this project meets; an unlisted type still reads as a plain
int, since the capture layer passes frames through without decoding them.
"""

from enum import IntEnum

# The link type is the low 16 bits of the pcap header field; the bits above
# carry FCS information that readers "MUST" ignore when reading the type
# (draft-ietf-opsawg-pcap, "LinkType and additional information").
LINKTYPE_MASK = 0xFFFF


class LinkType(IntEnum):
    """LINKTYPE_* values, https://www.tcpdump.org/linktypes.html."""

    NULL = 0
    ETHERNET = 1
    PPP = 9
    RAW = 101
    IEEE802_11 = 105
    LOOP = 108
    LINUX_SLL = 113
    IEEE802_11_RADIOTAP = 127
    IPV4 = 228
    IPV6 = 229
    LINUX_SLL2 = 276


def link_type(value: int) -> int:
    """Return ``value`` as a LinkType member when it is one, else unchanged."""
    try:
        return LinkType(value)
    except ValueError:
        return value
