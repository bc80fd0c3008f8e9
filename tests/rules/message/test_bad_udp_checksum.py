from ipaddress import IPv4Address

from rules.message.build import CLIENT, LEASED, SERVER, SERVER_MAC, XID, MakeSeen, Run

from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import UDP, IPv4, udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.craft.options import message_type
from dhcpcheck.decode.ip import Checksum, ChecksumStatus
from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.rules.message.bad_udp_checksum import RULE
from dhcpcheck.transactions.model import Seen
from dhcpcheck.transactions.observe import observe

PAYLOAD = Bootp(
    op=2, xid=XID, chaddr=CLIENT, options=(message_type(MessageType.OFFER),)
).encode()
IP = IPv4(src=SERVER, dst=LEASED)


def offer(checksum: int | None, number: int = 12) -> Seen:
    packet = udp_ipv4(PAYLOAD, IP, UDP(67, 68, checksum))
    frame = captured(number, 0, LinkType.ETHERNET, ethernet(packet, SERVER_MAC, CLIENT))
    seen = observe(frame)
    assert seen is not None
    return seen


def right_checksum() -> int:
    packet = udp_ipv4(PAYLOAD, IP, UDP(67, 68))
    return int.from_bytes(packet[26:28])


def pseudo_header_sum() -> int:
    """Summed by hand: the two addresses, protocol 17 and the UDP length."""
    words = [0xC000, 0x0201, 0xC000, 0x026B, 17, len(PAYLOAD) + 8]
    total = sum(words)
    return (total & 0xFFFF) + (total >> 16)


def test_fires_on_a_wrong_checksum(run: Run) -> None:
    right = right_checksum()
    wrong = right ^ 0x0101
    assert run(RULE, offer(wrong)) == [
        Hit(
            f"udp checksum 0x{wrong:04x} (expected 0x{right:04x})",
            frames=(12,),
            xid=XID,
            client=CLIENT,
            server=IPv4Address(SERVER),
        )
    ]


def test_silent_on_right_and_absent_checksums(run: Run) -> None:
    assert run(RULE, offer(None)) == []
    assert run(RULE, offer(0)) == []


def test_checksum_left_for_offload_is_skipped_unless_asked(run: Run) -> None:
    partial = offer(pseudo_header_sum())
    assert run(RULE, partial) == []
    hits = run(RULE, partial, {"offloaded": True})
    assert [
        (hit.severity, hit.message.endswith("left for checksum offload"))
        for hit in hits
    ] == [(Severity.INFO, True)]


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []


def test_a_bad_checksum_without_its_right_value(seen: MakeSeen, run: Run) -> None:
    message = seen(2, checksum=Checksum(ChecksumStatus.BAD, 0x1234))
    assert [hit.message for hit in run(RULE, message)] == [
        "udp checksum 0x1234 does not verify"
    ]
