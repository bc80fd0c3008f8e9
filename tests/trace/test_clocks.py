"""Clock offsets from messages seen at two points, NTP's way, and spread
from one point to the rest along the tightest links."""

from collections.abc import Callable

import pytest

from dhcpcheck.decode.options import MessageType
from dhcpcheck.trace.clocks import (
    between,
    corrected,
    estimate,
    evidence,
    links,
    offsets,
)
from dhcpcheck.trace.model import Clock, Interval, Link, Passage, Track
from dhcpcheck.transactions.model import Seen

Make = Callable[..., Seen]


def crossing(
    seen: Make, kind: MessageType, times: dict[str, tuple[float, ...]]
) -> Track:
    """One message seen at each point at the times given (two for a relay)."""
    return Track(
        tuple(
            Passage(name, tuple(seen(time, kind) for time in stamps))
            for name, stamps in times.items()
        )
    )


def ends(value: Interval | Clock | None) -> tuple[float | None, ...]:
    """The numbers of an interval or a clock, to compare with pytest.approx."""
    if isinstance(value, Interval):
        return (value.low, value.high)
    return () if value is None else (value.offset, value.error)


def test_a_round_trip_gives_the_ntp_offset(seen: Make) -> None:
    # b's clock is 0.2 s ahead; 0.1 s each way. t1..t4 as NTP names them.
    t1, t2, t3, t4 = 10.0, 10.3, 11.3, 11.2
    up = crossing(seen, MessageType.DISCOVER, {"a": (t1,), "b": (t2,)})
    down = crossing(seen, MessageType.OFFER, {"a": (t4,), "b": (t3,)})
    (link,) = links([up, down], ["a", "b"])
    assert (link.to_server, link.to_client) == (1, 1)
    assert ends(link.forward) == pytest.approx((0.1, 0.3))
    assert link.backward.empty
    assert evidence(link) is True
    clock = offsets(link, first_nearer=True)
    assert clock is not None
    assert clock.offset == pytest.approx(((t2 - t1) + (t3 - t4)) / 2)
    assert clock.error == pytest.approx(0.1)


def test_the_far_point_first_flips_the_evidence(seen: Make) -> None:
    up = crossing(seen, MessageType.REQUEST, {"a": (5.002,), "b": (5.001,)})
    down = crossing(seen, MessageType.ACK, {"a": (5.010,), "b": (5.011,)})
    (link,) = links([up, down], ["a", "b"])
    assert evidence(link) is False
    assert ends(offsets(link, first_nearer=False)) == pytest.approx((0.0, 0.001))
    assert offsets(link, first_nearer=True) is None


def test_a_relay_dwell_bounds_by_arrival_and_departure(seen: Make) -> None:
    up = crossing(seen, MessageType.DISCOVER, {"lan": (1.0,), "relay": (1.1, 1.4)})
    down = crossing(seen, MessageType.OFFER, {"lan": (2.5,), "relay": (2.1, 2.4)})
    (link,) = links([up, down], ["lan", "relay"])
    # Up: arrived at 1.1 after leaving at 1.0; down: left at 2.4, came 2.5.
    assert ends(link.forward) == pytest.approx((-0.1, 0.1))


def test_one_way_messages_order_nothing_and_bound_one_side(seen: Make) -> None:
    up = crossing(seen, MessageType.DISCOVER, {"a": (1.0,), "b": (1.5,)})
    (link,) = links([up], ["a", "b"])
    assert link.forward == Interval(None, 0.5)
    assert link.backward == Interval(0.5, None)
    assert evidence(link) is None
    assert offsets(link, first_nearer=True) is None


def test_no_delay_either_way_orders_nothing(seen: Make) -> None:
    up = crossing(seen, MessageType.DISCOVER, {"a": (1.0,), "b": (1.0,)})
    down = crossing(seen, MessageType.OFFER, {"a": (2.0,), "b": (2.0,)})
    (link,) = links([up, down], ["a", "b"])
    assert not link.forward.empty and not link.backward.empty
    assert evidence(link) is None


def test_points_with_nothing_in_common_have_no_link(seen: Make) -> None:
    here = crossing(seen, MessageType.DISCOVER, {"a": (1.0,)})
    assert links([here], ["a", "b"]) == []


@pytest.mark.parametrize(
    ("bounds", "clock"),
    [
        (Interval(-0.00001, 0.00002), (0.0, 0.00002)),  # one machine's clock
        (Interval(2.9, 3.1), (3.0, 0.1)),
        (Interval(-3.1, -2.9), (-3.0, 0.1)),
    ],
)
def test_zero_is_preferred_when_it_fits(
    bounds: Interval, clock: tuple[float, float]
) -> None:
    link = Link("a", "b", 1, 1, bounds, Interval(1.0, 0.0))
    assert ends(offsets(link, first_nearer=True)) == pytest.approx(clock)


def link(first: str, second: str, low: float, high: float) -> Link:
    return Link(first, second, 1, 1, Interval(low, high), Interval(high, low))


def test_estimates_spread_from_the_first_point_along_the_tightest_links() -> None:
    found = [
        link("a", "b", 0.9, 1.1),  # b is 1 s ahead of a, give or take 0.1
        link("b", "c", -2.01, -1.99),  # c is 2 s behind b
        link("a", "c", -1.5, 0.5),  # direct, but loose
    ]
    clocks = estimate(["a", "b", "c", "d"], found, evidence)
    assert clocks["a"] == Clock(0.0, 0.0)
    assert ends(clocks["b"]) == pytest.approx((1.0, 0.1))
    assert ends(clocks["c"]) == pytest.approx((-1.0, 0.11))
    assert clocks["d"] is None


def test_between_and_corrected_read_the_estimates() -> None:
    clocks = {"a": Clock(0.0, 0.0), "b": Clock(1.0, 0.1), "c": None}
    assert ends(between(clocks, "a", "b")) == pytest.approx((0.9, 1.1))
    assert between(clocks, "a", "c") is None
    assert corrected(11.0, "b", clocks) == 10.0
    assert corrected(11.0, "c", clocks) == 11.0
