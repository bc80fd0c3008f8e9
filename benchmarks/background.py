"""The traffic around DHCP in the mixed capture: TCP, DNS, ARP, NTP and IPv6.

A few thousand frames are built once, with real checksums, and drawn from at
random; a benchmark needs their shape and size, not a coherent conversation.
"""

import struct
from collections.abc import Callable, Iterator
from ipaddress import IPv4Address
from random import Random

from dhcpcheck.craft.ip import UDP, IPv4, ipv4_packet, udp_ipv4
from dhcpcheck.craft.link import EtherType, VlanTag, ethernet
from dhcpcheck.decode.ip import internet_checksum

TEMPLATES = 2048
BATCH = 4096  # frames drawn at a time
ETHERTYPE_ARP = 0x0806
ETHERTYPE_IPV6 = 0x86DD
TCP, ICMPV6 = 6, 58
HTTPS = 443
TLS_HEADER = 5  # content type, version, length
MSS = 1448  # a full segment with timestamps: a 1514-byte frame
MIN_FRAME = 60  # Ethernet pads shorter frames; the FCS is not captured

Builder = Callable[[Random], bytes]


def _mac(rng: Random) -> bytes:
    return b"\x02\x42" + rng.randbytes(4)


def _ipv4(rng: Random) -> str:
    return f"10.20.{rng.randrange(1, 200)}.{rng.randrange(2, 250)}"


def _tcp_segment(rng: Random, pseudo: bytes, size: int) -> bytes:
    """A TCP header with timestamps, ``size`` payload bytes, checksummed.

    ``pseudo`` is the addresses, then 0, 0, 0 and the protocol; the length
    follows as 32 bits. That is the IPv6 pseudo-header, and for IPv4 it sums
    to the same as RFC 9293's, the checksum adding 16-bit words in any order.
    """
    ports = (HTTPS, rng.randrange(32768, 61000))
    header = struct.pack(
        "!HHIIBBHHH",
        *rng.sample(ports, 2),
        rng.getrandbits(32),
        rng.getrandbits(32),
        8 << 4,  # 32 bytes: 20 and the timestamp option
        0x18 if size else 0x10,  # PSH ACK or ACK
        rng.randrange(500, 65535),
        0,
        0,
    )
    options = b"\x01\x01\x08\x0a" + rng.randbytes(8)
    segment = header + options + _tls_records(rng, size)
    summed = internet_checksum(pseudo + len(segment).to_bytes(4, "big") + segment)
    return segment[:16] + summed.to_bytes(2, "big") + segment[18:]


def _tls_records(rng: Random, size: int) -> bytes:
    """``size`` bytes of TLS 1.3 application data, as HTTPS carries it."""
    if size < TLS_HEADER + 1:
        return rng.randbytes(size)  # the tail of a record that started earlier
    body = size - TLS_HEADER
    return b"\x17\x03\x03" + body.to_bytes(2, "big") + rng.randbytes(body)


def _tcp_size(rng: Random) -> int:
    roll = rng.random()
    return 0 if roll < 0.45 else MSS if roll < 0.7 else rng.randrange(6, 600)


def tcp_ipv4(rng: Random, tagged: bool = False) -> bytes:
    """A TCP segment over IPv4, now and then inside an 802.1Q tag."""
    src, dst = _ipv4(rng), rng.choice(("10.20.0.10", "10.20.0.11", "192.0.2.80"))
    ip = IPv4(src=src, dst=dst, proto=TCP, ident=rng.getrandbits(16))
    addresses = IPv4Address(src).packed + IPv4Address(dst).packed
    segment = _tcp_segment(rng, addresses + bytes((0, 0, 0, TCP)), _tcp_size(rng))
    tags = [VlanTag(rng.choice((10, 20)))] if tagged else []
    return _pad(ethernet(ipv4_packet(ip, segment), _mac(rng), _mac(rng), tags))


def tcp_ipv6(rng: Random) -> bytes:
    """A TCP segment over IPv6."""
    src = bytes.fromhex("fd000000000000000000") + rng.randbytes(6)
    dst = bytes.fromhex("fd00000000000000000000000000000a")
    segment = _tcp_segment(rng, src + dst + bytes((0, 0, 0, TCP)), _tcp_size(rng))
    return _ipv6_frame(rng, src, dst, TCP, segment)


