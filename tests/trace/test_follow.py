"""`follow` on captures recorded in the lab at several points at once: a
switch that drops an OFFER, and a relay between client and server.

Every capture there stamps with one kernel clock, so the estimated offsets
must come out as zero, within their error.
"""

from pathlib import Path

import pytest

from dhcpcheck.capture import read_frames
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.trace.follow import follow
from dhcpcheck.trace.model import Basis, OrderChoice, Point, Trace
from dhcpcheck.trace.points import collect

SAMPLES = Path(__file__).parents[2] / "samples"
DORA = [
    MessageType.DISCOVER,
    MessageType.OFFER,
    MessageType.REQUEST,
    MessageType.ACK,
]


def points(**files: str) -> list[Point]:
    return [
        collect(name, str(SAMPLES / file), read_frames(str(SAMPLES / file)))
        for name, file in files.items()
    ]


def lost_offer(choice: OrderChoice = OrderChoice.AUTO) -> Trace:
    return follow(
        points(
            server="trace/lost-offer-server.pcap",
            client="trace/lost-offer-client.pcap",
            bridge="trace/lost-offer-bridge.pcap",
        ),
        choice,
    )


def relay_path() -> Trace:
    return follow(
        points(
            relay="trace/relay-path-relay.pcap",
            server_side="trace/relay-path-server-side.pcap",
            client_side="trace/relay-path-client-side.pcap",
        )
    )


def test_the_points_are_ordered_from_the_evidence() -> None:
    trace = lost_offer()
    assert trace.order.points == ("client", "bridge", "server")
    assert [hop.basis for hop in trace.order.hops] == [Basis.EVIDENCE] * 2
    assert trace.order.doubts == ()


def test_one_clock_is_found_to_be_one_clock() -> None:
    for clock in lost_offer().clocks.values():
        assert clock is not None
        assert abs(clock.offset) <= clock.error < 50e-6


def test_the_lost_offer_is_reported_at_the_hop_where_it_died() -> None:
    trace = lost_offer()
    (path,) = trace.lost
    assert path.track.seen.type == MessageType.OFFER
    assert path.lost_after == "bridge"
    assert path.never_on == "client"
    assert [visit.point for visit in path.seen] == ["server", "bridge"]


def test_every_other_message_passed_every_point() -> None:
    (txn,) = lost_offer().transactions
    kinds = [path.track.seen.type for path in txn.paths]
    assert kinds == [MessageType.DISCOVER, MessageType.OFFER, *DORA]
    for path in txn.paths[2:]:
        assert len(path.seen) == 3
        assert all(visit.delay is not None for visit in path.seen[1:])


def test_an_ethernet_and_a_cooked_capture_are_matched() -> None:
    trace = lost_offer()
    linktypes = {point.name: point.linktypes for point in trace.points}
    assert linktypes == {
        "server": (LinkType.LINUX_SLL2,),
        "client": (LinkType.ETHERNET,),
        "bridge": (LinkType.ETHERNET,),
    }
    assert {link.first for link in trace.links if link.to_client} >= {"server"}


def test_the_given_order_is_kept_and_the_evidence_against_it_said() -> None:
    trace = lost_offer(OrderChoice.GIVEN)
    assert trace.order.points == ("server", "client", "bridge")
    assert trace.order.doubts == (
        "clock of client unknown",
        "clock of bridge unknown",
        "the evidence puts client nearer the client than server",
        "the evidence puts bridge nearer the client than server",
    )
    # Seen at server and bridge but not in between: a gap, not a loss.
    assert trace.lost == ()
    assert trace.transactions[0].paths[1].missed == ("client",)


def test_messages_are_followed_through_the_relay() -> None:
    trace = relay_path()
    assert trace.order.points == ("client_side", "relay", "server_side")
    assert trace.order.certain
    assert trace.lost == ()
    (txn,) = trace.transactions
    assert [path.track.seen.type for path in txn.paths] == DORA
    for path in txn.paths:
        passages = [path.track.at(name) for name in trace.order.points]
        assert [len(p.sightings) if p else 0 for p in passages] == [1, 2, 1]


def test_the_relay_took_each_message_in_on_one_leg_and_out_on_the_other() -> None:
    (txn,) = relay_path().transactions
    discover, offer = txn.paths[0], txn.paths[1]
    relayed = [
        [seen.relayed for seen in visit.passage.sightings]
        for visit in (discover.visits[1], offer.visits[1])
        if visit.passage is not None
    ]
    assert relayed == [[False, True], [True, False]]
    agent = OptionCode.RELAY_AGENT_INFO
    for path in (discover, offer):
        server_side = path.track.at("server_side")
        client_side = path.track.at("client_side")
        assert server_side is not None and client_side is not None
        assert server_side.sightings[0].message.value(agent) is not None
        assert client_side.sightings[0].message.value(agent) is None


@pytest.mark.parametrize("listed", [("client", "server"), ("server", "client")])
def test_the_lab_relay_samples_match_across_the_relay(
    listed: tuple[str, str],
) -> None:
    files = {
        "client": "lab/relay-client-side.pcap",
        "server": "lab/relay-server-side.pcap",
    }
    trace = follow(points(**{name: files[name] for name in listed}))
    assert trace.order.points == ("client", "server")
    (txn,) = trace.transactions
    assert [len(path.seen) for path in txn.paths] == [2, 2, 2, 2]
    assert trace.lost == ()
