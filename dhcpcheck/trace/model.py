"""What `trace` works on and what it finds: capture points, one message passing
each of them, what the clocks and the order of the points are, and each
message's way through them.

Plain values only: matching is `match`'s, clocks `clocks`', the order and the
paths `path`'s. Times are each capture's own; `Clock` says how to compare them.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from dhcpcheck.transactions.model import Seen


@dataclass(frozen=True, slots=True)
class Point:
    """One capture, taken as one observation point on the messages' way."""

    name: str
    file: str
    messages: tuple[Seen, ...]  # in the order the capture holds them
    linktypes: tuple[int, ...] = ()  # of its frames, in first-seen order


@dataclass(frozen=True, slots=True)
class Passage:
    """One message going past one point: seen there once, or twice when the
    point is a relay that took it in on one leg and sent it on the other."""

    point: str
    sightings: tuple[Seen, ...]

    @property
    def first(self) -> float:
        """When the point first saw it, by the point's clock."""
        return self.sightings[0].time

    @property
    def last(self) -> float:
        """When the point last saw it: when it left, on a relay."""
        return self.sightings[-1].time

    @property
    def held(self) -> float:
        """Seconds between the first and the last sighting."""
        return self.last - self.first

    @property
    def frames(self) -> tuple[int, ...]:
        """The frame numbers it was seen in, within the point's capture."""
        return tuple(seen.frame for seen in self.sightings)


@dataclass(frozen=True, slots=True)
class Track:
    """One message followed across the points: at most one passage at each."""

    passages: tuple[Passage, ...]

    @property
    def seen(self) -> Seen:
        """The message as first seen; its sightings agree on all `match` compares."""
        return self.passages[0].sightings[0]

    @property
    def from_client(self) -> bool:
        """Travelling from the client towards the server."""
        return self.seen.from_client

    def at(self, point: str) -> Passage | None:
        """Its passage at `point`, or None if it was not seen there."""
        return next((p for p in self.passages if p.point == point), None)


@dataclass(frozen=True, slots=True)
class Interval:
    """Values from `low` to `high`, in seconds; None leaves that side open."""

    low: float | None = None
    high: float | None = None

    @property
    def empty(self) -> bool:
        """No value fits: the bounds cross."""
        return self.low is not None and self.high is not None and self.low > self.high

    def meet(self, other: "Interval") -> "Interval":
        """The values in both intervals."""
        lows = [value for value in (self.low, other.low) if value is not None]
        highs = [value for value in (self.high, other.high) if value is not None]
        return Interval(max(lows, default=None), min(highs, default=None))


@dataclass(frozen=True, slots=True)
class Link:
    """What the messages seen at both `first` and `second` say about the two.

    `forward` holds the offsets of second's clock from first's that agree
    with every such message if `first` is nearer the client; `backward`
    those that agree if `second` is. A message cannot arrive before it left.
    """

    first: str
    second: str
    to_server: int  # client messages seen at both
    to_client: int  # server messages seen at both
    forward: Interval
    backward: Interval


@dataclass(frozen=True, slots=True)
class Clock:
    """A point's clock minus the reference point's, in seconds: the true
    offset lies within `offset` plus or minus `error`."""

    offset: float
    error: float


Clocks = Mapping[str, Clock | None]  # by point; None: not known


class OrderChoice(StrEnum):
    """The --order option: from the evidence, or as the captures were given."""

    AUTO = "auto"
    GIVEN = "given"


class Basis(StrEnum):
    """What put two neighbouring points in their order."""

    GIVEN = "given"  # the user's order
    EVIDENCE = "evidence"  # messages went both ways between the two
    CLOCKS = "clocks"  # one way only; the estimated clock offsets settle it
    ASSUMED = "assumed"  # one way only, an offset unknown: the clocks taken to agree
    UNKNOWN = "unknown"  # nothing seen at both settles it


SETTLED = frozenset({Basis.GIVEN, Basis.EVIDENCE, Basis.CLOCKS})


@dataclass(frozen=True, slots=True)
class Hop:
    """Two neighbouring points on the way, `near` on the client's side."""

    near: str
    far: str
    basis: Basis


@dataclass(frozen=True, slots=True)
class Order:
    """The points from the client's side to the server's, and how sure that is."""

    points: tuple[str, ...]
    hops: tuple[Hop, ...]
    doubts: tuple[str, ...] = ()  # what is uncertain about the order or clocks

    @property
    def certain(self) -> bool:
        """Every hop settled by the user or by the evidence."""
        return all(hop.basis in SETTLED for hop in self.hops)


class Direction(StrEnum):
    """Which way a message travels along the points."""

    TO_SERVER = "to-server"
    TO_CLIENT = "to-client"


@dataclass(frozen=True, slots=True)
class Visit:
    """A message at one point of its way: seen there or not, and how long
    after leaving the previous point that saw it (None at the first, or where
    a clock is not known)."""

    point: str
    passage: Passage | None
    delay: float | None = None


@dataclass(frozen=True, slots=True)
class MessagePath:
    """One message's way through every point, in the order it travels."""

    track: Track
    direction: Direction
    visits: tuple[Visit, ...]
    lost_after: str | None = None  # the last point that saw it, if it stopped short

    @property
    def seen(self) -> tuple[Visit, ...]:
        """The visits where it was seen."""
        return tuple(visit for visit in self.visits if visit.passage is not None)

    @property
    def never_on(self) -> str | None:
        """The point after `lost_after`, where it should have come next."""
        names = [visit.point for visit in self.visits]
        if self.lost_after is None:
            return None
        return names[names.index(self.lost_after) + 1]

    @property
    def missed(self) -> tuple[str, ...]:
        """Points it passed without being captured: seen before and after."""
        seen = [i for i, visit in enumerate(self.visits) if visit.passage is not None]
        between = self.visits[seen[0] : seen[-1]]
        return tuple(visit.point for visit in between if visit.passage is None)


@dataclass(frozen=True, slots=True)
class TracedTransaction:
    """The messages of one xid for one client, in the order they were sent."""

    xid: int
    client: bytes  # htype byte + chaddr[:hlen], as the tracker keys clients
    paths: tuple[MessagePath, ...]

    @property
    def client_mac(self) -> str:
        """The client's hardware address as text."""
        return self.client[1:].hex(":")


@dataclass(frozen=True, slots=True)
class Trace:
    """Everything `trace` found: the points as given, their order and clocks
    (against the first point given), the links between them, and the
    transactions whose messages it followed."""

    points: tuple[Point, ...]
    order: Order
    clocks: Clocks
    links: tuple[Link, ...]
    transactions: tuple[TracedTransaction, ...]

    @property
    def reference(self) -> str:
        """The point whose clock the others are measured against."""
        return self.points[0].name

    @property
    def lost(self) -> tuple[MessagePath, ...]:
        """Every message that stopped short of where it was going."""
        return tuple(
            path
            for txn in self.transactions
            for path in txn.paths
            if path.lost_after is not None
        )
