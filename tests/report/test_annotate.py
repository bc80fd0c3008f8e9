"""The annotated packet view: tcpdump's text untouched, findings marked under it."""

import io
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from rich.console import Console

from dhcpcheck.capture import read_frames
from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.config import load_config
from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import UDP, IPv4, udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.annotate import Notes, anchor_line, write_annotated
from dhcpcheck.report.tcpdump import render
from dhcpcheck.report.tcpdump.settings import Dialect, PrintSettings, TimestampMode
from dhcpcheck.rules.base import Finding, Severity

SEED = "samples/openstack-dora.pcap"
SAMPLES = sorted(str(path) for path in Path("samples").rglob("*.pcap"))
QUIET = TimestampMode.NONE
MARKER = re.compile(r"^ *\^ (error|warning|info) |^(capture|frame \d+): ")
WIRE = "[bold red]x\x1b[2J"  # markup and a clear-screen escape, off the wire
MAC = "02:00:00:00:00:0a"


def finding(
    code: str,
    severity: Severity,
    message: str,
    frames: tuple[int, ...],
    option: int | None = None,
    field: str | None = None,
) -> Finding:
    return Finding(
        code=code,
        name=f"rule-{code[3:]}",
        severity=severity,
        message=message,
        source=SEED,
        frames=frames,
        option=option,
        field=field,
    )


def filed(findings: Iterable[Finding]) -> Notes:
    notes = Notes()
    for each in findings:
        notes.add(each)
    return notes


def annotated(
    frames: Iterable[Frame],
    settings: PrintSettings,
    notes: Notes,
    colour: bool = False,
) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=80,
        color_system="standard" if colour else None,
        force_terminal=colour,
    )
    write_annotated(console, frames, settings, notes)
    return out.getvalue()


def seed(*numbers: int) -> list[Frame]:
    return [frame for frame in read_frames(SEED) if frame.number in numbers]


ACK_AT_V = "".join(
    line + "\n"
    for line in (
        "IP (tos 0xc0, ttl 64, id 11234, offset 0, flags [none], proto UDP (17), "
        "length 371)",
        "    1.1.1.2.67 > 1.1.1.13.68: BOOTP/DHCP, Reply, length 343, "
        "xid 0x6265ab6d, Flags [none]",
        "    ^ info DHC210 rule-210: ack lacks requested option 119",
        "\t  Your-IP 1.1.1.13",
        "          ^ warning DHC130 rule-130: yiaddr 1.1.1.13 outside 10.0.0.0/8",
        "\t  Server-IP 1.1.1.2",
        "\t  Client-Ethernet-Address fa:16:3e:d6:62:84",
        "\t  Vendor-rfc1048 Extensions",
        "\t    Magic Cookie 0x63825363",
        "\t    DHCP-Message (53), length 1: ACK",
        "\t    Server-ID (54), length 4: 1.1.1.2",
        "\t    Lease-Time (51), length 4: 86400",
        "\t    RN (58), length 4: 43200",
        "\t    RB (59), length 4: 75600",
        "\t    Subnet-Mask (1), length 4: 255.255.255.0",
        "\t    BR (28), length 4: 1.1.1.255",
        "\t    Domain-Name-Server (6), length 4: 1.1.1.2",
        '\t    Domain-Name (15), length 14: "openstacklocal"',
        '\t    Hostname (12), length 13: "host-1-1-1-13"',
        "\t    MTU (26), length 2: 1450",
        "            ^ error DHC105 rule-105: option 26 length 3 (expected 2)",
        "\t    Default-Gateway (3), length 4: 1.1.1.1",
        "\t    Classless-Static-Route (121), length 14: "
        "(169.254.169.254/32:1.1.1.2),(default:1.1.1.1)",
        "    ^ warning DHC216 rule-216: request resent after 0.1 s",
        "frame 9: error DHC999 rule-999: about a frame not printed",
        "capture: warning DHC401 rule-401: [bold red]x\\x1b[2J",
    )
)
ACK_FINDINGS = (
    finding("DHC105", Severity.ERROR, "option 26 length 3 (expected 2)", (4,), 26),
    finding(
        "DHC130",
        Severity.WARNING,
        "yiaddr 1.1.1.13 outside 10.0.0.0/8",
        (4,),
        field="yiaddr",
    ),
    finding("DHC210", Severity.INFO, "ack lacks requested option 119", (4, 3), 119),
    finding("DHC216", Severity.WARNING, "request resent after 0.1 s", (3, 4)),
    finding("DHC999", Severity.ERROR, "about a frame not printed", (9,)),
    finding("DHC401", Severity.WARNING, WIRE, ()),
)


