"""The order of the points from client to server, and each message's way
through them.

Client messages travel from the first point to the last, server messages
back. Two points are ordered by messages that went both ways between them;
failing that, by the clock estimates; failing those, by taking their clocks
to agree, which the order then says. Loss is judged against that order.
"""

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise

from dhcpcheck.trace.clocks import between, corrected, evidence
from dhcpcheck.trace.model import (
    Basis,
    Clocks,
    Direction,
    Hop,
    Interval,
    Link,
    MessagePath,
    Order,
    OrderChoice,
    Passage,
    TracedTransaction,
    Track,
    Visit,
)
from dhcpcheck.transactions.model import Seen
from dhcpcheck.transactions.tracker import DEFAULT_IDLE_TIMEOUT

Verdict = tuple[str, str, Basis]  # the point nearer the client, the other, why
_RANK = {Basis.EVIDENCE: 0, Basis.CLOCKS: 1, Basis.ASSUMED: 2}
_AGREE = Interval(0.0, 0.0)


def order(
    names: Sequence[str], found: Sequence[Link], clocks: Clocks, choice: OrderChoice
) -> Order:
    """The points from the client's side, and what is doubtful about that."""
    unknown = [f"clock of {name} unknown" for name in names if clocks[name] is None]
    if choice is OrderChoice.GIVEN:
        return _given(names, found, unknown)
    verdicts: list[Verdict] = []
    doubts: list[str] = []
    for link in found:
        verdict = _verdict(link, clocks)
        if verdict is None:
            doubts.append(_undecided(link, clocks))
        else:
            verdicts.append(verdict)
    points, kept, dropped = _sorted(names, verdicts)
    hops = tuple(
        Hop(near, far, kept.get((near, far), Basis.UNKNOWN))
        for near, far in pairwise(points)
    )
    doubts += [
        f"{near} before {far} ({basis}) contradicts the rest: left out"
        for near, far, basis in dropped
    ]
    doubts += [_hop_doubt(hop) for hop in hops if hop.basis in _HOP_DOUBTS]
    return Order(tuple(points), hops, tuple(unknown + doubts))


def _given(names: Sequence[str], found: Sequence[Link], unknown: list[str]) -> Order:
    hops = tuple(Hop(near, far, Basis.GIVEN) for near, far in pairwise(names))
    against = [
        f"the evidence puts {link.second} nearer the client than {link.first}"
        for link in found
        if evidence(link) is False
    ]
    return Order(tuple(names), hops, tuple(unknown + against))


def _verdict(link: Link, clocks: Clocks) -> Verdict | None:
    """Which of two points is nearer the client, and on what grounds."""
    settled = evidence(link)
    if settled is not None:
        return _oriented(link, settled, Basis.EVIDENCE)
    relative = between(clocks, link.first, link.second)
    basis = Basis.ASSUMED if relative is None else Basis.CLOCKS
    window = relative or _AGREE
    forward = not link.forward.meet(window).empty
    backward = not link.backward.meet(window).empty
    if forward == backward:
        return None
    return _oriented(link, forward, basis)


def _oriented(link: Link, first_nearer: bool, basis: Basis) -> Verdict:
    if first_nearer:
        return (link.first, link.second, basis)
    return (link.second, link.first, basis)


def _undecided(link: Link, clocks: Clocks) -> str:
    pair = f"{link.first} and {link.second}"
    if link.to_server and link.to_client:
        if link.forward.empty:
            return f"messages between {pair} fit neither order"
        return f"messages between {pair} show no delay to order them by"
    relative = between(clocks, link.first, link.second)
    if relative is None:
        return f"the times of messages between {pair} do not order them"
    assert relative.low is not None and relative.high is not None
    error = (relative.high - relative.low) / 2
    return f"clock offsets too uncertain to order {pair} (error {error:.6f} s)"


_HOP_DOUBTS = {
    Basis.ASSUMED: "{near} before {far} assumes their clocks agree",
    Basis.UNKNOWN: "nothing seen at both {near} and {far} orders them",
}


def _hop_doubt(hop: Hop) -> str:
    return _HOP_DOUBTS[hop.basis].format(near=hop.near, far=hop.far)


def _sorted(
    names: Sequence[str], verdicts: Iterable[Verdict]
) -> tuple[list[str], dict[tuple[str, str], Basis], list[Verdict]]:
    """The points in an order every kept verdict agrees with, the given
    order where none decides; the surest verdicts are kept first and one
    that would close a loop is dropped."""
    after: dict[str, set[str]] = {name: set() for name in names}
    kept: dict[tuple[str, str], Basis] = {}
    dropped: list[Verdict] = []
    for near, far, basis in sorted(verdicts, key=lambda verdict: _RANK[verdict[2]]):
        if _reaches(after, far, near):
            dropped.append((near, far, basis))
            continue
        after[near].add(far)
        kept[(near, far)] = basis
    return _topological(names, after), kept, dropped


