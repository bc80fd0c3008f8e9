"""The terminal report of `analyze`, compared as exact text at fixed widths."""

import io
import re
import time
from dataclasses import replace
from ipaddress import IPv4Address

import pytest
from rich.console import Console

from dhcpcheck.capture import read_frames
from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.config import load_config
from dhcpcheck.craft import options as opt
from dhcpcheck.craft.bootp import Bootp, BootpOp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import UDP, IPv4, udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.craft.options import Option
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.analysis import write_report
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.transactions.model import Transaction

SEED = "samples/openstack-dora.pcap"
START = 1623162713.0  # 2021-06-08 14:31:53 UTC
CLIENT = "02:00:00:00:00:0a"
SERVER = "10.0.0.1"
LEASED = "10.0.0.50"
WIRE = "[bold red]x\x1b[2J"  # markup and a clear-screen escape, off the wire
SHOWN = "[bold red]x\\x1b[2J"
FINDINGS = (
    Finding(
        code="DHC104",
        name="slow-offer",
        severity=Severity.WARNING,
        message="offer took 0.502 ms (limit 0.1 ms)",
        source=SEED,
        frames=(1, 2),
        xid=0x6265AB6D,
        client="fa:16:3e:d6:62:84",
        server=IPv4Address("1.1.1.2"),
    ),
    Finding(
        code="DHC201",
        name="no-domain-search",
        severity=Severity.ERROR,
        message="ack without option 119",
        source=SEED,
        frames=(4,),
        xid=0x6265AB6D,
        option=119,
    ),
)

SEED_AT_80 = """\
Summary
  samples/openstack-dora.pcap
    frames        4 (4 DHCP messages)
    time          2021-06-08 14:31:53.831654 to 14:31:53.872377 (0.041 s)
    transactions  1 (dora 1)
    outcomes      bound 1
    clients       1
    servers       1
    findings      2 (error 1, warning 1)

Transactions (latency in ms)
time             client             xid         kind  outcome  address    total
───────────────────────────────────────────────────────────────────────────────
14:31:53.831654  fa:16:3e:d6:62:84  0x6265ab6d  dora  bound    1.1.1.13  40.723

Servers
server   seen as            offers  acks  naks  addresses
─────────────────────────────────────────────────────────
1.1.1.2  1.1.1.2                 1     1     0          1
         fa:16:3e:4c:de:f2

Server latency in ms
server   exchange         n     min  median     p95     max
───────────────────────────────────────────────────────────
1.1.1.2  DISCOVER-OFFER   1   0.502   0.502   0.502   0.502
1.1.1.2  REQUEST-ACK/NAK  1  13.260  13.260  13.260  13.260

Leases
fa:16:3e:d6:62:84
  1.1.1.13 from 1.1.1.2 (xid 0x6265ab6d)
    14:31:53.859117  granted: lease 86400 s, T1 43200 s, T2 75600 s
    +24:00:00.000    expires after the capture

Findings
error (1)
  DHC201 no-domain-search: ack without option 119
    frame 4  xid 0x6265ab6d  option 119
warning (1)
  DHC104 slow-offer: offer took 0.502 ms (limit 0.1 ms)
    frames 1, 2  xid 0x6265ab6d  client fa:16:3e:d6:62:84  server 1.1.1.2
"""

SEED_TRANSACTIONS_AT_140 = "\n".join(
    [
        "Transactions (latency in ms)",
        "time             client             xid         kind  outcome  address   "
        "server   offer  request     ack   total",
        "─" * 112,
        "14:31:53.831654  fa:16:3e:d6:62:84  0x6265ab6d  dora  bound    1.1.1.13  "
        "1.1.1.2  0.502   26.961  13.260  40.723",
        "",
    ]
)


