"""Link-layer headers in front of an IPv4 packet, one function per pcap link type.

Covers what DHCP captures come in: Ethernet II (with 802.1Q/802.1ad tags),
Linux cooked v1 and v2, BSD loopback and raw IP. No trailers, no FCS.
"""

import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.craft.fields import fit, pack_mac

BROADCAST_MAC = "ff:ff:ff:ff:ff:ff"
AF_INET = 2  # the address family BSD loopback headers carry for IPv4


class EtherType(IntEnum):
    """EtherType values written by the builder."""

    IPV4 = 0x0800
    VLAN = 0x8100  # IEEE 802.1Q customer tag
    QINQ = 0x88A8  # IEEE 802.1ad service tag


class SllPacketType(IntEnum):
    """Linux cooked capture packet types: who the frame was addressed to."""

    HOST = 0
    BROADCAST = 1
    MULTICAST = 2
    OTHERHOST = 3
    OUTGOING = 4


ARPHRD_ETHER = 1  # Linux hardware type of Ethernet devices


@dataclass(frozen=True, slots=True)
class VlanTag:
    """One 802.1Q or 802.1ad tag: TPID, then priority, drop eligible and VLAN id."""

    vid: int
    pcp: int = 0
    dei: bool = False
    tpid: EtherType = EtherType.VLAN

    def encode(self) -> bytes:
        """Return the four bytes of the tag."""
        return struct.pack("!HH", self.tpid, self.pcp << 13 | self.dei << 12 | self.vid)


def ethernet(
    payload: bytes,
    src: str | bytes,
    dst: str | bytes = BROADCAST_MAC,
    tags: Sequence[VlanTag] = (),
    ethertype: int = EtherType.IPV4,
) -> bytes:
    """Return an Ethernet II frame, outermost tag first."""
    macs = pack_mac(dst) + pack_mac(src)
    if len(macs) != 12:
        raise ValueError(f"Ethernet addresses are 6 bytes, got {pack_mac(dst)!r}")
    tagged = b"".join(tag.encode() for tag in tags)
    return macs + tagged + struct.pack("!H", ethertype) + payload


def linux_sll(
    payload: bytes,
    address: str | bytes,
    packet_type: SllPacketType = SllPacketType.OUTGOING,
    protocol: int = EtherType.IPV4,
) -> bytes:
    """Return a Linux cooked v1 frame (LINKTYPE_LINUX_SLL)."""
    raw = pack_mac(address)
    header = struct.pack(
        "!HHH8sH",
        packet_type,
        ARPHRD_ETHER,
        len(raw),
        fit(raw, 8, "sll address"),
        protocol,
    )
    return header + payload


def linux_sll2(
    payload: bytes,
    address: str | bytes,
    packet_type: SllPacketType = SllPacketType.OUTGOING,
    protocol: int = EtherType.IPV4,
    ifindex: int = 2,
) -> bytes:
    """Return a Linux cooked v2 frame (LINKTYPE_LINUX_SLL2).

    tcpdump -e prints the name of the interface with ``ifindex`` on the
    machine that reads the file, so that part of its text is not portable.
    """
    raw = pack_mac(address)
    header = struct.pack(
        "!HHIHBB8s",
        protocol,
        0,
        ifindex,
        ARPHRD_ETHER,
        packet_type,
        len(raw),
        fit(raw, 8, "sll2 address"),
    )
    return header + payload


def null_loopback(
    payload: bytes, byteorder: Literal["little", "big"] = "little"
) -> bytes:
    """Return a BSD loopback frame: the address family in the writer's byte order."""
    return AF_INET.to_bytes(4, byteorder) + payload


def raw_ip(payload: bytes) -> bytes:
    """Return the packet as it is: raw IP has no link header."""
    return payload


# For callers that choose only the link type: the header each type built here
# gets by default, given the packet and the sender's hardware address.
LINK_HEADERS: dict[LinkType, Callable[[bytes, str | bytes], bytes]] = {
    LinkType.NULL: lambda packet, mac: null_loopback(packet),
    LinkType.ETHERNET: lambda packet, mac: ethernet(packet, src=mac),
    LinkType.RAW: lambda packet, mac: raw_ip(packet),
    LinkType.LINUX_SLL: lambda packet, mac: linux_sll(packet, mac),
    LinkType.IPV4: lambda packet, mac: raw_ip(packet),
    LinkType.LINUX_SLL2: lambda packet, mac: linux_sll2(packet, mac),
}
