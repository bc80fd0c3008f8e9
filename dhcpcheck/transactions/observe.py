"""Turn a captured frame into a `Seen` message for the tracker, or None.

Only DHCPv4 over IPv4 is tracked; everything else the filter selects (BOOTP
ports over IPv6, frames too short for a BOOTP header) is left to `show`.
"""

from dhcpcheck.capture.frame import Frame
from dhcpcheck.decode.bootp import decode_bootp
from dhcpcheck.decode.ip import IPv4Header
from dhcpcheck.decode.link import find_datagram
from dhcpcheck.transactions.model import Seen


def observe(frame: Frame, source: str = "") -> Seen | None:
    """Decode `frame` down to its DHCP message, with where it was going."""
    datagram = find_datagram(frame.data, frame.linktype, frame.wirelen)
    if datagram is None or datagram.udp is None:
        return None
    ip = datagram.ip
    if not isinstance(ip, IPv4Header):
        return None
    message = decode_bootp(datagram.payload, datagram.payload_length)
    if message is None:
        return None
    mac = datagram.source_mac
    return Seen(
        frame=frame.number,
        time=frame.ts_sec + frame.ts_nsec / 1e9,
        ip_src=ip.source,
        ip_dst=ip.destination,
        sport=datagram.udp.source_port,
        dport=datagram.udp.destination_port,
        mac_src=mac.hex(":") if mac is not None else None,
        message=message,
        source=source,
        udp_checksum=datagram.udp_checksum,
    )
