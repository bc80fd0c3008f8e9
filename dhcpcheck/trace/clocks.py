"""How far apart the captures' clocks are, from messages seen at two points.

NTP's reasoning without NTP's packets: a client message leaves point A at t1
(A's clock) and reaches B at t2 (B's clock); a server message leaves B at t3
and reaches A at t4. If delays are alike both ways, B's clock is ahead of A's
by ((t2 - t1) + (t3 - t4)) / 2, give or take half the round trip. Since no
message arrives before it left, every pair of sightings bounds the offset;
the tightest bounds come from the quickest messages. Nothing here orders the
points beyond what a single pair of them says; that is `path`'s.
"""

import heapq
from collections.abc import Callable, Sequence
from itertools import combinations

from dhcpcheck.trace.model import Clock, Clocks, Interval, Link, Passage, Track

Nearer = Callable[[Link], bool | None]  # True: link.first is nearer the client


def links(tracks: Sequence[Track], names: Sequence[str]) -> list[Link]:
    """What the messages seen at both of each two points say; pairs that saw
    no message in common are left out."""
    found = []
    for first, second in combinations(names, 2):
        both = [
            (track.from_client, here, there)
            for track in tracks
            if (here := track.at(first)) is not None
            and (there := track.at(second)) is not None
        ]
        if both:
            found.append(_link(first, second, both))
    return found


def _link(first: str, second: str, both: list[tuple[bool, Passage, Passage]]) -> Link:
    """Bounds on (second's clock - first's) under each order of the two.

    A message that goes first -> second left first at `a.last` and reached
    second at `b.first`: the offset is at most `b.first - a.last`. One that
    goes second -> first left at `b.last` and came at `a.first`: the offset is
    at least `b.last - a.first`.
    """
    up = [(a, b) for from_client, a, b in both if from_client]
    down = [(a, b) for from_client, a, b in both if not from_client]
    return Link(
        first,
        second,
        to_server=len(up),
        to_client=len(down),
        forward=Interval(_at_least(down), _at_most(up)),
        backward=Interval(_at_least(up), _at_most(down)),
    )


def _at_most(pairs: list[tuple[Passage, Passage]]) -> float | None:
    return min((b.first - a.last for a, b in pairs), default=None)


def _at_least(pairs: list[tuple[Passage, Passage]]) -> float | None:
    return max((b.last - a.first for a, b in pairs), default=None)


def evidence(link: Link) -> bool | None:
    """Which of the two is nearer the client, when messages went both ways
    and only one order agrees with them all; None otherwise.

    This needs no clock: a round trip is positive whatever the offset.
    """
    if not (link.to_server and link.to_client):
        return None
    if link.forward.empty == link.backward.empty:
        return None  # both fit (no measurable delay) or neither (jitter)
    return not link.forward.empty


def offsets(link: Link, first_nearer: bool) -> Clock | None:
    """Second's clock minus first's under the given order, if bounded.

    Within the bounds, zero is preferred: captures taken on one machine share
    its clock. Otherwise the middle, as NTP takes it.
    """
    bounds = link.forward if first_nearer else link.backward
    if bounds.low is None or bounds.high is None or bounds.empty:
        return None
    low, high = bounds.low, bounds.high
    offset = 0.0 if low <= 0 <= high else (low + high) / 2
    return Clock(offset, max(offset - low, high - offset))


def estimate(names: Sequence[str], found: Sequence[Link], nearer: Nearer) -> Clocks:
    """Every point's clock against the first one's, along the links that
    bound it most tightly; None for points no bounded link reaches."""
    edges: dict[str, list[tuple[str, Clock]]] = {name: [] for name in names}
    for link in found:
        first_nearer = nearer(link)
        step = None if first_nearer is None else offsets(link, first_nearer)
        if step is not None:
            edges[link.first].append((link.second, step))
            edges[link.second].append((link.first, Clock(-step.offset, step.error)))
    return _spread(names, edges)


def _spread(names: Sequence[str], edges: dict[str, list[tuple[str, Clock]]]) -> Clocks:
    """Dijkstra from the first point, the errors adding up along the way."""
    clocks: dict[str, Clock | None] = dict.fromkeys(names)
    queue = [(0.0, 0.0, names[0])]
    while queue:
        error, offset, name = heapq.heappop(queue)
        if clocks[name] is not None:
            continue
        clocks[name] = Clock(offset, error)
        for neighbour, step in edges[name]:
            if clocks[neighbour] is None:
                reached = (error + step.error, offset + step.offset, neighbour)
                heapq.heappush(queue, reached)
    return clocks


def between(clocks: Clocks, first: str, second: str) -> Interval | None:
    """The offsets of second's clock from first's the estimates allow."""
    near, far = clocks.get(first), clocks.get(second)
    if near is None or far is None:
        return None
    offset, error = far.offset - near.offset, far.error + near.error
    return Interval(offset - error, offset + error)


def corrected(time: float, point: str, clocks: Clocks) -> float:
    """`time` as `point`'s capture stamped it, on the reference clock; as it
    is where that clock is not known."""
    clock = clocks.get(point)
    return time if clock is None else time - clock.offset
