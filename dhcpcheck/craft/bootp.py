"""A BOOTP/DHCP message built from field values (RFC 2131 section 2).

Every field and the options area can be set to anything that fits its size,
so the same builder makes valid messages and broken ones.
"""

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum, IntFlag

from dhcpcheck.craft.fields import Address, fit, pack_address, pack_mac, pack_text
from dhcpcheck.craft.options import Option, encode_options

FIXED_FIELDS = struct.Struct("!BBBBIHH4s4s4s4s16s64s128s")
MAGIC_COOKIE = bytes([99, 130, 83, 99])  # RFC 2131 section 3
BOOTP_MIN_LENGTH = 300  # RFC 951's 64-byte vend area; RFC 1542 section 2.1


class BootpOp(IntEnum):
    """The op field."""

    BOOTREQUEST = 1
    BOOTREPLY = 2


class BootpFlag(IntFlag):
    """The flags field: only the leftmost bit has a meaning (RFC 2131 figure 2)."""

    BROADCAST = 0x8000


@dataclass(frozen=True, slots=True)
class Bootp:
    """The values of one message, named as in RFC 2131 figure 1.

    ``chaddr``, ``sname`` and ``file`` are zero-padded to 16, 64 and 128
    bytes. The options field is ``cookie``, then ``options`` and END (unless
    ``end`` is false); ``raw_options``, when given, replaces all three. The
    message is zero-padded to ``min_length`` (0 for no padding) and
    ``trailer`` is appended after that.
    """

    op: int = BootpOp.BOOTREQUEST
    htype: int = 1  # Ethernet
    hlen: int = 6
    hops: int = 0
    xid: int = 0
    secs: int = 0
    flags: int = 0
    ciaddr: Address = "0.0.0.0"
    yiaddr: Address = "0.0.0.0"
    siaddr: Address = "0.0.0.0"
    giaddr: Address = "0.0.0.0"
    chaddr: str | bytes = b""
    sname: str | bytes = b""
    file: str | bytes = b""
    cookie: bytes = MAGIC_COOKIE
    options: Sequence[Option] = ()
    end: bool = True
    raw_options: bytes | None = None
    min_length: int = BOOTP_MIN_LENGTH
    trailer: bytes = b""

    def encode(self) -> bytes:
        """Return the message as the UDP payload carries it."""
        fixed = FIXED_FIELDS.pack(
            self.op,
            self.htype,
            self.hlen,
            self.hops,
            self.xid,
            self.secs,
            self.flags,
            pack_address(self.ciaddr),
            pack_address(self.yiaddr),
            pack_address(self.siaddr),
            pack_address(self.giaddr),
            fit(pack_mac(self.chaddr), 16, "chaddr"),
            fit(pack_text(self.sname), 64, "sname"),
            fit(pack_text(self.file), 128, "file"),
        )
        area = self.raw_options
        if area is None:
            area = self.cookie + encode_options(self.options, self.end)
        return (fixed + area).ljust(self.min_length, b"\x00") + self.trailer
