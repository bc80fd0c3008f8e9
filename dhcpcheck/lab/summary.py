"""What a lab capture holds: each DHCP message's xid, type and addressing.

Reads through dhcpcheck's own capture and decode layers, so that recording a
sample also shows that dhcpcheck reads what the real programs sent.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address
from pathlib import Path

from dhcpcheck.capture import read_frames
from dhcpcheck.decode.bootp import Message, decode_bootp
from dhcpcheck.decode.ip import ChecksumStatus, IPv4Header
from dhcpcheck.decode.link import Datagram, find_datagram
from dhcpcheck.decode.options import MessageType, OptionCode

LIMITED_BROADCAST = IPv4Address("255.255.255.255")


@dataclass(frozen=True, slots=True)
class Seen:
    """One DHCP message in a capture: what the lab's samples are checked for."""

    xid: int
    kind: str  # the MessageType name, "BOOTP" without option 53
    checksum: ChecksumStatus  # of the UDP datagram
    broadcast: bool  # sent to 255.255.255.255
    ciaddr: IPv4Address
    giaddr: IPv4Address
    agent: bool  # carries option 82, Relay Agent Information


def messages(path: Path) -> list[Seen]:
    """Return the DHCP messages in the capture at ``path``, in order."""
    seen = []
    for frame in read_frames(str(path)):
        datagram = find_datagram(frame.data, frame.linktype, frame.wirelen)
        if datagram is None:
            continue
        message = decode_bootp(datagram.payload, datagram.payload_length)
        if message is not None:
            seen.append(_seen(datagram, message))
    return seen


def _seen(datagram: Datagram, message: Message) -> Seen:
    ip = datagram.ip
    broadcast = isinstance(ip, IPv4Header) and ip.destination == LIMITED_BROADCAST
    return Seen(
        message.xid,
        _kind(message.message_type),
        datagram.udp_checksum.status,
        broadcast,
        message.ciaddr,
        message.giaddr,
        message.value(OptionCode.RELAY_AGENT_INFO) is not None,
    )


_KINDS = {kind.value: kind.name for kind in MessageType}


def _kind(value: int | None) -> str:
    return "BOOTP" if value is None else _KINDS.get(value, f"type-{value}")


def tally(seen: Iterable[Seen]) -> str:
    """Return counts by message type in first-seen order, the xids, and any
    checksum that is not ok: ``DISCOVER 1, OFFER 1 (1 xid)``."""
    listed = list(seen)
    kinds = Counter(message.kind for message in listed)
    xids = len({message.xid for message in listed})
    text = ", ".join(f"{kind} {count}" for kind, count in kinds.items())
    text += f" ({xids} xid{'s' * (xids != 1)})"
    bad = Counter(m.checksum for m in listed if m.checksum != ChecksumStatus.OK)
    return text + "".join(f", {n} UDP checksums {s}" for s, n in bad.items())
