"""Follow every DHCP message through several capture points: the whole of
`trace`, sans-I/O, from points already read to the `Trace` a report shows.

Steps: passages at each point; messages that pair without clocks; what each
two points say about their clocks; the clocks; the order; then every
message paired and followed, and grouped into transactions.
"""

from collections.abc import Sequence

from dhcpcheck.trace import clocks, match, path
from dhcpcheck.trace.model import Link, OrderChoice, Point, Trace


def follow(points: Sequence[Point], choice: OrderChoice = OrderChoice.AUTO) -> Trace:
    """Trace the messages of `points`; the first point's clock is the reference."""
    names = [point.name for point in points]
    groups = match.group(
        passage for point in points for passage in match.passages(point)
    )
    links = clocks.links(match.clear_tracks(groups), names)
    nearer = clocks.evidence if choice is OrderChoice.AUTO else _as_given
    estimated = clocks.estimate(names, links, nearer)
    order = path.order(names, links, estimated, choice)
    followed = path.paths(match.tracks(groups, estimated), order, estimated)
    transactions = path.transactions(followed, estimated)
    return Trace(tuple(points), order, estimated, tuple(links), tuple(transactions))


def _as_given(link: Link) -> bool:
    """The user's order: a link's first point was given first."""
    return True
