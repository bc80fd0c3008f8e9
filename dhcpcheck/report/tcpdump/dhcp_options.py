"""Option values as tcpdump prints them, one formatter per value layout.

Formatters get an option's complete data (the caller checked the capture holds
it) and say how many octets they used; the caller reports what is left over.
"""

import socket
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dhcpcheck.decode.options import (
    HARDWARE_TYPE_NAMES,
    MESSAGE_TYPES,
    NETBIOS_NODE_NAMES,
    OPTIONS,
    OVERLOAD_NAMES,
    RELAY_AGENT_SUBOPTION_NAMES,
    FqdnFlag,
    TcpdumpLabel,
    ValueFormat,
)
from dhcpcheck.report.tcpdump.escape import escape
from dhcpcheck.report.tcpdump.settings import Dialect

LIST_INDENT = "\n\t      "  # parameter list rows, user-class instances, sub-options
HEX_INDENT = "\n\t\t"  # hex dump rows under a relay agent sub-option
REQUESTS_PER_ROW = 4
HEX_ROW_OCTETS = 16


@dataclass(frozen=True, slots=True, eq=False)
class Wording:
    """What differs in the option text between the tcpdump releases.

    There is one per release, so it compares and hashes by identity: cheap as
    a cache key.
    """

    dialect: Dialect
    option_head: str  # format of `NAME (CODE), length N`
    unknown_name: str  # format of an unknown option's name
    request_entry: str  # format of one parameter-request entry
    unknown_request: str  # format of an unknown parameter-request entry
    error: str  # format of an error inside a value
    fqdn_mbz_error: bool  # whether a non-zero MBZ nibble in option 81 is reported

    def label(self, code: int) -> TcpdumpLabel:
        """The name and layout this release gives option ``code``."""
        spec = OPTIONS[code]
        return spec.tcpdump if self.dialect is Dialect.V4_99 else spec.tcpdump_4_9

    def option_name(self, code: int) -> str:
        """The name in an option's header line."""
        name = self.label(code).name
        return name if name is not None else self.unknown_name.format(code)

    def request_name(self, code: int) -> str:
        """One parameter-request entry."""
        name = self.label(code).name
        if name is None:
            return self.unknown_request.format(code)
        return self.request_entry.format(name=name, code=code)

    def message_type(self, value: int) -> str:
        """The name of a DHCP message type (option 53)."""
        spec = MESSAGE_TYPES.get(value)
        name = None
        if spec:
            name = spec.tcpdump if self.dialect is Dialect.V4_99 else spec.tcpdump_4_9
        return name or f"Unknown ({value})"


WORDINGS = {
    Dialect.V4_99: Wording(
        dialect=Dialect.V4_99,
        option_head="{name} ({code}), length {length}",
        unknown_name="Unknown",
        request_entry="{name} ({code})",
        unknown_request="Unknown ({})",
        error="[ERROR: {}]",
        fqdn_mbz_error=True,
    ),
    Dialect.V4_9: Wording(
        dialect=Dialect.V4_9,
        option_head="{name} Option {code}, length {length}",
        unknown_name="T{}",
        request_entry="{name}",
        unknown_request="Option {}",
        error="ERROR: {}",
        fqdn_mbz_error=False,
    ),
}


@dataclass(frozen=True, slots=True)
class Rendered:
    """A formatted value and how many octets of the option it used."""

    text: str
    used: int


Formatter = Callable[[bytes, Wording], Rendered]


def ipv4(data: bytes) -> str:
    """Dotted quad of four octets."""
    return socket.inet_ntoa(data)


def _numbers(data: bytes, size: int, code: str) -> Rendered:
    count = len(data) // size
    values = struct.unpack(f">{count}{code}", data[: count * size])
    return Rendered(",".join(str(value) for value in values), count * size)


def _u8(data: bytes, wording: Wording) -> Rendered:
    return Rendered(".".join(str(octet) for octet in data), len(data))


def _u16(data: bytes, wording: Wording) -> Rendered:
    return _numbers(data, 2, "H")


def _u32(data: bytes, wording: Wording) -> Rendered:
    return _numbers(data, 4, "I")


def _i32(data: bytes, wording: Wording) -> Rendered:
    return _numbers(data, 4, "i")


def _ipv4_list(data: bytes, wording: Wording) -> Rendered:
    used = len(data) - len(data) % 4
    text = ",".join(ipv4(data[at : at + 4]) for at in range(0, used, 4))
    return Rendered(text, used)