def report(
    width: int,
    captures: list[tuple[list[Frame], str]],
    findings: tuple[Finding, ...] = (),
    limit: int | None = 50,
    colour: bool = False,
) -> str:
    """The report of `captures`, as a terminal `width` columns wide shows it."""
    analyses, transactions = [], []
    for frames, source in captures:
        analysis = Analysis(load_config(None), source)
        transactions += [e for e in analysis.run(frames) if isinstance(e, Transaction)]
        analyses.append(analysis)
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        color_system="truecolor" if colour else None,
        force_terminal=colour,
    )
    write_report(console, analyses, transactions, findings, limit=limit)
    return "\n".join(line.rstrip() for line in out.getvalue().split("\n"))


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def seed() -> list[Frame]:
    return list(read_frames(SEED))


def asked(
    at: float,
    xid: int,
    kind: MessageType,
    *options: Option,
    chaddr: str = CLIENT,
    ciaddr: str = "0.0.0.0",
    dst: str = "255.255.255.255",
) -> tuple[float, bytes]:
    """A client message with a hostile host name, sent from `ciaddr`."""
    named = (opt.message_type(kind), opt.text(OptionCode.HOSTNAME, WIRE), *options)
    message = Bootp(xid=xid, ciaddr=ciaddr, chaddr=chaddr, options=named)
    packet = udp_ipv4(message.encode(), IPv4(src=ciaddr, dst=dst))
    return at, ethernet(packet, src=chaddr)


def answered(at: float, xid: int, kind: MessageType) -> tuple[float, bytes]:
    """The server's reply granting LEASED for 600 s."""
    terms = (
        opt.addresses(OptionCode.SERVER_ID, SERVER),
        opt.uint32(OptionCode.LEASE_TIME, 600),
    )
    message = Bootp(
        op=BootpOp.BOOTREPLY,
        xid=xid,
        yiaddr=LEASED,
        chaddr=CLIENT,
        options=(opt.message_type(kind), *terms),
    )
    ip = IPv4(src=SERVER, dst=LEASED)
    packet = udp_ipv4(message.encode(), ip, UDP(sport=67, dport=68))
    return at, ethernet(packet, src="02:00:00:00:00:01", dst=CLIENT)


def frames(packets: list[tuple[float, bytes]]) -> list[Frame]:
    packets = sorted(packets, key=lambda packet: packet[0])
    return [
        captured(number, round((START + at) * 1e9), LinkType.ETHERNET, data)
        for number, (at, data) in enumerate(packets, start=1)
    ]


def lease_history() -> list[Frame]:
    """A DORA, an unanswered renewal, a rebind, a release and a new DORA."""
    chosen = opt.addresses(OptionCode.SERVER_ID, SERVER)
    unicast = {"ciaddr": LEASED, "dst": SERVER}
    return frames(
        [
            asked(0.0, 0x11111111, MessageType.DISCOVER),
            answered(0.010, 0x11111111, MessageType.OFFER),
            asked(0.020, 0x11111111, MessageType.REQUEST, chosen),
            answered(0.035, 0x11111111, MessageType.ACK),
            asked(300.0, 0x22222222, MessageType.REQUEST, **unicast),
            asked(525.0, 0x33333333, MessageType.REQUEST, ciaddr=LEASED),
            answered(525.001, 0x33333333, MessageType.ACK),
            asked(1000.0, 0x44444444, MessageType.RELEASE, chosen, **unicast),
            asked(2000.0, 0x55555555, MessageType.DISCOVER),
            answered(2000.010, 0x55555555, MessageType.OFFER),
            asked(2000.020, 0x55555555, MessageType.REQUEST, chosen),
            answered(2000.030, 0x55555555, MessageType.ACK),
        ]
    )


def test_seed_at_80_columns(utc: None) -> None:
    assert report(80, [(seed(), SEED)], FINDINGS) == SEED_AT_80


def test_seed_at_140_columns_shows_every_latency(utc: None) -> None:
    text = report(140, [(seed(), SEED)], FINDINGS)

    assert SEED_TRANSACTIONS_AT_140 in text
    assert text.replace(SEED_TRANSACTIONS_AT_140, "") == SEED_AT_80.replace(
        SEED_AT_80.split("\n\n")[1] + "\n", ""
    )


