"""Field values as people write them, turned into the bytes the wire carries.

Shared by every layer of the builder; it checks sizes and never pads silently.
"""

from ipaddress import IPv4Address

Address = str | IPv4Address  # "192.0.2.1" or an IPv4Address


def pack_address(address: Address) -> bytes:
    """Return the four network-order bytes of an IPv4 address."""
    return IPv4Address(address).packed


def pack_mac(mac: str | bytes) -> bytes:
    """Return the bytes of a hardware address: "fa:16:3e:d6:62:84" or raw bytes."""
    if isinstance(mac, bytes):
        return mac
    return bytes.fromhex(mac.replace(":", ""))


def pack_text(text: str | bytes) -> bytes:
    """Return text as UTF-8 bytes; bytes pass untouched so any octet can be sent."""
    return text.encode() if isinstance(text, str) else text


def fit(value: bytes, size: int, name: str) -> bytes:
    """Pad ``value`` with zeros to ``size`` bytes; refuse a value that is longer."""
    if len(value) > size:
        raise ValueError(f"{name} is {len(value)} bytes, the field holds {size}")
    return value.ljust(size, b"\x00")
