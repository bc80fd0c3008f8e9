"""Structured values of the options that have structure.

Each function takes an option's joined value (RFC 3396) and returns frozen
values, or raises `ValueFormatError` naming what is wrong; it never slices
past what it was given.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network


class ValueFormatError(ValueError):
    """An option value that does not follow its RFC's format."""


@dataclass(frozen=True, slots=True)
class ClientIdentifier:
    """Option 61 (RFC 2132 section 9.14): a type byte, then the identifier."""

    type: int  # 1 = Ethernet, 255 = RFC 4361 IAID + DUID, 0 = not hardware
    identifier: bytes


@dataclass(frozen=True, slots=True)
class SubOption:
    """A code/length/value inside a container option (82, 43, 125)."""

    code: int
    data: bytes


@dataclass(frozen=True, slots=True)
class Route:
    """One classless static route (RFC 3442): destination and router."""

    destination: IPv4Network
    router: IPv4Address


@dataclass(frozen=True, slots=True)
class ClientFqdn:
    """Option 81 (RFC 4702): flags, two deprecated RCODEs and the name."""

    flags: int
    rcode1: int
    rcode2: int
    name: bytes  # canonical wire format when flag E is set, else ASCII


@dataclass(frozen=True, slots=True)
class VendorBlock:
    """One enterprise's data in options 124 and 125 (RFC 3925)."""

    enterprise: int
    data: bytes


def client_identifier(data: bytes) -> ClientIdentifier:
    """Option 61: RFC 2132 section 9.14 asks for at least two bytes."""
    if len(data) < 2:
        raise ValueFormatError(f"client identifier of {len(data)} bytes (min 2)")
    return ClientIdentifier(data[0], data[1:])


def suboptions(data: bytes) -> tuple[SubOption, ...]:
    """Code/length/value triplets (RFC 3046 section 2.0 for option 82)."""
    found = []
    offset = 0
    while offset < len(data):
        if offset + 2 > len(data):
            raise ValueFormatError(f"sub-option at byte {offset} has no length")
        code, length = data[offset], data[offset + 1]
        end = offset + 2 + length
        if end > len(data):
            raise ValueFormatError(
                f"sub-option {code} truncated: {length} bytes declared, "
                f"{len(data) - offset - 2} present"
            )
        found.append(SubOption(code, data[offset + 2 : end]))
        offset = end
    return tuple(found)


def classless_routes(data: bytes) -> tuple[Route, ...]:
    """Options 121 and 249 (RFC 3442 section 3): width, significant octets,
    router."""
    routes = []
    offset = 0
    while offset < len(data):
        width = data[offset]
        if width > 32:
            raise ValueFormatError(f"route prefix length {width} (max 32)")
        octets = (width + 7) // 8
        end = offset + 1 + octets + 4
        if end > len(data):
            raise ValueFormatError(f"route at byte {offset} truncated")
        prefix = data[offset + 1 : offset + 1 + octets].ljust(4, b"\0")
        # Bits past the prefix length are not part of the destination: a
        # client masks them away, as it builds the subnet number from the
        # width and the significant octets alone (RFC 3442 section 3).
        network = IPv4Network((prefix, width), strict=False)
        routes.append(Route(network, IPv4Address(data[end - 4 : end])))
        offset = end
    return tuple(routes)


def user_classes(data: bytes) -> tuple[bytes, ...]:
    """Option 77 (RFC 3004 section 4): length-prefixed class names."""
    classes = []
    offset = 0
    while offset < len(data):
        length = data[offset]
        end = offset + 1 + length
        if length == 0 or end > len(data):
            raise ValueFormatError(f"user class at byte {offset} of length {length}")
        classes.append(data[offset + 1 : end])
        offset = end
    return tuple(classes)


def client_fqdn(data: bytes) -> ClientFqdn:
    """Option 81 (RFC 4702 section 2)."""
    if len(data) < 3:
        raise ValueFormatError(f"client FQDN of {len(data)} bytes (min 3)")
    return ClientFqdn(data[0], data[1], data[2], data[3:])


def vendor_blocks(data: bytes) -> tuple[VendorBlock, ...]:
    """Options 124 and 125 (RFC 3925): enterprise number, length, data."""
    blocks = []
    offset = 0
    while offset < len(data):
        if offset + 5 > len(data):
            raise ValueFormatError(f"vendor block at byte {offset} truncated")
        length = data[offset + 4]
        end = offset + 5 + length
        if end > len(data):
            raise ValueFormatError(f"vendor block at byte {offset} truncated")
        enterprise = int.from_bytes(data[offset : offset + 4])
        blocks.append(VendorBlock(enterprise, data[offset + 5 : end]))
        offset = end
    return tuple(blocks)


def addresses(data: bytes) -> tuple[IPv4Address, ...]:
    """A list of IPv4 addresses (options 3, 6, 54, ...)."""
    if not data or len(data) % 4:
        raise ValueFormatError(f"{len(data)} bytes is not a list of addresses")
    return tuple(IPv4Address(data[i : i + 4]) for i in range(0, len(data), 4))


def unsigned(data: bytes, size: int) -> int:
    """A big-endian unsigned integer of exactly `size` bytes (51, 57, 58...)."""
    if len(data) != size:
        raise ValueFormatError(f"{len(data)} bytes (expected {size})")
    return int.from_bytes(data)
