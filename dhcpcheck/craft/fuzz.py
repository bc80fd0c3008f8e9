"""Random BOOTP/DHCP frames for the differential test against tcpdump.

Seeded and deterministic. About half the frames are malformed on purpose;
this module only makes them and says nothing of what a printer should show.
"""

import string
from collections.abc import Callable
from io import BytesIO
from ipaddress import IPv4Address
from random import Random

from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.writer import TimeResolution, write_pcap
from dhcpcheck.craft.bootp import MAGIC_COOKIE, Bootp, BootpFlag, BootpOp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import UDP, IpFlag, IPv4, udp_ipv4
from dhcpcheck.craft.link import (
    EtherType,
    SllPacketType,
    VlanTag,
    ethernet,
    linux_sll,
    linux_sll2,
    null_loopback,
    raw_ip,
)
from dhcpcheck.craft.options import encode_options, option_bytes
from dhcpcheck.decode.options import MessageType, OptionCode

MALFORMED_SHARE = 0.5
ODD_SHARE = 0.15  # of each field or option in a malformed frame
START_NS = 1_700_000_000 * 10**9
PRINTABLE = (string.ascii_letters + string.digits + "-._ ").encode()

# Value sizes of RFC 2132 options: (bytes per item, most items) -> codes.
FIXED_SIZES: dict[tuple[int, int], tuple[int, ...]] = {
    (4, 1): (1, 2, 16, 24, 28, 32, 35, 38, 50, 51, 54, 58, 59, 91, 118),
    (4, 3): (*range(3, 12), 41, 42, 44, 45, 48, 49, 65, *range(68, 77), 150),
    (8, 2): (21, 33),
    (2, 1): (13, 22, 26, 57),
    (2, 4): (25,),
    (1, 1): (19, 20, 23, 27, 29, 30, 31, 34, 36, 37, 39, 46, 52, 53, 116),
}
SIZES = {code: size for size, codes in FIXED_SIZES.items() for code in codes}
TEXT_CODES = frozenset({12, 14, 15, 17, 18, 40, 47, 56, 60, 62, 64, 66, 67, 100, 101})
IP_OPTIONS = (b"\x94\x04\x00\x00", b"\x01\x01\x01", b"\x07\x07\x04" + bytes(4))
PORTS = ((68, 67), (67, 68), (67, 67))


def random_text(rng: Random) -> bytes:
    """Return 1-40 bytes of text, now and then with control and high-bit bytes."""
    size = rng.randint(1, 40)
    if rng.random() < 0.8:
        return bytes(rng.choices(PRINTABLE, k=size))
    return rng.randbytes(size)