def test_ack_at_v_marks_option_field_packet_transaction_and_capture() -> None:
    settings = PrintSettings(verbosity=1, timestamps=QUIET)

    assert annotated(seed(4), settings, filed(ACK_FINDINGS)) == ACK_AT_V


SEED_AT_V0 = """\
    1  IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from \
fa:16:3e:d6:62:84, length 300
    ^ info DHC120 rule-120: DHCPDISCOVER secs 0
    2  IP 1.1.1.2.67 > 1.1.1.13.68: BOOTP/DHCP, Reply, length 343
    3  IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from \
fa:16:3e:d6:62:84, length 300
    4  IP 1.1.1.2.67 > 1.1.1.13.68: BOOTP/DHCP, Reply, length 343
    ^ error DHC105 rule-105: option 26 length 3 (expected 2)
    ^ warning DHC130 rule-130: yiaddr 1.1.1.13 outside 10.0.0.0/8
    ^ info DHC210 rule-210: ack lacks requested option 119
    ^ warning DHC216 rule-216: request resent after 0.1 s
frame 9: error DHC999 rule-999: about a frame not printed
capture: warning DHC401 rule-401: [bold red]x\\x1b[2J
"""


def test_without_v_every_marker_goes_under_the_packets_one_line() -> None:
    secs = finding("DHC120", Severity.INFO, "DHCPDISCOVER secs 0", (1,), field="secs")
    settings = PrintSettings(timestamps=QUIET, numbered=True)

    text = annotated(seed(1, 2, 3, 4), settings, filed((secs, *ACK_FINDINGS)))

    assert text == SEED_AT_V0


def test_a_list_option_is_marked_after_its_last_row() -> None:
    asked = finding("DHC122", Severity.INFO, "asks for option 119", (1,), 55)

    lines = annotated(seed(1), PrintSettings(verbosity=1), filed([asked])).split("\n")

    marker = lines.index("            ^ info DHC122 rule-122: asks for option 119")
    assert lines[marker - 5] == "\t    Parameter-Request (55), length 13: "
    assert lines[marker - 1] == "\t      Default-Gateway (3)"


@pytest.mark.parametrize(
    ("dialect", "line"),
    [
        (Dialect.V4_99, "\t    MTU (26), length 2: 1450"),
        (Dialect.V4_9, "\t    MTU Option 26, length 2: 1450"),
    ],
)
def test_option_lines_are_found_in_either_dialect(dialect: Dialect, line: str) -> None:
    settings = PrintSettings(dialect=dialect, verbosity=2)
    lines = next(iter(render(seed(4), settings))).split("\n")
    mtu = finding("DHC105", Severity.ERROR, "short", (4,), 26)

    assert lines[anchor_line(lines, mtu, dialect)] == line


