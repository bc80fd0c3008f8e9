"""One message found in several captures: what a relay may change, copies on
a relay's two legs, and copies of a message resent unchanged."""

from collections.abc import Callable
from ipaddress import IPv4Address

import pytest

from dhcpcheck.decode.options import MessageType
from dhcpcheck.trace.match import clear_tracks, fingerprint, group, passages, tracks
from dhcpcheck.trace.model import Clock, Passage, Point, Track
from dhcpcheck.transactions.model import Seen

Make = Callable[..., Seen]
AGENT = (82, b"\x01\x04eth0")  # circuit ID "eth0", as dhcrelay -a adds it
HOSTNAME = (12, b"cli")
NO_CLOCKS: dict[str, Clock | None] = {}


def point(name: str, *messages: Seen) -> Point:
    return Point(name, f"{name}.pcap", messages)


def times(track: Track) -> list[tuple[str, float]]:
    return [(passage.point, passage.first) for passage in track.passages]


def test_a_relayed_copy_has_the_fingerprint_of_its_original(seen: Make) -> None:
    original = seen(0.0, MessageType.DISCOVER, options=(HOSTNAME,))
    relayed = seen(
        0.0003,
        MessageType.DISCOVER,
        options=(HOSTNAME, AGENT),
        relayed=True,
        giaddr="192.0.2.1",
        hops=1,
        src="198.51.100.1",
        dst="198.51.100.2",
    )
    assert relayed.relayed and not original.relayed
    assert fingerprint(relayed) == fingerprint(original)


@pytest.mark.parametrize(
    "change",
    [
        {"secs": 4},
        {"xid": 0x12345678},
        {"chaddr": "02:00:00:00:00:0b"},
        {"options": ((12, b"other"),)},
        {"options": (HOSTNAME, (61, b"\x01abc"))},
    ],
)
def test_anything_else_tells_messages_apart(
    seen: Make, change: dict[str, object]
) -> None:
    fields: dict[str, object] = {"options": (HOSTNAME,)}
    original = seen(0.0, MessageType.DISCOVER, **fields)
    other = seen(0.0, MessageType.DISCOVER, **{**fields, **change})
    assert fingerprint(other) != fingerprint(original)


def test_the_message_type_tells_messages_apart(seen: Make) -> None:
    assert fingerprint(seen(0.0, MessageType.DISCOVER)) != fingerprint(
        seen(0.0, MessageType.REQUEST)
    )


def test_a_relay_taking_a_message_in_and_out_is_one_passage(seen: Make) -> None:
    taken = seen(10.0, MessageType.DISCOVER)
    sent_on = seen(10.0003, MessageType.DISCOVER, relayed=True, giaddr="192.0.2.1")
    resent = seen(14.0, MessageType.DISCOVER)
    (through, again) = passages(point("relay", taken, sent_on, resent))
    assert through.sightings == (taken, sent_on)
    assert through.held == pytest.approx(0.0003)
    assert through.frames == (taken.frame, sent_on.frame)
    assert again.sightings == (resent,)


def test_two_copies_on_one_leg_are_two_passages(seen: Make) -> None:
    first, second = seen(1.0, MessageType.OFFER), seen(1.0001, MessageType.OFFER)
    assert [p.sightings for p in passages(point("a", first, second))] == [
        (first,),
        (second,),
    ]


def test_copies_resent_unchanged_pair_first_in_first_out(seen: Make) -> None:
    here = point("a", seen(0.0, MessageType.DISCOVER), seen(4.0, MessageType.DISCOVER))
    there = point(
        "b", seen(0.001, MessageType.DISCOVER), seen(4.001, MessageType.DISCOVER)
    )
    groups = group([*passages(here), *passages(there)])
    assert clear_tracks(groups) == []
    paired = tracks(groups, NO_CLOCKS)
    assert [times(track) for track in paired] == [
        [("a", 0.0), ("b", 0.001)],
        [("a", 4.0), ("b", 4.001)],
    ]


def test_a_lost_copy_leaves_the_later_one_its_own_pair(seen: Make) -> None:
    here = point("a", seen(0.0, MessageType.DISCOVER), seen(4.0, MessageType.DISCOVER))
    there = point("b", seen(4.001, MessageType.DISCOVER))
    groups = group([*passages(here), *passages(there)])
    assert [times(track) for track in tracks(groups, NO_CLOCKS)] == [
        [("a", 0.0)],
        [("a", 4.0), ("b", 4.001)],
    ]


def test_copies_pair_on_corrected_clocks(seen: Make) -> None:
    here = point("a", seen(0.0, MessageType.OFFER), seen(4.0, MessageType.OFFER))
    there = point("b", seen(2.501, MessageType.OFFER), seen(6.501, MessageType.OFFER))
    groups = group([*passages(here), *passages(there)])
    clocks = {"a": Clock(0.0, 0.0), "b": Clock(2.5, 0.001)}
    assert [times(track) for track in tracks(groups, clocks)] == [
        [("a", 0.0), ("b", 2.501)],
        [("a", 4.0), ("b", 6.501)],
    ]
    # Without the clocks, 2.5 s apart is too far to be one message.
    assert len(tracks(groups, NO_CLOCKS)) == 4


def test_clear_tracks_are_messages_seen_once_at_several_points(seen: Make) -> None:
    both = seen(0.0, MessageType.DISCOVER)
    alone = seen(1.0, MessageType.REQUEST)
    found = [
        Passage("a", (both,)),
        Passage("b", (both,)),
        Passage("a", (alone,)),
    ]
    (track,) = clear_tracks(group(found))
    assert [p.point for p in track.passages] == ["a", "b"]
    assert track.at("b") == found[1]
    assert track.at("c") is None
    assert track.from_client
    assert track.seen.ip_dst == IPv4Address("255.255.255.255")