def _ipv4_pairs(data: bytes, wording: Wording) -> Rendered:
    used = len(data) - len(data) % 8
    pairs = (data[at : at + 8] for at in range(0, used, 8))
    text = ",".join(f"({ipv4(pair[:4])}:{ipv4(pair[4:])})" for pair in pairs)
    return Rendered(text, used)


def _boolean(data: bytes, wording: Wording) -> Rendered:
    words = {0: "N", 1: "Y"}
    text = ",".join(words.get(octet, f"{octet}?") for octet in data)
    return Rendered(text, len(data))


def _text(data: bytes, wording: Wording) -> Rendered:
    return Rendered(f'"{escape(data)}"', len(data))


def _guessed(data: bytes, wording: Wording) -> Rendered:
    """tcpdump's guess for a layout it does not know: odd, 2 mod 4, 0 mod 4."""
    if len(data) % 2:
        return _u8(data, wording)
    if len(data) % 4:
        return _u16(data, wording)
    return _u32(data, wording)


def _message_type(data: bytes, wording: Wording) -> Rendered:
    if len(data) != 1:
        return _u8(data, wording)
    return Rendered(wording.message_type(data[0]), 1)


def _too_short(data: bytes, minimum: int, wording: Wording) -> Rendered | None:
    """The error tcpdump prints for a value under ``minimum`` octets, if it is."""
    if len(data) >= minimum:
        return None
    return Rendered(wording.error.format(f"length < {minimum} bytes"), len(data))


def _named_octet(names: Mapping[int, str]) -> Formatter:
    def render(data: bytes, wording: Wording) -> Rendered:
        short = _too_short(data, 1, wording)
        if short:
            return short
        return Rendered(names.get(data[0], f"#{data[0]}"), 1)

    return render


def _parameter_list(data: bytes, wording: Wording) -> Rendered:
    parts = []
    for index, code in enumerate(data):
        parts.append(LIST_INDENT if index % REQUESTS_PER_ROW == 0 else ", ")
        parts.append(wording.request_name(code))
    return Rendered("".join(parts), len(data))


def _hex(data: bytes) -> str:
    return ":".join(f"{octet:02x}" for octet in data)


def _client_id(data: bytes, wording: Wording) -> Rendered:
    short = _too_short(data, 1, wording)
    if short:
        return short
    kind, ident = data[0], data[1:]
    if kind == 0:
        return Rendered(f'"{escape(ident)}"', len(data))
    name = HARDWARE_TYPE_NAMES.get(kind)
    prefix = f"{name} " if name else f"hardware-type {kind}, "
    return Rendered(prefix + _hex(ident), len(data))


def _user_class(data: bytes, wording: Wording) -> Rendered:
    """RFC 3004 instances, each a length octet and that many octets of data."""
    short = _too_short(data, 2, wording)
    if short:
        return short
    parts, at, number = [], 0, 0
    while at < len(data):
        size = data[at]
        number += 1
        parts.append(f"{LIST_INDENT}instance#{number}: ")
        if size == 0:
            parts.append(wording.error.format("suboption length must be non-zero"))
            break
        if size > len(data) - at - 1:
            parts.append(wording.error.format("invalid option"))
            break
        parts.append(f'"{escape(data[at + 1 : at + 1 + size])}", length {size}')
        at += 1 + size
    return Rendered("".join(parts), len(data))


def _client_fqdn(data: bytes, wording: Wording) -> Rendered:
    """RFC 4702: flags, two deprecated rcode octets, then the name as is."""
    short = _too_short(data, 3, wording)
    if short:
        return short
    flags, rcode1, rcode2 = data[0], data[1], data[2]
    parts = []
    if flags & 0xF0 and wording.fqdn_mbz_error:
        parts.append(f"[ERROR: MBZ nibble 0x{flags >> 4:x} != 0] ")
    if flags & 0x0F:
        letters = "".join(flag.name or "" for flag in FqdnFlag if flags & flag)
        parts.append(f"[{letters}] ")
    if rcode1 or rcode2:
        parts.append(f"{rcode1}/{rcode2} ")
    parts.append(f'"{escape(data[3:])}"')
    return Rendered("".join(parts), len(data))