def _reaches(after: dict[str, set[str]], start: str, goal: str) -> bool:
    stack, visited = [start], set()
    while stack:
        name = stack.pop()
        if name == goal:
            return True
        if name not in visited:
            visited.add(name)
            stack.extend(after[name])
    return False


def _topological(names: Sequence[str], after: dict[str, set[str]]) -> list[str]:
    """Kahn's algorithm, taking the earliest given of the points it may."""
    rank = {name: index for index, name in enumerate(names)}
    waiting = {name: 0 for name in names}
    for successors in after.values():
        for name in successors:
            waiting[name] += 1
    ready = [(rank[name], name) for name in names if not waiting[name]]
    heapq.heapify(ready)
    points = []
    while ready:
        _, name = heapq.heappop(ready)
        points.append(name)
        for successor in after[name]:
            waiting[successor] -= 1
            if not waiting[successor]:
                heapq.heappush(ready, (rank[successor], successor))
    return points


def paths(tracks: Iterable[Track], order: Order, clocks: Clocks) -> list[MessagePath]:
    """Each message's way through the points of `order`, client side first."""
    listed = list(tracks)
    ends = _client_ends(listed, order.points)
    unrelated = {
        frozenset((hop.near, hop.far))
        for hop in order.hops
        if hop.basis is Basis.UNKNOWN
    }
    found = []
    for track in listed:
        path = _path(track, order.points, clocks, ends.get(client_key(track.seen)))
        if _across(path, unrelated):
            path = replace(path, lost_after=None)
        found.append(path)
    return found


def _across(path: MessagePath, unrelated: set[frozenset[str]]) -> bool:
    """Whether `path` stops at a hop between points that share no message:
    those may not be on one path at all, so nothing is lost between them."""
    return frozenset((path.lost_after or "", path.never_on or "")) in unrelated


def client_key(seen: Seen) -> bytes:
    """The client as the tracker keys it: htype, then chaddr cut to hlen."""
    return bytes([seen.message.htype]) + seen.message.client_hardware


def _client_ends(tracks: Iterable[Track], points: Sequence[str]) -> dict[bytes, int]:
    """For each client, the index of the point nearest it that saw it speak:
    its replies are expected as far as that and no farther."""
    ends: dict[bytes, int] = {}
    for track in tracks:
        if track.from_client:
            key = client_key(track.seen)
            nearest = min(points.index(passage.point) for passage in track.passages)
            ends[key] = min(nearest, ends.get(key, nearest))
    return ends


def _path(
    track: Track, points: Sequence[str], clocks: Clocks, client_end: int | None
) -> MessagePath:
    """Where the message went, and where it should have gone next.

    A client message is expected to reach the last point, towards the
    server; a server message the point nearest its client that heard from
    the client, and only as far as it went when none did.
    """
    upward = track.from_client
    way = list(points) if upward else list(reversed(points))
    found = [track.at(name) for name in way]
    last = max(index for index, passage in enumerate(found) if passage is not None)
    goal = len(way) - 1
    if not upward:
        goal = last if client_end is None else len(way) - 1 - client_end
    direction = Direction.TO_SERVER if upward else Direction.TO_CLIENT
    visits = _visits(way, found, clocks)
    return MessagePath(track, direction, visits, way[last] if last < goal else None)


def _visits(
    way: Sequence[str], found: Sequence[Passage | None], clocks: Clocks
) -> tuple[Visit, ...]:
    visits = []
    previous: Passage | None = None
    for name, passage in zip(way, found, strict=True):
        delay = None
        if passage is not None and previous is not None:
            delay = _delay(previous, passage, clocks)
        visits.append(Visit(name, passage, delay))
        previous = passage or previous
    return tuple(visits)


def _delay(before: Passage, after: Passage, clocks: Clocks) -> float | None:
    """From leaving `before` to reaching `after`, on the reference clock."""
    if clocks.get(before.point) is None or clocks.get(after.point) is None:
        return None
    left = corrected(before.last, before.point, clocks)
    return corrected(after.first, after.point, clocks) - left


def sent(path: MessagePath, clocks: Clocks) -> float:
    """When the message was first seen on its way, on the reference clock."""
    passage = path.seen[0].passage
    assert passage is not None
    return corrected(passage.first, passage.point, clocks)


def transactions(
    found: Iterable[MessagePath],
    clocks: Clocks,
    idle: float = DEFAULT_IDLE_TIMEOUT,
) -> list[TracedTransaction]:
    """Messages grouped by xid and client; `idle` seconds of silence part two
    exchanges that reuse an xid. In order of their first message."""
    groups: list[list[MessagePath]] = []
    latest: dict[tuple[int, bytes], list[MessagePath]] = {}
    for path in sorted(found, key=lambda path: sent(path, clocks)):
        key = (path.track.seen.message.xid, client_key(path.track.seen))
        group = latest.get(key)
        if group is None or sent(path, clocks) - sent(group[-1], clocks) > idle:
            group = latest[key] = []
            groups.append(group)
        group.append(path)
    return [
        TracedTransaction(
            group[0].track.seen.message.xid,
            client_key(group[0].track.seen),
            tuple(group),
        )
        for group in groups
    ]
