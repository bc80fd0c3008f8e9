"""The fuzz targets: one function per stage, bytes in, an assertion or nothing out.

The hypothesis tests, the atheris runner and the corpus replay all call these,
so a crash found by one is replayed by the others. A target accepts what the
stage documents as bad input (CaptureError, ValueFormatError, None) and lets
anything else escape: an exception other than those is a bug.
"""

import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator

from rich.console import Console

from dhcpcheck.capture import CaptureError, Frame, LinkType, read_stream
from dhcpcheck.capture.pcap import MAX_CAPLEN
from dhcpcheck.config import load_config
from dhcpcheck.decode import values
from dhcpcheck.decode.bootp import Message, decode_bootp
from dhcpcheck.decode.link import find_datagram, selects
from dhcpcheck.pipeline import Analysis, Event
from dhcpcheck.report import records
from dhcpcheck.report.analysis import write_report
from dhcpcheck.report.github import github_annotations
from dhcpcheck.report.junit import junit_xml
from dhcpcheck.report.lint import finding_lines
from dhcpcheck.report.sarif import capture_result, sarif_log
from dhcpcheck.report.tcpdump import render
from dhcpcheck.report.tcpdump.settings import Dialect, PrintSettings
from dhcpcheck.rules import registry
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.transactions.model import Transaction

# Every link type the decoder knows, and one it does not (802.11).
LINKTYPES = (*(link for link in LinkType), 147)
# A frame needs no more than this in memory, whatever a file claims.
FRAME_LIMIT = MAX_CAPLEN
# Terminal text may hold newlines and tabs; any other control is an escape leak.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SETTINGS = tuple(
    PrintSettings(dialect=dialect, verbosity=verbosity, link_header=link_header)
    for dialect in Dialect
    for verbosity in range(4)
    for link_header in (False, True)
)
# Option values the decoder gives structure to, and the function that does.
VALUE_READERS: dict[int, Callable[[bytes], object]] = {
    61: values.client_identifier,
    43: values.suboptions,
    82: values.suboptions,
    121: values.classless_routes,
    249: values.classless_routes,
    77: values.user_classes,
    81: values.client_fqdn,
    124: values.vendor_blocks,
    125: values.vendor_blocks,
    3: values.addresses,
    6: values.addresses,
    54: values.addresses,
    51: lambda data: values.unsigned(data, 4),
    57: lambda data: values.unsigned(data, 2),
}


def assert_terminal_safe(text: str) -> None:
    """No control character but newline and tab: nothing a terminal acts on."""
    leak = _CONTROL.search(text)
    assert leak is None, f"control character {leak.group()!r} in {text!r}"


def frames_of(data: bytes) -> list[Frame]:
    """Split fuzz bytes into frames: a link-type byte, then frames cut at 0xFE 0xFE.

    Cheap structure for a mutator: any input is valid, and a mutation to one
    frame leaves the others as they were.
    """
    if not data:
        return []
    linktype = LINKTYPES[data[0] % len(LINKTYPES)]
    pieces = data[1:].split(b"\xfe\xfe")
    return [
        Frame(number, 1_700_000_000 + number, 0, linktype, piece, len(piece))
        for number, piece in enumerate(pieces, 1)
    ]


def frames_input(frames: Iterable[Frame]) -> bytes:
    """The fuzz bytes that `frames_of` splits back into ``frames`` (one link type)."""
    chosen = list(frames)
    linktype = chosen[0].linktype if chosen else LinkType.ETHERNET
    return bytes([LINKTYPES.index(linktype)]) + b"\xfe\xfe".join(
        frame.data for frame in chosen
    )


def read_capture(data: bytes) -> list[Frame]:
    """Capture readers: frames or one CaptureError with a one-line message;
    with the pipeline's `selects`, the same frames less those it rejects."""
    frames: list[Frame] = []
    try:
        for frame in read_stream(io.BytesIO(data)):
            assert len(frame.data) <= FRAME_LIMIT
            assert frame.number == len(frames) + 1
            frames.append(frame)
    except CaptureError as error:
        assert str(error) and "\n" not in str(error)
        assert error.frames_read == len(frames)
        failure = str(error)
    else:
        failure = ""
    chosen, chosen_failure = _read_selected(data)
    assert chosen_failure == failure
    assert chosen == [frame for frame in frames if _selected(frame)]
    return frames