def test_times_are_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "XST-2")  # two hours east of UTC, POSIX style
    time.tzset()
    try:
        text = report(80, [(seed(), SEED)])
    finally:
        monkeypatch.undo()
        time.tzset()

    assert "2021-06-08 16:31:53.831654 to 16:31:53.872377 (0.041 s)" in text
    assert "\n16:31:53.831654  fa:16:3e:d6:62:84" in text


def test_lease_timeline(utc: None) -> None:
    text = report(80, [(lease_history(), "lab.pcap")])

    assert (
        text.split("\nLeases\n")[1]
        == f"""\
{CLIENT} {SHOWN}
  {LEASED} from {SERVER} (xid 0x11111111)
    14:31:53.020000  granted: lease 600 s
    +00:04:59.980    renew 0x22222222: no-ack
    +00:08:44.980    rebind 0x33333333: bound
    +00:08:44.980    replaced by a new lease
  {LEASED} from {SERVER} (xid 0x33333333)
    14:40:38.000000  granted: lease 600 s
    +00:07:55.000    released
  {LEASED} from {SERVER} (xid 0x55555555)
    15:05:13.020000  granted: lease 600 s
    +00:10:00.000    expires after the capture

Findings: none
"""
    )


def test_wire_text_is_escaped_not_interpreted() -> None:
    hostile = Finding(
        code="DHC301",
        name="bad-hostname",
        severity=Severity.INFO,
        message=f'host name "{WIRE}" is not a DNS label',
        source="lab.pcap",
        client=WIRE,
    )

    for colour in (False, True):
        text = report(80, [(lease_history(), "lab.pcap")], (hostile,), colour=colour)

        assert "\x1b[2J" not in text
        assert f"{CLIENT} {SHOWN}" in text
        assert f'host name "{SHOWN}" is not a DNS label' in text
        assert f"client {SHOWN}" in text


def test_colour_marks_severities_and_changes_no_text(utc: None) -> None:
    coloured = report(80, [(seed(), SEED)], FINDINGS, colour=True)

    assert "\n  \x1b[1;31mDHC201\x1b[0m no-domain-search: " in coloured
    assert "\n  \x1b[33mDHC104\x1b[0m slow-offer: " in coloured
    assert strip_ansi(coloured) == SEED_AT_80


def test_transactions_are_capped(utc: None) -> None:
    many = [(seed(), SEED)] * 4

    capped = report(140, many, limit=2)
    full = report(140, many, limit=None)

    assert capped.count("  0x6265ab6d  dora") == 2
    assert "... 2 more; --format json lists every transaction" in capped
    assert full.count("  0x6265ab6d  dora") == 4
    assert "more;" not in full


def test_several_captures(utc: None) -> None:
    noted = replace(FINDINGS[0], severity=Severity.INFO, source="lab.pcap")
    findings = (*FINDINGS, noted)

    text = report(80, [(seed(), SEED), (lease_history(), "lab.pcap")], findings)

    total = text.split("  all 2 captures\n")[1].split("\n\n")[0]
    assert total == (
        "    frames        16 (16 DHCP messages)\n"
        "    time          2021-06-08 14:31:53.000000 to 15:05:13.030000 "
        "(00:33:20.030)\n"
        "    transactions  6 (dora 3, rebind 1, release 1, renew 1)\n"
        "    outcomes      bound 4, no-ack 1, released 1\n"
        "    clients       2\n"
        "    servers       2\n"
        "    findings      3 (error 1, warning 1, info 1)"
    )
    assert f"\nServers in {SEED}\n" in text
    assert "\nLeases in lab.pcap\n" in text
    assert f"    in {SEED}  frame 4  xid 0x6265ab6d  option 119\n" in text


def test_nothing_to_report() -> None:
    text = report(80, [([], "empty.pcap")])

    assert text == (
        "Summary\n"
        "  empty.pcap\n"
        "    frames        0 (0 DHCP messages)\n"
        "    time          -\n"
        "    transactions  0\n"
        "    outcomes      -\n"
        "    clients       0\n"
        "    servers       0\n"
        "    findings      0\n"
        "\n"
        "Transactions: none\n"
        "\n"
        "Servers: none\n"
        "\n"
        "Leases: no clients\n"
        "\n"
        "Findings: none\n"
    )
