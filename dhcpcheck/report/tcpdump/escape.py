"""Escape bytes off the wire the way tcpdump shows text: `^X` and `M-x` forms.

Only the byte-to-text mapping lives here; quoting and truncation are the printers'.
"""

_HIGH_BIT = 0x80
_PRINTABLE = range(0x20, 0x7F)  # space to tilde
_CONTROL_FLIP = 0x40  # ^@ is NUL, ^? is DEL


def _escape_byte(byte: int) -> str:
    """One byte: printable ASCII as is, control as `^X`, high bit as `M-`."""
    prefix = ""
    if byte & _HIGH_BIT:
        prefix = "M-"
        byte &= ~_HIGH_BIT
    if byte not in _PRINTABLE:
        return f"{prefix}^{chr(byte ^ _CONTROL_FLIP)}"
    return prefix + chr(byte)


_TABLE = tuple(_escape_byte(byte) for byte in range(256))


def escape(data: bytes) -> str:
    """All of ``data`` as tcpdump prints it; a NUL shows as `^@`."""
    return "".join(_TABLE[byte] for byte in data)


def escape_to_nul(data: bytes) -> str:
    """``data`` up to, not including, its first NUL (a C string's text)."""
    end = data.find(0)
    return escape(data if end < 0 else data[:end])