def _read_selected(data: bytes) -> tuple[list[Frame], str]:
    frames: list[Frame] = []
    try:
        frames.extend(read_stream(io.BytesIO(data), selects))
    except CaptureError as error:
        return frames, str(error)
    return frames, ""


def _selected(frame: Frame) -> bool:
    return selects(frame.data, 0, len(frame.data), frame.linktype)


def decode_frame(data: bytes) -> None:
    """Link, IP and UDP decoding, the BOOTP decoder and every value reader."""
    for frame in frames_of(data):
        datagram = find_datagram(frame.data, frame.linktype, frame.wirelen)
        shifted = b"\xff" * 3 + frame.data + b"\x00"
        chosen = selects(shifted, 3, 3 + len(frame.data), frame.linktype)
        assert chosen == _selected(frame)
        assert chosen or datagram is None  # the prefilter drops no DHCP frame
        if datagram is not None and datagram.udp is not None:
            datagram.source_mac  # noqa: B018 - the properties read the header
            datagram.ip_payload_length  # noqa: B018
            message = decode_bootp(datagram.payload, datagram.payload_length)
            if message is not None:
                _read_values(message)
        message = decode_bootp(frame.data)
        if message is not None:
            _read_values(message)


def _read_values(message: Message) -> None:
    assert message.size <= message.wire_size
    message.client_mac  # noqa: B018
    message.message_type  # noqa: B018
    for option in message.options:
        assert len(option.data) <= option.length <= 255
        reader = VALUE_READERS.get(option.code)
        if reader is None:
            continue
        try:
            reader(option.data)
        except values.ValueFormatError as error:
            assert "\n" not in str(error)


def print_frames(data: bytes) -> None:
    """The tcpdump printer at every verbosity, with and without -e, both dialects."""
    frames = frames_of(data)
    for settings in SETTINGS:
        for text in render(frames, settings):
            assert text.endswith("\n")
            assert_terminal_safe(text)


def analyze_capture(data: bytes) -> None:
    """The whole pipeline over a capture, then every report built from it;
    reading only the frames `Analysis.select` accepts changes no result."""
    config = load_config(None)
    analysis = Analysis(config, "fuzz.pcap")
    events = list(analysis.run(_tolerant(read_stream(io.BytesIO(data)))))
    check_reports([analysis], events)
    selective = Analysis(config, "fuzz.pcap")
    frames = read_stream(io.BytesIO(data), selective.select)
    chosen = list(selective.run(_tolerant(frames)))
    assert selective.frames == analysis.frames
    assert [records.line_record(e) for e in chosen] == [
        records.line_record(e) for e in events
    ]


def analyze_frames(data: bytes) -> None:
    """As `analyze_capture`, for frames made by `frames_of` (no file format)."""
    analysis = Analysis(load_config(None), "fuzz.pcap")
    check_reports([analysis], list(analysis.run(frames_of(data))))


def _tolerant(frames: Iterable[Frame]) -> Iterator[Frame]:
    """The frames up to a CaptureError, as the CLI reads a damaged tail."""
    try:
        yield from frames
    except CaptureError:
        return


def check_reports(analyses: list[Analysis], events: list[Event]) -> None:
    """Every report format renders and holds no raw control character."""
    transactions = [event for event in events if isinstance(event, Transaction)]
    findings = [event for event in events if isinstance(event, Finding)]
    document = records.document(analyses, transactions, findings)
    assert json.loads(json.dumps(document)) == document
    for event in events:
        json.dumps(records.line_record(event))
    console = Console(file=io.StringIO(), width=100, no_color=True, highlight=False)
    write_report(console, analyses, transactions, findings)
    assert_terminal_safe(console.file.getvalue())  # type: ignore[attr-defined]
    for line in finding_lines(findings):
        assert_terminal_safe(line.plain)
    result = capture_result(analyses[0].source, events)
    json.dumps(sarif_log([result], registry.ALL, "0"))
    ET.fromstring(junit_xml([result], Severity.INFO))
    for annotation in github_annotations(findings):
        assert_terminal_safe(annotation)
        assert "\n" not in annotation


TARGETS: dict[str, Callable[[bytes], object]] = {
    "capture": read_capture,
    "decode": decode_frame,
    "print": print_frames,
    "analyze": analyze_capture,
    "frames": analyze_frames,
}

# Inputs of tests/fuzz/corpus that still break their target, and why; the
# corpus test expects them to fail and the atheris runner leaves them out.
OPEN_BUGS: dict[str, str] = {}