def hex_dump(data: bytes, indent: str) -> str:
    """Rows of 16 octets in 16-bit groups, each row led by its offset."""
    rows = []
    for offset in range(0, len(data), HEX_ROW_OCTETS):
        row = data[offset : offset + HEX_ROW_OCTETS]
        groups = (row[at : at + 2].hex() for at in range(0, len(row), 2))
        rows.append(f"{indent}0x{offset:04x}:  " + " ".join(groups))
    return "".join(rows)


def _relay_agent_info(data: bytes, wording: Wording) -> Rendered:
    """RFC 3046 sub-options: code, length, value; names known to tcpdump as text."""
    parts, at = [], 0
    while len(data) - at >= 2:
        code, size = data[at], data[at + 1]
        at += 2
        name = RELAY_AGENT_SUBOPTION_NAMES.get(code, "Unknown")
        parts.append(f"{LIST_INDENT}{name} SubOption {code}, length {size}: ")
        if size > len(data) - at:
            parts.append("length goes past end of option")
            return Rendered("".join(parts), len(data))
        value = data[at : at + size]
        at += size
        known = code in RELAY_AGENT_SUBOPTION_NAMES
        parts.append(escape(value) if known else hex_dump(value, HEX_INDENT))
    return Rendered("".join(parts), at)


def _classless_route(data: bytes) -> tuple[str, int]:
    """One RFC 3442 route from the start of ``data``: text, octets used (0: error).

    RFC 3442 section 1 (https://www.rfc-editor.org/rfc/rfc3442#section-1): "the
    number of significant octets in the subnet number is equal to the width of
    the subnet mask divided by eight, rounding up".
    """
    width = data[0]
    if width > 32:
        return f"[ERROR: Mask width ({width}) > 32]", 0
    significant = (width + 7) // 8
    if len(data) - 1 < significant + 4:
        need = significant + 4
        return f"[ERROR: Remaining length ({len(data) - 1}) < {need} bytes]", 0
    prefix = data[1 : 1 + significant].ljust(4, b"\0")
    router = data[1 + significant : 5 + significant]
    target = "default" if width == 0 else f"{ipv4(prefix)}/{width}"
    return f"({target}:{ipv4(router)})", 5 + significant


def _classless_routes(data: bytes, wording: Wording) -> Rendered:
    short = _too_short(data, 5, wording)
    if short:
        return short
    parts, at = [], 0
    while at < len(data):
        text, used = _classless_route(data[at:])
        parts.append(text)
        if not used:
            break
        at += used
        if at < len(data):
            parts.append(",")
    return Rendered("".join(parts), len(data))


def _extended_request(data: bytes, wording: Wording) -> Rendered:
    """tcpdump 4.9.3's option 126: 16-bit option codes joined by `+`."""
    used = len(data) - len(data) % 2
    codes = struct.unpack(f">{used // 2}H", data[:used])
    return Rendered("+".join(f"xT{code}" for code in codes), used)


FORMATTERS: dict[ValueFormat, Formatter] = {
    ValueFormat.IPV4: _ipv4_list,
    ValueFormat.IPV4_PAIRS: _ipv4_pairs,
    ValueFormat.U8: _u8,
    ValueFormat.BYTES: _u8,
    ValueFormat.U16: _u16,
    ValueFormat.U32: _u32,
    ValueFormat.I32: _i32,
    ValueFormat.BOOLEAN: _boolean,
    ValueFormat.TEXT: _text,
    ValueFormat.GUESSED: _guessed,
    ValueFormat.EXTENDED_OPTION: _guessed,
    ValueFormat.MESSAGE_TYPE: _message_type,
    ValueFormat.OVERLOAD: _named_octet(OVERLOAD_NAMES),
    ValueFormat.NETBIOS_NODE: _named_octet(NETBIOS_NODE_NAMES),
    ValueFormat.PARAMETER_LIST: _parameter_list,
    ValueFormat.CLIENT_ID: _client_id,
    ValueFormat.USER_CLASS: _user_class,
    ValueFormat.CLIENT_FQDN: _client_fqdn,
    ValueFormat.RELAY_AGENT_INFO: _relay_agent_info,
    ValueFormat.CLASSLESS_ROUTES: _classless_routes,
    ValueFormat.EXTENDED_REQUEST: _extended_request,
}
"""Every layout a tcpdump label can name; the table's other layouts never print."""


def format_value(code: int, data: bytes, wording: Wording) -> Rendered:
    """Option ``code``'s complete ``data`` as this release prints it."""
    return FORMATTERS[wording.label(code).value](data, wording)
