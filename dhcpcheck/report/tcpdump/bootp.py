"""The BOOTP/DHCP part of a tcpdump line: from `BOOTP/DHCP` to the packet's end.

Reads the captured UDP payload field by field as tcpdump does, so a short
capture ends the text with tcpdump's truncation marker at the same place.
"""

import struct
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from dhcpcheck.decode.bootp import Op
from dhcpcheck.decode.options import OptionCode, ValueFormat
from dhcpcheck.report.tcpdump.dhcp_options import (
    WORDINGS,
    Wording,
    format_value,
    ipv4,
)
from dhcpcheck.report.tcpdump.escape import escape
from dhcpcheck.report.tcpdump.settings import Dialect, PrintSettings

FIELD_INDENT = "\n\t  "
OPTION_INDENT = "\n\t    "
RFC1048_COOKIE = bytes((99, 130, 83, 99))
CMU_COOKIE = b"CMU\0"
UNSPECIFIED = bytes(4)  # 0.0.0.0, an address field left empty
ETHERNET = 1  # htype of 10 Mb Ethernet (RFC 1700)
ETHERNET_HLEN = 6
BROADCAST_FLAG = 0x8000  # RFC 2131 section 2, figure 2
CMU_SUBNET_MASK_VALID = 0x1  # CMU v_flags bit: the subnet mask field is set
# Option texts kept for reuse: a capture repeats most options word for word,
# and each client its own (identifier, address) in every exchange; enough for
# tens of thousands of clients, some 20 MB when full.
OPTIONS_REMEMBERED = 65536
PAD_AND_END = frozenset({OptionCode.PAD, OptionCode.END})  # no length octet
# tcpdump 4.9.3 reads option 127's code past the length octet and steps over
# option 126 by what it used: neither is printed from its own octets alone.
UNBOUNDED_FORMATS = frozenset(
    {ValueFormat.EXTENDED_OPTION, ValueFormat.EXTENDED_REQUEST}
)


OP_NAMES: Mapping[int, str] = {Op.BOOTREQUEST: "Request", Op.BOOTREPLY: "Reply"}


class Offset(IntEnum):
    """Where each fixed BOOTP field starts (RFC 2131 section 2, figure 1)."""

    OP = 0
    HTYPE = 1
    HLEN = 2
    HOPS = 3
    XID = 4
    SECS = 8
    FLAGS = 10
    CIADDR = 12
    YIADDR = 16
    SIADDR = 20
    GIADDR = 24
    CHADDR = 28
    SNAME = 44
    FILE = 108
    VEND = 236
    OPTIONS = 240


ADDRESS_FIELDS = (
    (Offset.CIADDR, "Client-IP"),
    (Offset.YIADDR, "Your-IP"),
    (Offset.SIADDR, "Server-IP"),
    (Offset.GIADDR, "Gateway-IP"),
)
TEXT_FIELDS = ((Offset.SNAME, 64, "sname"), (Offset.FILE, 128, "file"))
# The header up to flags: op, htype, hlen, hops, xid and secs.
HEADER_START = struct.Struct("!BBBBIH")
CMU_ADDRESSES = (  # (offset in the CMU vendor area, label), in tcpdump's order
    (12, "DG"),
    (8, "SM"),
    (16, "NS1"),
    (20, "NS2"),
    (24, "IEN1"),
    (28, "IEN2"),
    (32, "TS1"),
    (36, "TS2"),
)


@dataclass(frozen=True, slots=True)
class Markers:
    """The truncation markers a tcpdump release prints where the capture ends."""

    field: str  # in the fixed header and the vendor area in general
    text_field: str  # inside sname or file
    option_length: str  # where an option's code or length octet is missing
    option_data: str  # where an option's data is short; may use {length}


MARKERS = {
    Dialect.V4_99: Markers(" [|bootp]", " [|bootp]", " [|bootp]", " [|bootp]"),
    Dialect.V4_9: Markers(" [|bootp]", "[|bootp]", "|[rfc1048]", "[|rfc1048 {length}]"),
}


class Truncated(Exception):
    """The capture ended before the next field; ``marker`` is what to print."""

    def __init__(self, marker: str) -> None:
        super().__init__(marker)
        self.marker = marker


@dataclass(frozen=True, slots=True)
class Capture:
    """The captured payload; a read past its end raises `Truncated`."""

    data: bytes
    marker: str  # the marker of a read that names none

    def get(self, offset: int, size: int, marker: str | None = None) -> bytes:
        """``size`` octets at ``offset``, or `Truncated` with ``marker``."""
        if offset + size > len(self.data):
            raise Truncated(marker if marker is not None else self.marker)
        return self.data[offset : offset + size]

    def number(self, offset: int, size: int, marker: str | None = None) -> int:
        """An unsigned network-order integer of ``size`` octets."""
        return int.from_bytes(self.get(offset, size, marker), "big")


