"""Find one DHCP message in several captures.

A relay rewrites giaddr, hops, the IP addresses and ports, and adds or strips
option 82; the rest of the message is the relay's to carry unchanged. So the
fingerprint is what stays: xid, client, type, `secs` and the other options.
Nothing here reads clocks; `tracks` is given them to pair repeated messages.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.trace.clocks import corrected
from dhcpcheck.trace.model import Clocks, Passage, Point, Track
from dhcpcheck.transactions.model import Seen

# RFC 3046 section 2.1: the relay agent adds option 82 "as the last option
# (but before 'End Option' 255)" and strips it from the reply it forwards.
# PAD and END carry nothing and relays may re-pad.
_NOT_COMPARED = frozenset({OptionCode.PAD, OptionCode.RELAY_AGENT_INFO, OptionCode.END})
# One message crosses a few links in well under this many seconds; a client
# resends an unanswered one about 4 s later (RFC 2131 section 4.1).
MATCH_WINDOW = 1.0

Fingerprint = tuple[
    int, int, bytes, int, int, int | None, tuple[tuple[int, bytes], ...]
]


def fingerprint(seen: Seen) -> Fingerprint:
    """What a relay leaves alone: op, client, xid, secs, type and options."""
    message = seen.message
    options = tuple(
        (option.code, option.data)
        for option in message.options
        if option.code not in _NOT_COMPARED
    )
    return (
        message.op,
        message.htype,
        message.client_hardware,
        message.xid,
        message.secs,
        seen.type,
        options,
    )


def passages(point: Point) -> list[Passage]:
    """The messages `point` saw, each sighting its own passage except where a
    relay there took a message in on one leg and sent it on the other.

    `Seen.relayed` tells the legs apart: the copy between relay and server
    has giaddr set and runs from server port to server port.
    """
    found: list[Passage] = []
    waiting: dict[Fingerprint, int] = {}  # a one-sighting passage, by index
    for seen in sorted(point.messages, key=lambda seen: seen.time):
        key = fingerprint(seen)
        index = waiting.pop(key, None)
        if index is not None and _other_leg(found[index], seen):
            found[index] = Passage(point.name, (*found[index].sightings, seen))
            continue
        waiting[key] = len(found)
        found.append(Passage(point.name, (seen,)))
    return found


def _other_leg(passage: Passage, seen: Seen) -> bool:
    first = passage.sightings[0]
    return first.relayed != seen.relayed and seen.time - first.time <= MATCH_WINDOW


def group(found: Iterable[Passage]) -> dict[Fingerprint, list[Passage]]:
    """Passages of every point, by fingerprint, in the order given."""
    groups: dict[Fingerprint, list[Passage]] = defaultdict(list)
    for passage in found:
        groups[fingerprint(passage.sightings[0])].append(passage)
    return dict(groups)


def clear_tracks(groups: dict[Fingerprint, list[Passage]]) -> list[Track]:
    """Messages seen at two points or more and at most once at each: those
    that pair without knowing the clocks."""
    return [
        _track(found)
        for found in groups.values()
        if len(found) > 1 and _once_each(found)
    ]


def tracks(groups: dict[Fingerprint, list[Passage]], clocks: Clocks) -> list[Track]:
    """Every message, its copies paired across points.

    A message seen at most once at each point is one track. Copies of one
    fingerprint (a message resent unchanged) pair by corrected time, first
    in, first out: each with the earliest track that lacks that point and
    saw the message less than `MATCH_WINDOW` before.
    """
    # TODO: identical copies sent less than MATCH_WINDOW apart pair in order,
    # so when one of them is lost the loss shows on the later copy; and where
    # a clock is unknown, copies pair by its raw times.
    found = []
    for passages in groups.values():
        if _once_each(passages):
            found.append(_track(passages))
        else:
            found.extend(_pair(passages, clocks))
    return found


def _once_each(found: Sequence[Passage]) -> bool:
    points = [passage.point for passage in found]
    return len(set(points)) == len(points)


def _pair(found: Sequence[Passage], clocks: Clocks) -> list[Track]:
    building: list[list[Passage]] = []
    for passage in sorted(found, key=lambda p: corrected(p.first, p.point, clocks)):
        home = next(
            (members for members in building if _joins(members, passage, clocks)),
            None,
        )
        if home is None:
            building.append([passage])
        else:
            home.append(passage)
    return [_track(members) for members in building]


def _joins(members: Sequence[Passage], passage: Passage, clocks: Clocks) -> bool:
    if any(member.point == passage.point for member in members):
        return False
    latest = members[-1]
    gap = corrected(passage.first, passage.point, clocks) - corrected(
        latest.last, latest.point, clocks
    )
    return gap <= MATCH_WINDOW


def _track(found: Iterable[Passage]) -> Track:
    return Track(tuple(sorted(found, key=lambda passage: passage.first)))
