"""bad-udp-checksum: the UDP checksum does not verify.

What it checks
    The checksum of the UDP datagram that carried the message, as the
    decoder verified it over the IPv4 pseudo-header. A checksum of zero is
    fine (the sender computed none, which IPv4 allows); one that could not be
    verified because the capture cut the datagram is not judged.

    A capture taken on the sending host often shows outgoing datagrams whose
    checksum field holds only the sum of the pseudo-header: the operating
    system left the rest to the network card (checksum offload), which fills
    it in after the capture point. Those are skipped unless the `offloaded`
    setting asks for them.

Why
    RFC 1122 section 4.1.3.4
    (https://www.rfc-editor.org/rfc/rfc1122#section-4.1.3.4): "If a UDP
    datagram is received with a checksum that is non-zero and invalid, UDP
    MUST silently discard the datagram." The receiver never sees the message:
    a client retries and times out with a server that seems to answer.

Failing example
    A DHCPOFFER from 192.0.2.1:67 to 192.0.2.107:68 whose checksum field is
    0x1234 where the data sum to 0xbeef: `udp checksum 0x1234 (expected
    0xbeef)`.

Settings
    offloaded (boolean, default false): also report, as info, checksums that
    hold only the pseudo-header sum a sender using checksum offload leaves.
"""

from collections.abc import Iterator

from dhcpcheck.decode.ip import UDP, UDP_HEADER, ChecksumStatus, internet_checksum
from dhcpcheck.rules.base import (
    Hit,
    MessageRule,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.message.common import hit
from dhcpcheck.transactions.model import Seen


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit when the UDP checksum is wrong (and not left for offload)."""
    checksum = seen.udp_checksum
    if checksum is None or checksum.status is not ChecksumStatus.BAD:
        return
    received = f"udp checksum 0x{checksum.received:04x}"
    if checksum.expected is None:
        text = f"{received} does not verify"
    else:
        text = f"{received} (expected 0x{checksum.expected:04x})"
    if checksum.received != offload_partial(seen):
        yield hit(seen, text)
    elif settings.boolean("offloaded"):
        yield hit(seen, f"{text}, left for checksum offload", severity=Severity.INFO)


def offload_partial(seen: Seen) -> int:
    """What a sender using checksum offload leaves in the field: the one's
    complement sum, not complemented, of the IPv4 pseudo-header (RFC 768)."""
    length = seen.message.wire_size + UDP_HEADER
    pseudo = seen.ip_src.packed + seen.ip_dst.packed + bytes((0, UDP))
    return ~internet_checksum(pseudo + length.to_bytes(2)) & 0xFFFF


RULE = MessageRule(
    code="DHC109",
    name="bad-udp-checksum",
    severity=Severity.WARNING,
    summary="UDP checksum does not verify; the receiver drops the message",
    doc=__doc__ or "",
    check=check,
    settings={
        "offloaded": Setting(
            SettingKind.BOOLEAN,
            False,
            "also report checksums left for checksum offload (info)",
        ),
    },
)