@dataclass(frozen=True, slots=True)
class Job:
    """One call's inputs, handed to each section printer."""

    capture: Capture
    settings: PrintSettings
    wording: Wording
    markers: Markers


def format_bootp(payload: bytes, length: int, settings: PrintSettings) -> str:
    """Text tcpdump prints for a BOOTP message, from `BOOTP/DHCP` on.

    ``payload`` is the captured UDP payload up to the end of the captured IP
    datagram (tcpdump reads options past a short UDP length); ``length`` is the
    UDP payload length it reports. The text includes the following lines with
    their leading newline, and no final newline.
    """
    markers = MARKERS[settings.dialect]
    if not payload:
        return markers.field  # tcpdump prints no `BOOTP/DHCP` then either
    capture = Capture(payload, markers.field)
    job = Job(capture, settings, WORDINGS[settings.dialect], markers)
    out: list[str] = ["BOOTP/DHCP"]
    try:
        _print_summary(job, length, out)
        if settings.verbosity:
            _print_details(job, out)
            _print_fields(job, out)
            _print_vendor_area(job, out)
    except Truncated as cut:
        out.append(cut.marker)
    return "".join(out)


def _is_ethernet(capture: Capture) -> bool:
    htype, hlen = capture.get(Offset.HTYPE, 2)
    return htype == ETHERNET and hlen == ETHERNET_HLEN


def _mac(capture: Capture) -> str:
    return capture.get(Offset.CHADDR, 6).hex(":")


def _print_summary(job: Job, length: int, out: list[str]) -> None:
    """`, Request from MAC, length N`: all tcpdump prints without -v."""
    op = job.capture.number(Offset.OP, 1)
    out.append(", " + OP_NAMES.get(op, f"unknown (0x{op:02x})"))
    if _is_ethernet(job.capture) and op == Op.BOOTREQUEST:
        out.append(" from " + _mac(job.capture))
    out.append(f", length {length}")


def _print_details(job: Job, out: list[str]) -> None:
    """The rest of the first line: odd hardware, hops, xid, secs, flags."""
    capture = job.capture
    start = capture.get(0, Offset.FLAGS)  # tcpdump checks up to secs before any of it
    _, htype, hlen, hops, xid, secs = HEADER_START.unpack(start)
    if htype != ETHERNET:
        out.append(f", htype {htype}")
    if htype != ETHERNET or hlen != ETHERNET_HLEN:
        out.append(f", hlen {hlen}")
    if hops:
        out.append(f", hops {hops}")
    if xid:
        out.append(f", xid 0x{xid:x}")
    if secs:
        out.append(f", secs {secs}")
    flags = capture.number(Offset.FLAGS, 2)
    out.append(", Flags [Broadcast]" if flags & BROADCAST_FLAG else ", Flags [none]")
    if job.settings.verbosity > 1:
        out.append(f" (0x{flags:04x})")


def _print_fields(job: Job, out: list[str]) -> None:
    """Lines for the non-zero addresses, the client MAC, sname and file."""
    capture = job.capture
    for offset, label in ADDRESS_FIELDS:
        address = capture.get(offset, 4)
        if address != UNSPECIFIED:
            out.append(f"{FIELD_INDENT}{label} {ipv4(address)}")
    if _is_ethernet(capture):
        out.append(f"{FIELD_INDENT}Client-Ethernet-Address {_mac(capture)}")
    for offset, size, label in TEXT_FIELDS:
        if capture.number(offset, 1):
            _print_text_field(job, offset, size, label, out)


def _print_text_field(
    job: Job, offset: int, size: int, label: str, out: list[str]
) -> None:
    """`sname "..."`: text up to the first NUL, which must lie in the field."""
    field = job.capture.data[offset : offset + size]
    end = field.find(0)
    text = escape(field if end < 0 else field[:end])
    out.append(f'{FIELD_INDENT}{label} "{text}"')
    if end < 0:
        raise Truncated(job.markers.text_field)


def _print_vendor_area(job: Job, out: list[str]) -> None:
    """The vendor area: RFC 1048 options, CMU fields or its first word."""
    cookie = job.capture.get(Offset.VEND, 4)
    if cookie == RFC1048_COOKIE:
        out.append(f"{FIELD_INDENT}Vendor-rfc1048 Extensions")
        out.append(f"{OPTION_INDENT}Magic Cookie 0x{cookie.hex()}")
        _print_options(job, out)
    elif cookie == CMU_COOKIE:
        _print_cmu(job, out)
    elif any(cookie):
        out.append(f"{FIELD_INDENT}Vendor-#0x{int.from_bytes(cookie, 'big'):x}")