@pytest.mark.parametrize(
    ("field", "start"),
    [
        ("ip", "IP (tos 0xc0"),
        ("udp", "    1.1.1.2.67 > 1.1.1.13.68: [udp sum ok] BOOTP/DHCP"),
        ("xid", "    1.1.1.2.67 > 1.1.1.13.68: [udp sum ok] BOOTP/DHCP"),
        ("siaddr", "\t  Server-IP 1.1.1.2"),
        ("chaddr", "\t  Client-Ethernet-Address "),
        ("cookie", "\t  Vendor-rfc1048 Extensions"),
        ("giaddr", "    1.1.1.2.67 > 1.1.1.13.68:"),  # zero: tcpdump leaves it out
    ],
)
def test_header_fields_point_at_their_line(field: str, start: str) -> None:
    settings = PrintSettings(verbosity=2, timestamps=QUIET)
    lines = next(iter(render(seed(4), settings))).split("\n")
    about = finding("DHC120", Severity.INFO, "odd", (4,), field=field)

    assert lines[anchor_line(lines, about, Dialect.V4_99)].startswith(start)


SETTINGS = [
    PrintSettings(),
    PrintSettings(verbosity=1, link_header=True),
    PrintSettings(verbosity=2, numbered=True, timestamps=TimestampMode.DELTA),
    PrintSettings(dialect=Dialect.V4_9, verbosity=3),
]


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize("path", SAMPLES)
def test_packet_lines_are_byte_identical_to_render(
    path: str, settings: PrintSettings
) -> None:
    """The pipeline's own findings on every sample, and markers at every line
    kind; take the markers out and tcpdump's text is left, tabs and all."""
    events = Analysis(load_config(None), path).run(read_frames(path))
    found = [event for event in events if isinstance(event, Finding)]
    extra = [
        finding("DHC105", Severity.ERROR, "on an option", (2,), 54),
        finding("DHC130", Severity.WARNING, "on a field", (2,), field="yiaddr"),
        finding("DHC999", Severity.INFO, WIRE, (1, 2)),
    ]

    text = annotated(read_frames(path), settings, filed(found + extra))

    kept = [line for line in text.splitlines(keepends=True) if not MARKER.match(line)]
    assert len(kept) < len(text.splitlines())
    assert "".join(kept) == "".join(render(read_frames(path), settings))


def test_markers_are_coloured_by_severity_and_never_read_as_markup() -> None:
    found = [
        finding("DHC105", Severity.ERROR, WIRE, (4,), 26),
        finding("DHC130", Severity.WARNING, "late", (4,)),
        finding("DHC210", Severity.INFO, "fyi", (4,)),
    ]
    settings = PrintSettings(verbosity=1)

    text = annotated(seed(4), settings, filed(found), colour=True)

    error = "\x1b[1;31m            ^ error DHC105 rule-105: [bold red]x\\x1b[2J\x1b[0m"
    assert error in text
    assert "\x1b[33m    ^ warning DHC130 rule-130: late\x1b[0m" in text
    assert "\x1b[36m    ^ info DHC210 rule-210: fyi\x1b[0m" in text
    assert "\x1b[2J" not in text
    plain = annotated(seed(4), settings, filed(found))
    assert re.sub(r"\x1b\[[0-9;]*m", "", text) == plain  # tabs kept, nothing added


def test_frames_tcpdump_does_not_print_keep_markers_in_step() -> None:
    """A DNS datagram between two DHCP ones prints nothing; the marker for the
    packet after it must not land on the packet before it."""
    dns = udp_ipv4(b"\0" * 12, IPv4(src="10.0.0.1"), UDP(sport=53, dport=53))
    dhcp = udp_ipv4(Bootp(xid=7).encode(), IPv4(), UDP(sport=68, dport=67))
    frames = [
        captured(number, number * 10**9, LinkType.ETHERNET, ethernet(packet, src=MAC))
        for number, packet in enumerate((dhcp, dns, dhcp), start=1)
    ]
    notes = filed(
        [
            finding("DHC120", Severity.INFO, "third", (3,)),
            finding("DHC121", Severity.INFO, "second", (2,)),
        ]
    )

    text = annotated(frames, PrintSettings(timestamps=QUIET), notes)

    request = (
        "IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from "
        "00:00:00:00:00:00, length 300"
    )
    assert text.split("\n") == [
        request,
        request,
        "^ info DHC120 rule-120: third",
        "frame 2: info DHC121 rule-121: second",
        "",
    ]
