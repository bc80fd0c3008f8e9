"""Build `Seen` messages for the message rules and run one rule on them."""

from ipaddress import IPv4Address

import pytest
from rules.message.build import (
    CLIENT,
    LEASED,
    SEED,
    SERVER,
    SERVER_MAC,
    SERVER_TYPES,
    XID,
    MakeSeen,
    Run,
)

from dhcpcheck.capture.source import read_frames
from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.decode.bootp import decode_bootp
from dhcpcheck.decode.ip import Checksum
from dhcpcheck.rules.base import Hit, MessageRule, Settings
from dhcpcheck.transactions.model import Seen
from dhcpcheck.transactions.observe import observe


@pytest.fixture
def seen() -> MakeSeen:
    """A factory: seen(type, options=..., **Bootp fields and capture details).

    Replies come from SERVER:67 to LEASED:68, requests from 0.0.0.0:68 to
    broadcast. `payload` replaces the encoded Bootp; `snap` keeps only that
    many bytes of it, as a capture's snap length would. `mac_src` defaults
    to the sender's MAC; None stands for a link without MACs.
    """

    def make(
        kind: int | None,
        *,
        options: tuple[tuple[int, bytes], ...] = (),
        frame: int = 7,
        src: str | None = None,
        dst: str | None = None,
        sport: int | None = None,
        dport: int | None = None,
        mac_src: str | None = "",
        checksum: Checksum | None = None,
        payload: bytes | None = None,
        snap: int | None = None,
        **fields: object,
    ) -> Seen:
        reply = kind in SERVER_TYPES
        fields.setdefault("xid", XID)
        fields.setdefault("chaddr", CLIENT)
        fields.setdefault("op", 2 if reply else 1)
        head = ((53, bytes([kind])),) if kind is not None else ()
        if payload is None:
            payload = Bootp(options=head + options, **fields).encode()
        message = decode_bootp(payload[:snap], len(payload))
        assert message is not None
        return Seen(
            frame=frame,
            time=1_623_162_713.0,
            ip_src=IPv4Address(src or (SERVER if reply else "0.0.0.0")),
            ip_dst=IPv4Address(dst or (LEASED if reply else "255.255.255.255")),
            sport=sport or (67 if reply else 68),
            dport=dport or (68 if reply else 67),
            mac_src=(SERVER_MAC if reply else CLIENT) if mac_src == "" else mac_src,
            message=message,
            udp_checksum=checksum,
        )

    return make


@pytest.fixture
def run() -> Run:
    """run(rule, seen, {setting: value}): the rule's hits, defaults otherwise."""

    def check(
        rule: MessageRule, seen: Seen, settings: dict[str, object] | None = None
    ) -> list[Hit]:
        values = {name: s.default for name, s in rule.settings.items()}
        return list(rule.check(seen, Settings(values | (settings or {}))))

    return check


@pytest.fixture(scope="session")
def dora() -> list[Seen]:
    """The four messages of samples/openstack-dora.pcap."""
    found = [observe(frame) for frame in read_frames(str(SEED))]
    messages = [seen for seen in found if seen is not None]
    assert len(messages) == 4
    return messages
