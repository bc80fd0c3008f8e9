"""Option names and values as configuration writes them and findings show them.

An option is named by its code ("26"), by its name in `OptionCode` ("interface-
mtu") or by its tcpdump name ("mtu"); `OptionCode` wins where the two disagree
("vendor-class" is 124, not tcpdump's 60). Values are read and shown by the
layout the option table gives; opaque layouts are shown in hex and cannot be
configured.
"""

from ipaddress import IPv4Address

from dhcpcheck.decode.options import OPTIONS, OptionCode, ValueFormat

_INTEGER_SIZES = {
    ValueFormat.U8: 1,
    ValueFormat.U16: 2,
    ValueFormat.U32: 4,
    ValueFormat.I32: 4,
    ValueFormat.BOOLEAN: 1,
}
_NAMES: dict[str, int] = {
    **{
        spec.tcpdump.name.lower(): spec.code
        for spec in OPTIONS
        if spec.tcpdump.name is not None
    },
    **{code.name.lower().replace("_", "-"): int(code) for code in OptionCode},
}


def option_code(name: str) -> int:
    """The code of the option `name` names; ValueError if none."""
    key = name.strip().lower()
    if key.isdecimal() and int(key) < len(OPTIONS):
        return int(key)
    if key.replace("_", "-") in _NAMES:
        return _NAMES[key.replace("_", "-")]
    raise ValueError(f"no option {name!r} (a code 0-255 or a name such as 'mtu')")


def label(code: int) -> str:
    """`option 26 (MTU Interface)`."""
    title = OPTIONS[code].title
    return f"option {code} ({title})" if title else f"option {code}"


def encode(code: int, value: object) -> bytes:
    """The bytes option `code` carries for a configured `value`.

    Addresses as "192.0.2.1", "192.0.2.1, 192.0.2.2" or a list; integers
    (several for a list layout) and booleans as numbers; text as a string.
    ValueError when the option's layout cannot hold `value`.
    """
    layout = OPTIONS[code].value
    items = value if isinstance(value, list) else [value]
    numbers = [item for item in items if isinstance(item, int)]
    if layout in (ValueFormat.IPV4, ValueFormat.IPV4_PAIRS):
        texts = [part for item in items for part in str(item).split(",")]
        return b"".join(IPv4Address(text.strip()).packed for text in texts)
    if layout in _INTEGER_SIZES and len(numbers) == len(items):
        size, signed = _INTEGER_SIZES[layout], layout is ValueFormat.I32
        try:
            return b"".join(n.to_bytes(size, signed=signed) for n in numbers)
        except OverflowError:
            raise ValueError(f"{label(code)} cannot hold {value!r}") from None
    if layout is ValueFormat.TEXT and isinstance(value, str):
        return value.encode("ascii")
    raise ValueError(f"{label(code)} cannot be given as {value!r}")


def render(code: int, data: bytes) -> str:
    """Option `code`'s value as findings show it; hex when it does not parse."""
    layout = OPTIONS[code].value
    size = _INTEGER_SIZES.get(layout)
    if layout in (ValueFormat.IPV4, ValueFormat.IPV4_PAIRS) and _whole(data, 4):
        return ", ".join(
            str(IPv4Address(data[i : i + 4])) for i in range(0, len(data), 4)
        )
    if size is not None and _whole(data, size):
        signed = layout is ValueFormat.I32
        return ", ".join(
            str(int.from_bytes(data[i : i + size], signed=signed))
            for i in range(0, len(data), size)
        )
    if layout is ValueFormat.TEXT:
        return repr(data.decode("ascii", "backslashreplace"))
    return data.hex(":") if data else "empty"


def _whole(data: bytes, size: int) -> bool:
    """Whether `data` is one or more items of `size` bytes."""
    return bool(data) and len(data) % size == 0
