"""DHC501 message-lost: the finding for a message that stopped short."""

from collections.abc import Callable
from ipaddress import IPv4Address
from pathlib import Path

from dhcpcheck.capture import read_frames
from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import Severity
from dhcpcheck.trace.follow import follow
from dhcpcheck.trace.lost import describe, findings
from dhcpcheck.trace.model import Point
from dhcpcheck.trace.points import collect
from dhcpcheck.transactions.model import Seen

SAMPLES = Path(__file__).parents[2] / "samples" / "trace"


def test_the_lost_offer_finding() -> None:
    names = ("client", "bridge", "server")
    files = [str(SAMPLES / f"lost-offer-{name}.pcap") for name in names]
    trace = follow(
        [collect(n, f, read_frames(f)) for n, f in zip(names, files, strict=True)]
    )
    (finding,) = findings(trace)
    assert (finding.code, finding.name) == ("DHC501", "message-lost")
    assert finding.severity is Severity.WARNING
    assert (
        finding.message
        == "offer 0xb0830c1e left server, seen on bridge, never on client"
    )
    assert finding.source == "bridge"
    assert finding.frames == (2,)
    assert finding.xid == 0xB0830C1E
    assert finding.client == "00:00:5e:00:53:10"
    assert finding.server == IPv4Address("192.0.2.1")
    sent = trace.lost[0].track.at("server")
    assert sent is not None
    assert finding.time == sent.first


def test_a_message_seen_at_one_point_left_it_and_nothing_more(
    seen: Callable[..., Seen],
) -> None:
    asked = seen(0.0, MessageType.DISCOVER, secs=0)
    client = Point(
        "client",
        "c.pcap",
        (
            asked,
            seen(4.0, MessageType.DISCOVER, secs=4),
            seen(4.011, MessageType.OFFER),
        ),
    )
    server = Point(
        "server",
        "s.pcap",
        (seen(4.001, MessageType.DISCOVER, secs=4), seen(4.01, MessageType.OFFER)),
    )
    trace = follow([client, server])
    (path,) = trace.lost
    assert describe(path) == "discover 0x6265ab6d left client, never on server"
    (finding,) = findings(trace)
    assert finding.server is None
    assert finding.frames == (asked.frame,)
