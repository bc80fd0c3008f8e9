"""A DHCP starvation flood as a pcap file: DISCOVERs from random chaddrs.

Written from one struct template with the chaddr, xid and time patched in, so
that half a million frames take seconds, not the minutes the crafting
builders would. Deterministic for a seed.
"""

import struct
from pathlib import Path
from random import Random

from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.craft.ip import UDP, IPv4, udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.craft.options import encode_options, message_type, parameter_request
from dhcpcheck.decode.options import MessageType

PCAP_HEADER = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1)
RECORD = struct.Struct("<IIII")
START = 1_700_000_000
# Offsets into the Ethernet frame: source MAC; BOOTP xid and chaddr.
SOURCE_MAC = 6
BOOTP = 14 + 20 + 8
XID = BOOTP + 4
CHADDR = BOOTP + 28
BATCH = 10_000  # frames joined per write


def discover_template() -> bytes:
    """One broadcast DISCOVER; its MACs and xid are overwritten per frame."""
    options = encode_options(
        [message_type(MessageType.DISCOVER), parameter_request(1, 3, 6)]
    )
    message = Bootp(chaddr=bytes(6), raw_options=b"\x63\x82\x53\x63" + options)
    packet = udp_ipv4(message.encode(), IPv4(), UDP(68, 67, 0))
    return ethernet(packet, src=bytes(6))


def write_flood(path: Path, count: int, per_second: int = 1000, seed: int = 1) -> None:
    """Write ``count`` DISCOVERs, ``per_second`` a second, each a new chaddr."""
    template = discover_template()
    size = len(template)
    head, middle = template[:SOURCE_MAC], template[SOURCE_MAC + 6 : XID]
    between, tail = template[XID + 4 : CHADDR], template[CHADDR + 6 :]
    random = Random(seed).randbytes(count * 9)
    step = 1_000_000 // per_second
    with path.open("wb") as stream:
        stream.write(PCAP_HEADER)
        for first in range(0, count, BATCH):
            records: list[bytes] = []
            for number in range(first, min(first + BATCH, count)):
                drawn = random[number * 9 : number * 9 + 9]
                mac, xid = b"\x02" + drawn[:5], drawn[5:]
                seconds, rest = divmod(number, per_second)
                stamp = RECORD.pack(START + seconds, rest * step, size, size)
                records += (stamp, head, mac, middle, xid, between, mac, tail)
            stream.write(b"".join(records))