def neighbour_solicitation(rng: Random) -> bytes:
    """An ICMPv6 neighbour solicitation to a solicited-node address."""
    src = bytes.fromhex("fe800000000000000000") + rng.randbytes(6)
    target = bytes.fromhex("fd000000000000000000") + rng.randbytes(6)
    dst = bytes.fromhex("ff0200000000000000000001ff") + target[-3:]
    body = bytes((135, 0, 0, 0, 0, 0, 0, 0)) + target + b"\x01\x01" + _mac(rng)
    summed = internet_checksum(src + dst + bytes((0, 0, 0, 32, 0, 0, 0, ICMPV6)) + body)
    body = body[:2] + summed.to_bytes(2, "big") + body[4:]
    return _ipv6_frame(rng, src, dst, ICMPV6, body)


def _ipv6_frame(rng: Random, src: bytes, dst: bytes, proto: int, body: bytes) -> bytes:
    header = struct.pack("!IHBB", 6 << 28, len(body), proto, 64) + src + dst
    return ethernet(header + body, _mac(rng), _mac(rng), ethertype=ETHERTYPE_IPV6)


def dns(rng: Random) -> bytes:
    """A DNS query for an A record, or its answer."""
    name = b"".join(
        bytes([len(label)]) + label
        for label in (b"host%d" % rng.randrange(1000), b"bench", b"example")
    )
    question = name + b"\0\0\x01\0\x01"
    client, server = _ipv4(rng), "10.20.0.53"
    ident, port = rng.getrandbits(16), rng.randrange(32768, 61000)
    if rng.random() < 0.5:
        query = struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + question
        packet = udp_ipv4(query, IPv4(src=client, dst=server), UDP(port, 53))
    else:
        answer = b"\xc0\x0c\0\x01\0\x01" + struct.pack("!IH", 300, 4) + rng.randbytes(4)
        reply = struct.pack("!HHHHHH", ident, 0x8180, 1, 1, 0, 0) + question + answer
        packet = udp_ipv4(reply, IPv4(src=server, dst=client), UDP(53, port))
    return _pad(ethernet(packet, _mac(rng), _mac(rng)))


def ntp(rng: Random) -> bytes:
    """An NTP client request: UDP 123, 48 bytes."""
    packet = udp_ipv4(
        b"\x23" + bytes(39) + rng.randbytes(8),
        IPv4(src=_ipv4(rng), dst="10.20.0.123"),
        UDP(123, 123),
    )
    return _pad(ethernet(packet, _mac(rng), _mac(rng)))


def arp(rng: Random) -> bytes:
    """An ARP request, broadcast."""
    sender, target = _ipv4(rng), _ipv4(rng)
    body = struct.pack("!HHBBH", 1, EtherType.IPV4, 6, 4, 1) + _mac(rng)
    body += bytes(map(int, sender.split("."))) + bytes(6)
    body += bytes(map(int, target.split(".")))
    frame = ethernet(body, _mac(rng), "ff:ff:ff:ff:ff:ff", ethertype=ETHERTYPE_ARP)
    return _pad(frame)


def _pad(frame: bytes) -> bytes:
    return frame.ljust(MIN_FRAME, b"\0")


# What a busy office segment carries, roughly, besides DHCP.
MIX: tuple[tuple[Builder, float], ...] = (
    (tcp_ipv4, 0.55),
    (lambda rng: tcp_ipv4(rng, tagged=True), 0.03),
    (tcp_ipv6, 0.12),
    (dns, 0.17),
    (ntp, 0.03),
    (arp, 0.06),
    (neighbour_solicitation, 0.04),
)


def templates(seed: int) -> list[bytes]:
    """The frames to draw from: TEMPLATES of them in the proportions of MIX."""
    rng = Random(seed)
    builders = rng.choices(
        [build for build, _ in MIX], [share for _, share in MIX], k=TEMPLATES
    )
    return [build(rng) for build in builders]


def background(seed: int) -> Iterator[bytes]:
    """Frames of other traffic, drawn at random, without end."""
    rng = Random(seed)
    pool = templates(seed)
    while True:
        yield from rng.choices(pool, k=BATCH)
