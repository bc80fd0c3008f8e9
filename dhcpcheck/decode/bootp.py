"""Decode a BOOTP/DHCP message (RFC 2131, RFC 2132) from a UDP payload.

Sans-I/O: bytes in, a frozen `Message` out. Nothing here raises on bad input:
what is wrong with the bytes is recorded as `Problem`s for the rule engine.
Structured option values live in `values`; this module only frames them.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from ipaddress import IPv4Address

from dhcpcheck.decode.ip import ipv4_address
from dhcpcheck.decode.options import OptionCode

FIXED_HEADER = 236  # op .. file, RFC 2131 section 2, figure 1
MAGIC_COOKIE = b"\x63\x82\x53\x63"  # RFC 2131 section 3
_SNAME = slice(44, 108)
_FILE = slice(108, 236)


class Op(IntEnum):
    """The BOOTP `op` field."""

    BOOTREQUEST = 1
    BOOTREPLY = 2


class Area(StrEnum):
    """Where an option was found; RFC 2131 section 4.1 lets `file` and `sname`
    carry options when option 52 (overload) says so."""

    OPTIONS = "options"
    FILE = "file"
    SNAME = "sname"


class ProblemKind(StrEnum):
    """What can be wrong with the bytes of a message, independent of meaning."""

    TRUNCATED_HEADER = "truncated-header"
    BAD_COOKIE = "bad-magic-cookie"
    OPTION_TRUNCATED = "option-truncated"
    MISSING_END = "missing-end-option"
    BAD_OVERLOAD = "bad-overload"


@dataclass(frozen=True, slots=True)
class Problem:
    """One defect of the encoding, at `offset` bytes into the BOOTP message."""

    kind: ProblemKind
    offset: int
    detail: str


@dataclass(frozen=True, slots=True)
class Option:
    """One option as it stands on the wire, duplicates and order preserved.

    `offset` is where its code byte sits in the BOOTP message; `length` is the
    declared length and `data` the bytes actually present (shorter when the
    option runs past the end of its area or of the capture).
    """

    code: int
    length: int
    data: bytes
    offset: int
    area: Area = Area.OPTIONS

    @property
    def truncated(self) -> bool:
        """True when fewer bytes are present than the length declares."""
        return len(self.data) < self.length


@dataclass(frozen=True, slots=True)
class Message:
    """A decoded BOOTP/DHCP message; field names as RFC 2131 section 2."""

    op: int
    htype: int
    hlen: int
    hops: int
    xid: int
    secs: int
    flags: int
    ciaddr: IPv4Address
    yiaddr: IPv4Address
    siaddr: IPv4Address
    giaddr: IPv4Address
    chaddr: bytes  # all 16 bytes; `client_hardware` applies hlen
    sname: bytes
    file: bytes
    cookie: bytes | None  # None when the message ends before the vendor area
    options: tuple[Option, ...]
    problems: tuple[Problem, ...]
    size: int  # bytes of the message that were captured
    wire_size: int  # bytes the message had on the wire (UDP payload length)
    # The value of option 53 (None for plain BOOTP or a bad option), read
    # once here: grouping and every rule ask for it.
    message_type: int | None = field(init=False, compare=False)
    # `by_code`, made the first time it is asked for: the rules ask often,
    # but the slim messages a long capture keeps (see leases.py) hardly ever.
    _by_code: dict[int, tuple[Option, ...]] | None = field(
        init=False, default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        kind = _joined(self.options, OptionCode.MESSAGE_TYPE)
        known = kind[0] if kind is not None and len(kind) == 1 else None
        object.__setattr__(self, "message_type", known)

    @property
    def by_code(self) -> Mapping[int, tuple[Option, ...]]:
        """Each option code's instances, in the message's (RFC 3396) order."""
        if self._by_code is None:
            by_code: dict[int, tuple[Option, ...]] = {}
            for option in self.options:
                by_code[option.code] = (*by_code.get(option.code, ()), option)
            object.__setattr__(self, "_by_code", by_code)
            return by_code
        return self._by_code

    @property
    def cut(self) -> bool:
        """True when the capture kept less than the wire carried (snap length)."""
        return self.size < self.wire_size

    @property
    def broadcast(self) -> bool:
        """The BROADCAST flag, RFC 2131 section 2, figure 2."""
        return bool(self.flags & 0x8000)

    @property
    def client_hardware(self) -> bytes:
        """chaddr cut to hlen (at most 16 bytes)."""
        return self.chaddr[: min(self.hlen, 16)]

    @property
    def client_mac(self) -> str:
        """The client hardware address as colon-separated hex."""
        return self.client_hardware.hex(":")

    def all(self, code: int) -> Iterator[Option]:
        """Every instance of option `code`, in RFC 3396 order."""
        return iter(self.by_code.get(code, ()))

    def value(self, code: int) -> bytes | None:
        """Option `code`'s value, split instances joined as RFC 3396 says."""
        instances = self.by_code.get(code)
        if instances is None:
            return None
        if len(instances) == 1:
            return instances[0].data
        return b"".join(option.data for option in instances)


