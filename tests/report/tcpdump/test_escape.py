"""Text off the wire escaped as tcpdump shows it: `^X` and `M-x` forms."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dhcpcheck.report.tcpdump.escape import escape, escape_to_nul


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"host-1.example", "host-1.example"),
        (b" ~", " ~"),
        (b"\x00", "^@"),
        (b"\x01\x1f", "^A^_"),
        (b"\n\t", "^J^I"),
        (b"\x7f", "^?"),
        (b"\x80", "M-^@"),
        (b"\xe9", "M-i"),
        (b"\xa0", "M- "),
        (b"\xff", "M-^?"),
        (b'"\\', '"\\'),
        (b"a\x00b\x1fc\x7fd\xe9e\xffz", "a^@b^_c^?dM-ieM-^?z"),
    ],
)
def test_bytes_map_to_tcpdump_text(data: bytes, text: str) -> None:
    assert escape(data) == text


def test_escape_to_nul_stops_at_the_first_nul() -> None:
    assert escape_to_nul(b"boot\x00server") == "boot"
    assert escape_to_nul(b"\x00boot") == ""


def test_escape_to_nul_without_nul_takes_everything() -> None:
    assert escape_to_nul(b"pxe\x01linux") == "pxe^Alinux"


@given(st.binary(max_size=64))
def test_output_is_printable_ascii_only(data: bytes) -> None:
    text = escape(data)
    assert all(" " <= char <= "~" for char in text)
    assert len(data) <= len(text) <= 4 * len(data)


@given(st.binary(max_size=64))
def test_each_byte_escapes_on_its_own(data: bytes) -> None:
    assert escape(data) == "".join(escape(bytes([byte])) for byte in data)
