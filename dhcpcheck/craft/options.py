"""DHCP options as (code, value) pairs, and helpers that encode typical values.

Helpers return well-formed options; ``option_bytes`` with a ``length`` writes
any declared length, so malformed option areas can be built from the same parts.
"""

import struct
from collections.abc import Iterable
from ipaddress import IPv4Network

from dhcpcheck.craft.fields import Address, pack_address, pack_text
from dhcpcheck.decode.options import MessageType, OptionCode

Option = tuple[int, bytes]


def option_bytes(code: int, value: bytes, length: int | None = None) -> bytes:
    """Return one option as it sits on the wire.

    "The code for [the pad and end] options is 0 and 255, respectively. [...]
    these options are fixed length one octet" (RFC 2132 section 2), so those
    two with an empty value are a single byte. ``length`` overrides the
    declared length without changing the value that follows it.
    """
    if code in (OptionCode.PAD, OptionCode.END) and not value and length is None:
        return bytes([code])
    return bytes([code, len(value) if length is None else length]) + value


def encode_options(options: Iterable[Option], end: bool = True) -> bytes:
    """Return the options in order, with the End option last unless told not to."""
    encoded = b"".join(option_bytes(code, value) for code, value in options)
    return encoded + bytes([OptionCode.END]) if end else encoded


def message_type(kind: MessageType) -> Option:
    """Return option 53 holding ``kind``."""
    return OptionCode.MESSAGE_TYPE, bytes([kind])


def addresses(code: int, *values: Address) -> Option:
    """Return an option holding one or more IPv4 addresses."""
    return code, b"".join(pack_address(value) for value in values)


def uint32(code: int, value: int) -> Option:
    """Return an option holding a 32-bit unsigned integer (times, for one)."""
    return code, struct.pack("!I", value)


def uint16(code: int, value: int) -> Option:
    """Return an option holding a 16-bit unsigned integer (sizes, MTU)."""
    return code, struct.pack("!H", value)


def text(code: int, value: str | bytes) -> Option:
    """Return an option holding text, with no terminating NUL."""
    return code, pack_text(value)


def parameter_request(*codes: int) -> Option:
    """Return option 55 asking for ``codes`` in that order."""
    return OptionCode.PARAMETER_REQUEST_LIST, bytes(codes)


def classless_routes(*routes: tuple[str, Address]) -> Option:
    """Return option 121 from (destination, router) pairs such as ("0.0.0.0/0", r).

    RFC 3442 section 2: each destination is its prefix length and then only
    the significant octets of the network number, followed by the router.
    """
    encoded = b""
    for destination, router in routes:
        network = IPv4Network(destination)
        significant = -(-network.prefixlen // 8)
        prefix = network.network_address.packed[:significant]
        encoded += bytes([network.prefixlen]) + prefix + pack_address(router)
    return OptionCode.CLASSLESS_ROUTE, encoded