def random_routes(rng: Random) -> bytes:
    """Return RFC 3442 routes, the mask width now and then past 32."""
    routes = b""
    for _ in range(rng.randint(1, 3)):
        width = rng.choice(
            [rng.randint(0, 32), rng.randint(0, 32), rng.randint(33, 40)]
        )
        significant = min(-(-width // 8), 4)
        routes += bytes([width]) + rng.randbytes(significant) + rng.randbytes(4)
    return routes


def random_suboptions(rng: Random) -> bytes:
    """Return sub-options as relay agent information (82) carries them."""
    parts = [(rng.randint(1, 12), rng.randbytes(rng.randint(0, 8))) for _ in range(3)]
    return encode_options(parts[: rng.randint(1, 3)], end=False)


STRUCTURED: dict[int, Callable[[Random], bytes]] = {
    OptionCode.PARAMETER_REQUEST_LIST: lambda rng: rng.randbytes(rng.randint(1, 20)),
    43: random_suboptions,  # vendor specific information
    61: lambda rng: b"\x01" + rng.randbytes(6),  # client identifier, Ethernet
    82: random_suboptions,  # relay agent information, RFC 3046
    OptionCode.CLASSLESS_ROUTE: random_routes,
}


def random_value(rng: Random, code: int) -> bytes:
    """Return a value for option ``code``, shaped as its definition says."""
    if code in STRUCTURED:
        return STRUCTURED[code](rng)
    if code in TEXT_CODES:
        return random_text(rng)
    if code in SIZES:
        unit, most = SIZES[code]
        return rng.randbytes(unit * rng.randint(1, most))
    return rng.randbytes(rng.randint(0, 24))


def random_option(rng: Random, malformed: bool) -> bytes:
    """Return one option of any code; a malformed one may lie about its length."""
    code = rng.randrange(256) if malformed else rng.randrange(1, 255)
    value = random_value(rng, code)
    if malformed and rng.random() < ODD_SHARE:
        return option_bytes(code, value, length=rng.randrange(256))
    return option_bytes(code, value)


def random_options(rng: Random, malformed: bool, overload: int) -> bytes:
    """Return an options field: cookie, message type, overload, options and END.

    A malformed one may have a broken cookie, no END, or be cut anywhere.
    """
    cookie = MAGIC_COOKIE
    if malformed and rng.random() < ODD_SHARE:
        cookie = rng.choice([rng.randbytes(4), MAGIC_COOKIE[: rng.randint(0, 3)]])
    kind = odd(rng, rng.choice(list(MessageType)), malformed)
    area = cookie + option_bytes(OptionCode.MESSAGE_TYPE, bytes([kind]))
    if overload:
        area += option_bytes(OptionCode.OVERLOAD, bytes([overload]))
    area += b"".join(random_option(rng, malformed) for _ in range(rng.randint(0, 12)))
    if not malformed or rng.random() > ODD_SHARE:
        area += bytes([OptionCode.END])
    if malformed and rng.random() < ODD_SHARE:
        area = area[: rng.randint(0, len(area))]
    return area


def name_field(rng: Random, size: int, overloaded: bool) -> bytes:
    """Return sname or file: empty, text, or options when option 52 hands it over."""
    if not overloaded:
        return rng.choice([b"", random_text(rng)])
    options = b"".join(random_option(rng, False) for _ in range(rng.randint(0, 3)))
    return (options[: size - 1] + bytes([OptionCode.END])).ljust(size, b"\x00")


def odd(rng: Random, usual: int, malformed: bool, bits: int = 8) -> int:
    """Return ``usual``, or in a malformed frame now and then any ``bits`` value."""
    return rng.getrandbits(bits) if malformed and rng.random() < ODD_SHARE else usual


def random_address(rng: Random) -> IPv4Address:
    """Return 0.0.0.0 more often than not, else any address."""
    return IPv4Address(rng.getrandbits(32) if rng.random() < 0.4 else 0)


def random_message(rng: Random, malformed: bool) -> Bootp:
    """Return a BOOTP message with every field drawn at random."""
    overload = rng.choice([0, 0, 0, 0, 1, 2, 3])  # 1 file, 2 sname, 3 both
    return Bootp(
        op=odd(rng, rng.choice(list(BootpOp)), malformed),
        htype=odd(rng, 1, malformed),
        hlen=odd(rng, 6, malformed),
        hops=rng.choice([0, 0, 1, rng.randrange(256)]),
        xid=rng.getrandbits(32),
        secs=rng.choice([0, rng.randrange(65536)]),
        flags=odd(rng, rng.choice([0, BootpFlag.BROADCAST]), malformed, 16),
        ciaddr=random_address(rng),
        yiaddr=random_address(rng),
        siaddr=random_address(rng),
        giaddr=random_address(rng),
        chaddr=rng.randbytes(16 if malformed else 6),
        sname=name_field(rng, 64, overloaded=bool(overload & 2)),
        file=name_field(rng, 128, overloaded=bool(overload & 1)),
        raw_options=random_options(rng, malformed, overload),
        min_length=rng.choice([0, 300, 300, 576]),
    )


def random_ip(rng: Random, malformed: bool) -> IPv4:
    """Return an IPv4 header, with options and a bad checksum now and then."""
    return IPv4(
        src=random_address(rng),
        dst=rng.choice([IPv4Address("255.255.255.255"), random_address(rng)]),
        tos=rng.choice([0, 0x10, 0xC0, rng.randrange(256)]),
        ttl=rng.choice([1, 64, 128, 255]),
        ident=rng.getrandbits(16),
        flags=rng.choice([IpFlag.NONE, IpFlag.DF]),
        options=rng.choice(IP_OPTIONS) if rng.random() < 0.1 else b"",
        checksum=rng.getrandbits(16) if malformed and rng.random() < 0.05 else None,
    )


def random_udp(rng: Random, malformed: bool) -> UDP:
    """Return a UDP header on the BOOTP ports, its checksum right, absent or bad."""
    sport, dport = rng.choice(PORTS)
    checksum = rng.choice([None, None, None, 0])
    if malformed and rng.random() < ODD_SHARE:
        checksum = rng.getrandbits(16)
    return UDP(sport, dport, checksum)


def random_ethernet(rng: Random, packet: bytes) -> bytes:
    """Return an Ethernet frame with no, one or two VLAN tags."""
    tpids = rng.choice([(), (EtherType.VLAN,), (EtherType.QINQ, EtherType.VLAN)])
    tags = [VlanTag(rng.randrange(4096), rng.randrange(8), tpid=tpid) for tpid in tpids]
    dst = rng.choice([b"\xff" * 6, rng.randbytes(6)])
    return ethernet(packet, src=rng.randbytes(6), dst=dst, tags=tags)


# Linux cooked v2 names the interface by index and tcpdump prints the local
# interface of that index: draw indexes that no test machine has.
LINKS: dict[LinkType, Callable[[Random, bytes], bytes]] = {
    # A NULL header holds the address family in the byte order of the host
    # that wrote the capture, which is the file's: fuzz_pcap writes little.
    LinkType.NULL: lambda rng, packet: null_loopback(packet, "little"),
    LinkType.ETHERNET: random_ethernet,
    LinkType.RAW: lambda rng, packet: raw_ip(packet),
    LinkType.LINUX_SLL: lambda rng, packet: linux_sll(
        packet, rng.randbytes(6), rng.choice(list(SllPacketType))
    ),
    LinkType.IPV4: lambda rng, packet: raw_ip(packet),
    LinkType.LINUX_SLL2: lambda rng, packet: linux_sll2(
        packet,
        rng.randbytes(6),
        rng.choice(list(SllPacketType)),
        ifindex=rng.randint(10_000, 2**31),
    ),
}


def random_frame(rng: Random, number: int, time_ns: int, linktype: LinkType) -> Frame:
    """Return one frame of ``linktype``; a malformed one may be cut short."""
    malformed = rng.random() < MALFORMED_SHARE
    ip, udp = random_ip(rng, malformed), random_udp(rng, malformed)
    packet = udp_ipv4(random_message(rng, malformed).encode(), ip, udp)
    data = LINKS[linktype](rng, packet)
    snaplen = rng.randint(1, len(data)) if malformed and rng.random() < 0.3 else None
    return captured(number, time_ns, linktype, data, snaplen)


def random_frames(seed: int, count: int, linktype: LinkType) -> list[Frame]:
    """Return ``count`` frames of ``linktype``, the same ones for the same seed."""
    rng = Random(seed)
    frames = []
    time_ns = START_NS
    for number in range(1, count + 1):
        time_ns += rng.randrange(10**9)
        frames.append(random_frame(rng, number, time_ns, linktype))
    return frames


def every_cut(data: bytes, linktype: LinkType) -> list[Frame]:
    """Return ``data`` cut at every length short of whole, frame N holding N bytes."""
    return [
        captured(size, START_NS, linktype, data, snaplen=size)
        for size in range(1, len(data))
    ]


def fuzz_pcap(seed: int, count: int, linktype: LinkType = LinkType.ETHERNET) -> bytes:
    """Return a nanosecond pcap of ``random_frames(seed, count, linktype)``."""
    stream = BytesIO()
    frames = random_frames(seed, count, linktype)
    write_pcap(stream, frames, linktype, TimeResolution.NANO)
    return stream.getvalue()