def _cmu_flags(job: Job) -> int:
    """CMU v_flags: 4.99.3 reads its first octet, 4.9.3 the word in x86 order."""
    word = job.capture.get(Offset.VEND + 4, 4)
    if job.settings.dialect is Dialect.V4_9:
        return int.from_bytes(word, "little")
    return word[0]


def _print_cmu(job: Job, out: list[str]) -> None:
    """The CMU vendor area (`vend-cmu`), printed on the client's line."""
    out.append(" vend-cmu")
    flags = _cmu_flags(job)
    if flags & ~CMU_SUBNET_MASK_VALID:
        out.append(f" F:0x{flags:x}")
    for offset, label in CMU_ADDRESSES:
        address = job.capture.get(Offset.VEND + offset, 4)
        if label == "SM" and not flags & CMU_SUBNET_MASK_VALID:
            label = "SM*"
        if any(address):
            out.append(f" {label}:{ipv4(address)}")


def _print_options(job: Job, out: list[str]) -> None:
    """RFC 1048 options until the capture ends (or END, below -vvv).

    An option captured whole is printed from its octets alone, so its text is
    remembered and reused; the others are read as tcpdump reads them.
    """
    data, wording = job.capture.data, job.wording
    quiet = job.settings.verbosity < 3
    unbounded = _unbounded_codes(wording)
    end = len(data)
    at = Offset.OPTIONS.value
    while at < end:
        code = data[at]
        at += 1
        if code in PAD_AND_END:
            if not quiet:
                at = _print_pad_or_end(job, code, at, out)
            elif code == OptionCode.END:
                return
            continue
        stop = at + 1 + data[at] if at < end else end + 1
        if stop <= end and code not in unbounded:
            out.append(_whole_option(data[at - 1 : stop], wording))
            at = stop
        else:
            at = _read_option(job, code, at, out)


def _head(job: Job, name: str, code: int, length: int) -> str:
    return OPTION_INDENT + job.wording.option_head.format(
        name=name, code=code, length=length
    )


def _print_pad_or_end(job: Job, code: int, at: int, out: list[str]) -> int:
    """PAD and END have no length octet; a run of PADs prints once (-vvv only)."""
    out.append(_head(job, job.wording.option_name(code), code, 0))
    data = job.capture.data
    run = 1
    while code == OptionCode.PAD and at < len(data) and data[at] == code:
        run += 1
        at += 1
    if run > 1:
        out.append(f", occurs {run}")
    return at


@lru_cache(maxsize=OPTIONS_REMEMBERED)
def _whole_option(option: bytes, wording: Wording) -> str:
    """The text of ``option``, code and length octets included."""
    markers = MARKERS[wording.dialect]
    capture = Capture(option, markers.field)
    job = Job(capture, PrintSettings(wording.dialect), wording, markers)
    out: list[str] = []
    _read_option(job, option[0], 1, out)
    return "".join(out)


@lru_cache(maxsize=len(WORDINGS))
def _unbounded_codes(wording: Wording) -> frozenset[int]:
    """The codes this release prints from more or fewer octets than their own."""
    return frozenset(
        code for code in range(256) if wording.label(code).value in UNBOUNDED_FORMATS
    )


def _read_option(job: Job, code: int, at: int, out: list[str]) -> int:
    """One option whose code octet ended at ``at``, read field by field up to
    where the capture ends; returns where the next option starts."""
    capture, markers, wording = job.capture, job.markers, job.wording
    name, shown_code = _name_and_code(job, code, at)
    length = capture.number(at, 1, markers.option_length)
    out.append(_head(job, name, shown_code, length) + (": " if length else ""))
    data = capture.get(at + 1, length, markers.option_data.format(length=length))
    rendered = format_value(code, data, wording)
    out.append(rendered.text)
    if wording.label(code).value is ValueFormat.EXTENDED_REQUEST:
        return at + 1 + rendered.used  # 4.9.3 reads a left-over octet as a code
    if rendered.used < length:
        out.append(f"{FIELD_INDENT}trailing data length {length - rendered.used}")
    return at + 1 + length


def _name_and_code(job: Job, code: int, at: int) -> tuple[str, int]:
    """The option's name and code as its header shows them.

    tcpdump 4.9.3 takes option 127's code from the two octets after the length
    octet, and names it `xT<code>`.
    """
    if job.wording.label(code).value is not ValueFormat.EXTENDED_OPTION:
        return job.wording.option_name(code), code
    # TODO: 4.9.3 treats an extended code of 0 or 255 as PAD or END; not
    # reproduced, as no capture shows it and no 4.9.3 binary is at hand.
    extended = job.capture.number(at + 1, 2, job.markers.option_length)
    return f"xT{extended}", extended
