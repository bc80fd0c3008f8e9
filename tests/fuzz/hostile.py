"""Captures built to attack a terminal and a report: every text field off the
wire carries escape sequences, rich markup and invalid UTF-8.

Used by test_terminal_safety.py and test_hostile.py; the exchanges are
ordinary (a DORA, a NAK, a DECLINE) so that every report shows the text.
"""

import io

from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.writer import write_pcap
from dhcpcheck.craft.bootp import Bootp, BootpOp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import UDP, IPv4, udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.craft.options import Option, addresses, message_type, text, uint32
from dhcpcheck.decode.options import MessageType, OptionCode

CLEAR = b"\x1b[2J"  # CSI: erase the screen
CLIPBOARD = b"\x1b]52;c;cm0gLXJmIH4=\x07"  # OSC 52: write the clipboard
BELL = b"\x07"
MARKUP = b"[bold red]x[/]"
BAD_UTF8 = b"\xff\xfe\xc3("
# Everything at once, short enough for sname (64 bytes) and an option.
PAYLOAD = CLEAR + CLIPBOARD + BELL + MARKUP + BAD_UTF8 + b"\x9b31m\r\x08"
# What may never reach a terminal raw, whatever dhcpcheck adds around it.
FORBIDDEN = ("\x1b[2J", "\x1b]52", "\x07", "\x9b", "\r", "\x08")

CLIENT = "02:00:5e:10:00:01"
SERVER = "192.0.2.1"
OFFERED = "192.0.2.50"
START_NS = 1_700_000_000 * 10**9


def _client(
    xid: int, kind: MessageType, *options: Option, ciaddr: str = "0.0.0.0"
) -> bytes:
    message = Bootp(
        xid=xid,
        ciaddr=ciaddr,
        chaddr=CLIENT,
        sname=PAYLOAD,
        file=PAYLOAD,
        options=(
            message_type(kind),
            text(OptionCode.HOSTNAME, PAYLOAD),
            text(OptionCode.VENDOR_CLASS_ID, PAYLOAD),
            (OptionCode.CLIENT_ID, b"\x00" + PAYLOAD),
            (OptionCode.CLIENT_FQDN, b"\x00\x00\x00" + PAYLOAD),
            *options,
        ),
    )
    return ethernet(udp_ipv4(message.encode(), IPv4()), src=CLIENT)


def _server(xid: int, kind: MessageType, *options: Option) -> bytes:
    message = Bootp(
        op=BootpOp.BOOTREPLY,
        xid=xid,
        yiaddr=OFFERED if kind is not MessageType.NAK else "0.0.0.0",
        siaddr=SERVER,
        chaddr=CLIENT,
        sname=PAYLOAD,
        file=PAYLOAD,
        options=(
            message_type(kind),
            addresses(OptionCode.SERVER_ID, SERVER),
            text(OptionCode.MESSAGE, PAYLOAD),
            text(OptionCode.DOMAIN_NAME, PAYLOAD),
            text(OptionCode.HOSTNAME, PAYLOAD),
            *options,
        ),
    )
    ip = IPv4(src=SERVER, dst="255.255.255.255")
    return ethernet(
        udp_ipv4(message.encode(), ip, UDP(67, 68)), src="02:00:5e:10:00:fe"
    )


def hostile_frames() -> list[Frame]:
    """A DORA, a REQUEST refused by a NAK, and a DECLINE, all full of escapes."""
    lease = (
        uint32(OptionCode.LEASE_TIME, 3600),
        addresses(OptionCode.SUBNET_MASK, "255.255.255.0"),
    )
    requested = addresses(OptionCode.REQUESTED_IP, OFFERED)
    server_id = addresses(OptionCode.SERVER_ID, SERVER)
    packets = [
        _client(1, MessageType.DISCOVER),
        _server(1, MessageType.OFFER, *lease),
        _client(1, MessageType.REQUEST, requested, server_id),
        _server(1, MessageType.ACK, *lease),
        _client(2, MessageType.REQUEST, addresses(OptionCode.REQUESTED_IP, "10.9.9.9")),
        _server(2, MessageType.NAK),
        _client(
            3,
            MessageType.DECLINE,
            requested,
            server_id,
            text(OptionCode.MESSAGE, PAYLOAD),
        ),
    ]
    return [
        captured(number, START_NS + number * 10**8, LinkType.ETHERNET, data)
        for number, data in enumerate(packets, 1)
    ]


def hostile_pcap() -> bytes:
    """`hostile_frames` as a microsecond pcap file."""
    stream = io.BytesIO()
    write_pcap(stream, hostile_frames(), LinkType.ETHERNET)
    return stream.getvalue()