def _joined(options: tuple[Option, ...], code: int) -> bytes | None:
    parts = [option.data for option in options if option.code == code]
    return b"".join(parts) if parts else None


def decode_bootp(payload: bytes, wire_size: int | None = None) -> Message | None:
    """Decode `payload`, or return None when not even op..xid is there.

    `wire_size` is the message's length on the wire when the capture cut it.
    A message cut inside the fixed header carries TRUNCATED_HEADER and zeros for
    the missing bytes, so that what was captured can still be grouped.
    """
    if len(payload) < 8:
        return None
    header = payload[:FIXED_HEADER].ljust(FIXED_HEADER, b"\0")
    problems: list[Problem] = []
    if len(payload) < FIXED_HEADER:
        problems.append(
            Problem(
                ProblemKind.TRUNCATED_HEADER,
                len(payload),
                f"{FIXED_HEADER} bytes of fixed header expected, {len(payload)} "
                "present",
            )
        )
    cookie = _cookie(payload, problems)
    options = _options(payload, problems) if cookie == MAGIC_COOKIE else ()
    return Message(
        op=header[0],
        htype=header[1],
        hlen=header[2],
        hops=header[3],
        xid=int.from_bytes(header[4:8]),
        secs=int.from_bytes(header[8:10]),
        flags=int.from_bytes(header[10:12]),
        ciaddr=ipv4_address(header[12:16]),
        yiaddr=ipv4_address(header[16:20]),
        siaddr=ipv4_address(header[20:24]),
        giaddr=ipv4_address(header[24:28]),
        chaddr=header[28:44],
        sname=header[_SNAME],
        file=header[_FILE],
        cookie=cookie,
        options=options,
        problems=tuple(problems),
        size=len(payload),
        wire_size=max(len(payload), wire_size or 0),
    )


def _cookie(payload: bytes, problems: list[Problem]) -> bytes | None:
    cookie = payload[FIXED_HEADER : FIXED_HEADER + 4]
    if not cookie:
        return None
    if cookie != MAGIC_COOKIE:
        problems.append(
            Problem(
                ProblemKind.BAD_COOKIE,
                FIXED_HEADER,
                f"magic cookie 0x{cookie.hex()} (expected 0x63825363)",
            )
        )
    return cookie


def _options(payload: bytes, problems: list[Problem]) -> tuple[Option, ...]:
    """The options field, then `file` and `sname` if option 52 says so."""
    start = FIXED_HEADER + 4
    found = list(_walk(payload, start, len(payload), Area.OPTIONS, problems))
    overload = [option for option in found if option.code == OptionCode.OVERLOAD]
    if not overload:
        return tuple(found)
    value = overload[0].data
    if len(value) != 1 or value[0] not in (1, 2, 3):
        problems.append(
            Problem(
                ProblemKind.BAD_OVERLOAD,
                overload[0].offset,
                f"option 52 value {value.hex() or 'missing'} (expected 1, 2 or 3)",
            )
        )
        return tuple(found)
    # RFC 3396 section 7: options, then file, then sname.
    if value[0] & 1:
        found += _walk(payload, _FILE.start, _FILE.stop, Area.FILE, problems)
    if value[0] & 2:
        found += _walk(payload, _SNAME.start, _SNAME.stop, Area.SNAME, problems)
    return tuple(found)


def _walk(
    payload: bytes, start: int, stop: int, area: Area, problems: list[Problem]
) -> Iterator[Option]:
    """Yield the options between `start` and `stop` up to END, noting defects."""
    stop = min(stop, len(payload))
    offset = start
    while offset < stop:
        code = payload[offset]
        if code == OptionCode.PAD:
            offset += 1
            continue
        if code == OptionCode.END:
            return
        if offset + 1 >= stop:
            yield Option(code, 0, b"", offset, area)
            problems.append(_short(code, offset, "length byte missing"))
            return
        length = payload[offset + 1]
        data = payload[offset + 2 : min(offset + 2 + length, stop)]
        yield Option(code, length, data, offset, area)
        if len(data) < length:
            problems.append(
                _short(code, offset, f"{length} bytes declared, {len(data)} present")
            )
            return
        offset += 2 + length
    problems.append(
        Problem(ProblemKind.MISSING_END, offset, f"no END option in {area}")
    )


def _short(code: int, offset: int, detail: str) -> Problem:
    return Problem(
        ProblemKind.OPTION_TRUNCATED, offset, f"option {code} truncated: {detail}"
    )
