"""The order of points, their clocks and each message's way, on captures
built for it: one client, one server and capture points between them, each
with a link type and a clock error of its own. `build` writes one pcap per
point and reads it back through the capture layer."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest

from dhcpcheck.capture import read_frames
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.writer import TimeResolution, write_pcap
from dhcpcheck.craft import options as opt
from dhcpcheck.craft.bootp import Bootp, BootpOp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import UDP, IPv4, udp_ipv4
from dhcpcheck.craft.link import LINK_HEADERS
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.trace.follow import follow
from dhcpcheck.trace.model import (
    Basis,
    Clock,
    Direction,
    Interval,
    Link,
    OrderChoice,
    Point,
    Trace,
)
from dhcpcheck.trace.path import order
from dhcpcheck.trace.points import collect

CLIENT_MAC = "02:00:00:00:00:0a"
SERVER_MAC = "02:00:00:00:00:01"
SERVER_IP = "10.0.0.1"
START = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC
XID = 0x6265AB6D
DELAY = 0.001  # seconds per hop
_REPLIES = frozenset({MessageType.OFFER, MessageType.ACK, MessageType.NAK})


@dataclass(frozen=True, slots=True)
class Spot:
    """A capture point on the built path, client side first."""

    name: str
    linktype: LinkType = LinkType.ETHERNET
    shift: float = 0.0  # seconds its clock is ahead of the true time


@dataclass(frozen=True, slots=True)
class Sent:
    """One message: when its sender sent it (seconds after START, true time),
    the point on its way where it comes in (0: the first), how many it
    reaches (None: all), and the captures that miss it on the way."""

    at: float
    kind: MessageType
    secs: int = 0
    enters: int = 0
    reach: int | None = None
    missed_by: tuple[str, ...] = ()
    xid: int = XID
    chaddr: str = CLIENT_MAC


Build = Callable[..., dict[str, Point]]


@pytest.fixture
def build(tmp_path: Path) -> Build:
    """build(spots, sent, delay=DELAY): the points, by name, as read back."""

    def run(
        spots: Sequence[Spot], sent: Sequence[Sent], delay: float = DELAY
    ) -> dict[str, Point]:
        stamped: dict[str, list[tuple[float, bytes]]] = {s.name: [] for s in spots}
        for message in sent:
            replying = message.kind in _REPLIES
            way = list(reversed(spots)) if replying else list(spots)
            for hop, spot in enumerate(way[message.enters : message.reach]):
                if spot.name in message.missed_by:
                    continue
                when = START + message.at + hop * delay + spot.shift
                stamped[spot.name].append((when, frame_bytes(message, spot.linktype)))
        return {spot.name: _point(tmp_path, spot, stamped[spot.name]) for spot in spots}

    return run


def frame_bytes(message: Sent, linktype: LinkType) -> bytes:
    """The message as the link type carries it: broadcast either way."""
    replying = message.kind in _REPLIES
    body = Bootp(
        op=BootpOp.BOOTREPLY if replying else BootpOp.BOOTREQUEST,
        xid=message.xid,
        secs=message.secs,
        chaddr=message.chaddr,
        options=(
            opt.message_type(message.kind),
            opt.addresses(OptionCode.SERVER_ID, SERVER_IP),
        ),
    )
    if replying:
        packet = udp_ipv4(body.encode(), IPv4(src=SERVER_IP), UDP(sport=67, dport=68))
        return LINK_HEADERS[linktype](packet, SERVER_MAC)
    return LINK_HEADERS[linktype](udp_ipv4(body.encode()), message.chaddr)


def _point(directory: Path, spot: Spot, stamped: list[tuple[float, bytes]]) -> Point:
    frames = [
        captured(number, round(when * 1e9), spot.linktype, data)
        for number, (when, data) in enumerate(sorted(stamped), start=1)
    ]
    stream = BytesIO()
    write_pcap(stream, frames, spot.linktype, TimeResolution.NANO)
    path = directory / f"{spot.name}.pcap"
    path.write_bytes(stream.getvalue())
    return collect(spot.name, str(path), read_frames(str(path)))


DISCOVER, OFFER = MessageType.DISCOVER, MessageType.OFFER
REQUEST, ACK = MessageType.REQUEST, MessageType.ACK
DORA = (Sent(0.0, DISCOVER), Sent(0.010, OFFER), Sent(0.020, REQUEST), Sent(0.030, ACK))
SHIFTED = (
    Spot("client", LinkType.ETHERNET),
    Spot("bridge", LinkType.LINUX_SLL, shift=3.25),
    Spot("server", LinkType.LINUX_SLL2, shift=-1.5),
)


def traced(
    build: Build,
    spots: tuple[Spot, ...],
    sent: tuple[Sent, ...],
    listed: tuple[str, ...],
    choice: OrderChoice = OrderChoice.AUTO,
) -> Trace:
    points = build(spots, sent)
    return follow([points[name] for name in listed], choice)


@pytest.mark.parametrize(
    "listed",
    [("server", "client", "bridge"), ("bridge", "server", "client")],
)
def test_clocks_seconds_apart_are_estimated_and_the_order_found(
    build: Build, listed: tuple[str, ...]
) -> None:
    trace = traced(build, SHIFTED, DORA, listed)
    assert trace.order.points == ("client", "bridge", "server")
    assert [hop.basis for hop in trace.order.hops] == [Basis.EVIDENCE] * 2
    assert trace.order.doubts == ()
    shifts = {spot.name: spot.shift for spot in SHIFTED}
    for name, clock in trace.clocks.items():
        assert clock is not None
        truth = shifts[name] - shifts[trace.reference]
        # Delays are alike both ways, so the NTP midpoint is exact; the error
        # is half the quickest round trip along the links used.
        assert clock.offset == pytest.approx(truth, abs=1e-6)
        assert clock.error <= 2 * DELAY + 1e-6


def test_delays_are_measured_on_the_corrected_clocks(build: Build) -> None:
    trace = traced(build, SHIFTED, DORA, ("server", "client", "bridge"))
    (txn,) = trace.transactions
    assert txn.xid == XID
    assert [path.track.seen.type for path in txn.paths] == [
        DISCOVER,
        OFFER,
        REQUEST,
        ACK,
    ]
    for path in txn.paths:
        delays = [visit.delay for visit in path.visits]
        assert delays[0] is None
        assert delays[1:] == [pytest.approx(DELAY, abs=1e-6)] * 2
    assert [path.direction for path in txn.paths] == [
        Direction.TO_SERVER,
        Direction.TO_CLIENT,
    ] * 2
    assert trace.lost == ()


def test_the_given_order_is_kept_and_contradictions_said(build: Build) -> None:
    listed = ("server", "bridge", "client")
    trace = traced(build, SHIFTED, DORA, listed, OrderChoice.GIVEN)
    assert trace.order.points == listed
    assert {hop.basis for hop in trace.order.hops} == {Basis.GIVEN}
    assert "the evidence puts bridge nearer the client than server" in (
        trace.order.doubts
    )
    assert trace.lost == ()  # each message was still seen at every point


def test_a_message_seen_at_one_point_only_is_lost_after_it(build: Build) -> None:
    sent = (
        Sent(0.0, DISCOVER, reach=1),
        *(Sent(4 + s.at, s.kind, secs=4) for s in DORA),
    )
    trace = traced(build, SHIFTED, sent, ("client", "bridge", "server"))
    (path,) = trace.lost
    assert path.track.seen.message.secs == 0
    assert path.lost_after == "client"
    assert path.never_on == "bridge"
    assert [visit.point for visit in path.seen] == ["client"]


def test_another_clients_exchange_from_the_bridge_on_is_not_lost(
    build: Build,
) -> None:
    other = "02:00:00:00:00:0b"
    sent = (
        *DORA,
        Sent(1.0, DISCOVER, enters=1, chaddr=other, xid=1),
        Sent(1.01, OFFER, reach=2, chaddr=other, xid=1),
    )
    trace = traced(build, SHIFTED, sent, ("client", "bridge", "server"))
    assert trace.lost == ()
    passing = trace.transactions[1]
    assert passing.client_mac == other
    assert [[v.point for v in path.seen] for path in passing.paths] == [
        ["bridge", "server"],
        ["server", "bridge"],
    ]


def test_a_capture_that_missed_a_message_is_a_gap_not_a_loss(build: Build) -> None:
    sent = (*DORA[:3], Sent(0.030, ACK, missed_by=("bridge",)))
    trace = traced(build, SHIFTED, sent, ("client", "bridge", "server"))
    ack = trace.transactions[0].paths[-1]
    assert ack.lost_after is None
    assert ack.missed == ("bridge",)
    assert ack.visits[-1].delay == pytest.approx(2 * DELAY, abs=1e-6)


def test_one_way_traffic_leaves_the_clocks_unknown_and_says_so(
    build: Build,
) -> None:
    spots = (Spot("client"), Spot("bridge", shift=2.0), Spot("server"))
    sent = tuple(Sent(at, DISCOVER, secs=round(at)) for at in (0.0, 4.0, 8.0))
    trace = traced(build, spots, sent, ("client", "bridge", "server"))
    assert trace.clocks["bridge"] is None
    assert trace.clocks["server"] is None
    assert not trace.order.certain
    # Taken at their word, the bridge's fast clock puts it behind the server.
    assert trace.order.points == ("client", "server", "bridge")
    assert {hop.basis for hop in trace.order.hops} == {Basis.ASSUMED}
    assert "clock of bridge unknown" in trace.order.doubts
    assert "client before server assumes their clocks agree" in trace.order.doubts
    assert all(
        visit.delay is None
        for txn in trace.transactions
        for path in txn.paths
        for visit in path.visits
    )


def test_unrelated_points_are_left_in_the_given_order_with_nothing_lost(
    build: Build,
) -> None:
    first = build((Spot("a"),), DORA)["a"]
    second = build((Spot("b"),), (Sent(0.0, DISCOVER, xid=2),))["b"]
    trace = follow([first, second])
    assert trace.order.points == ("a", "b")
    assert trace.order.hops[0].basis is Basis.UNKNOWN
    assert "nothing seen at both a and b orders them" in trace.order.doubts
    assert trace.lost == ()


ONE_WAY = Link(
    "a",
    "c",
    to_server=2,
    to_client=0,
    forward=Interval(None, 0.5),
    backward=Interval(0.7, None),
)


def test_clock_estimates_order_points_that_saw_messages_one_way() -> None:
    clocks = {"a": Clock(0.0, 0.0), "c": Clock(0.1, 0.05)}
    found = order(["c", "a"], [ONE_WAY], clocks, OrderChoice.AUTO)
    assert found.points == ("a", "c")
    assert found.hops[0].basis is Basis.CLOCKS
    assert found.certain


def test_clock_estimates_too_uncertain_to_order_are_said_to_be() -> None:
    clocks = {"a": Clock(0.0, 0.0), "c": Clock(0.6, 0.2)}
    found = order(["c", "a"], [ONE_WAY], clocks, OrderChoice.AUTO)
    assert found.points == ("c", "a")  # as given: nothing settles it
    assert found.hops[0].basis is Basis.UNKNOWN
    assert found.doubts == (
        "clock offsets too uncertain to order a and c (error 0.200000 s)",
        "nothing seen at both c and a orders them",
    )


def test_messages_that_fit_neither_order_are_a_doubt() -> None:
    jitter = Link("a", "b", 1, 1, Interval(0.2, 0.1), Interval(0.3, -0.1))
    clocks = {"a": Clock(0.0, 0.0), "b": None}
    found = order(["a", "b"], [jitter], clocks, OrderChoice.AUTO)
    assert "messages between a and b fit neither order" in found.doubts
    assert not found.certain


def test_exchanges_reusing_an_xid_long_apart_are_two_transactions(
    build: Build,
) -> None:
    later = tuple(Sent(s.at + 3600, s.kind, secs=1) for s in DORA)
    trace = traced(build, SHIFTED, (*DORA, *later), ("client", "bridge", "server"))
    assert [len(txn.paths) for txn in trace.transactions] == [4, 4]
    assert {path.track.seen.message.secs for path in trace.transactions[1].paths} == {1}
