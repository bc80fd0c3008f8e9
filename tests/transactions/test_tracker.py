"""Grouping into transactions: keys, kinds, outcomes, copies and timing."""

from collections.abc import Callable
from ipaddress import IPv4Address

import pytest

from dhcpcheck.transactions.model import Kind, Outcome, Seen, Transaction
from dhcpcheck.transactions.tracker import Tracker

MakeSeen = Callable[..., Seen]  # the `seen` fixture of conftest.py
SERVER = "1.1.1.2"

SERVER_ID = ((54, IPv4Address(SERVER).packed),)
WANTS_13 = ((50, IPv4Address("1.1.1.13").packed),)


def track(messages: list[Seen], idle: float = 65.0) -> list[Transaction]:
    tracker = Tracker(idle_timeout=idle)
    closed = [txn for seen in messages for txn in tracker.feed(seen)]
    return closed + tracker.finish()


def dora(seen: MakeSeen, start: float = 0.0, **fields: object) -> list[Seen]:
    return [
        seen(start, 1, options=WANTS_13, **fields),
        seen(start + 0.5, 2, options=SERVER_ID, yiaddr="1.1.1.13", **fields),
        seen(start + 0.6, 3, options=SERVER_ID + WANTS_13, **fields),
        seen(start + 0.8, 5, options=SERVER_ID, yiaddr="1.1.1.13", **fields),
    ]


def test_dora_is_one_bound_transaction_with_step_latencies(seen: MakeSeen) -> None:
    (txn,) = track(dora(seen))
    assert (txn.kind, txn.outcome) == (Kind.DORA, Outcome.BOUND)
    assert txn.client_mac == "fa:16:3e:d6:62:84"
    assert txn.latency.offer == pytest.approx(0.5)
    assert txn.latency.request == pytest.approx(0.1)
    assert txn.latency.ack == pytest.approx(0.2)
    assert txn.latency.total == pytest.approx(0.8)


def test_xid_collision_between_clients_splits(seen: MakeSeen) -> None:
    other = "02:00:00:00:00:01"
    messages = sorted(
        dora(seen) + dora(seen, start=0.1, chaddr=other), key=lambda s: s.time
    )
    txns = track(messages)
    assert sorted(t.client_mac for t in txns) == [other, "fa:16:3e:d6:62:84"]
    assert all(t.outcome is Outcome.BOUND for t in txns)


def test_retransmissions_join_and_are_marked(seen: MakeSeen) -> None:
    messages = [seen(0, 1), seen(4, 1, secs=4), seen(12, 1, secs=12)]
    messages += dora(seen, start=12.5)[1:]
    (txn,) = track(messages)
    assert [s.retransmission for s in txn.steps] == [False, True, True] + [False] * 3
    assert txn.latency.offer == pytest.approx(13.0)
    assert txn.outcome is Outcome.BOUND


def test_offers_from_two_servers_are_both_kept(seen: MakeSeen) -> None:
    other_id = ((54, IPv4Address("1.1.1.3").packed),)
    messages = dora(seen)
    messages.insert(1, seen(0.2, 2, options=other_id, yiaddr="1.1.1.50"))
    (txn,) = track(messages)
    assert len(txn.of_type(2)) == 2
    # The REQUEST names 1.1.1.2, so the chosen offer is the later one.
    assert txn.latency.request == pytest.approx(0.1)


def test_relay_copies_are_recognised_not_counted_twice(seen: MakeSeen) -> None:
    client_leg = seen(0.0, 1)
    server_leg = seen(0.01, 1, relayed=True, giaddr="10.0.0.1", hops=1)
    (txn,) = track([client_leg, server_leg])
    assert txn.steps[1].copy_of == 0
    assert not txn.steps[1].retransmission
    assert len(txn.of_type(1)) == 1


def test_capture_starting_mid_exchange(seen: MakeSeen) -> None:
    (txn,) = track(dora(seen)[2:])
    assert (txn.kind, txn.outcome) == (Kind.DORA, Outcome.BOUND)
    (only_reply,) = track(dora(seen)[3:])
    assert only_reply.outcome is Outcome.REPLY_ONLY


def test_idle_timeout_closes_and_reused_xid_is_new(seen: MakeSeen) -> None:
    messages = dora(seen) + dora(seen, start=200.0)
    tracker = Tracker()
    closed = [txn for s in messages for txn in tracker.feed(s)]
    assert len(closed) == 1  # the first closed when the second began
    assert tracker.open_count == 1
    assert len(closed + tracker.finish()) == 2


@pytest.mark.parametrize(
    ("messages", "kind", "outcome"),
    [
        ([(0, 1, {}), (10, 1, {"secs": 10})], Kind.DORA, Outcome.NO_OFFER),
        ([(0, 1, {}), (0.1, 2, {})], Kind.DORA, Outcome.OFFER_NOT_TAKEN),
        ([(0, 3, {"options": WANTS_13})], Kind.INIT_REBOOT, Outcome.NO_ACK),
        ([(0, 3, {"options": WANTS_13}), (0.1, 6, {})], Kind.INIT_REBOOT, Outcome.NAK),
        ([(0, 7, {"ciaddr": "1.1.1.13"})], Kind.RELEASE, Outcome.RELEASED),
        ([(0, 4, {"options": WANTS_13})], Kind.DECLINE, Outcome.DECLINED),
        ([(0, 8, {"ciaddr": "1.1.1.13"}), (0.1, 5, {})], Kind.INFORM, Outcome.INFORMED),
        ([(0, 8, {"ciaddr": "1.1.1.13"})], Kind.INFORM, Outcome.NO_ANSWER),
        ([(0, 10, {}), (0.1, 13, {})], Kind.LEASEQUERY, Outcome.ANSWERED),
        ([(0, None, {}), (0.1, None, {"op": 2})], Kind.BOOTP, Outcome.ANSWERED),
    ],
)
def test_kinds_and_outcomes(
    seen: MakeSeen,
    messages: list[tuple[float, int | None, dict[str, object]]],
    kind: Kind,
    outcome: Outcome,
) -> None:
    built = [seen(time, type_, **fields) for time, type_, fields in messages]
    (txn,) = track([*built, seen(100, 1, xid=1)])[:1]
    assert (txn.kind, txn.outcome) == (kind, outcome)


def test_renew_and_rebind_told_apart_by_destination(seen: MakeSeen) -> None:
    renew = seen(0, 3, ciaddr="1.1.1.13", src="1.1.1.13", dst=SERVER)
    rebind = seen(0, 3, ciaddr="1.1.1.13", src="1.1.1.13", xid=7)
    kinds = {t.xid: t.kind for t in track([renew, rebind])}
    assert kinds == {0x6265AB6D: Kind.RENEW, 7: Kind.REBIND}


def test_rapid_commit(seen: MakeSeen) -> None:
    rapid = ((80, b""),)
    (txn,) = track([seen(0, 1, options=rapid), seen(0.1, 5, options=rapid)])
    assert (txn.kind, txn.outcome) == (Kind.RAPID_COMMIT, Outcome.BOUND)


def test_unanswered_at_capture_end_is_cut_off(seen: MakeSeen) -> None:
    (txn,) = track([seen(0, 1)])
    assert txn.outcome is Outcome.CUT_OFF


def test_renewal_reusing_the_xid_is_a_new_transaction(seen: MakeSeen) -> None:
    renew = {"ciaddr": "1.1.1.13", "src": "1.1.1.13", "dst": SERVER}
    messages = [*dora(seen), seen(30.0, 3, **renew), seen(30.1, 5, **renew)]
    first, second = track(messages)
    assert (first.kind, second.kind) == (Kind.DORA, Kind.RENEW)
    assert second.outcome is Outcome.BOUND


def test_request_resent_soon_after_the_ack_stays(seen: MakeSeen) -> None:
    messages = [*dora(seen), seen(4.0, 3, options=SERVER_ID + WANTS_13)]
    (txn,) = track(messages)
    assert txn.steps[-1].retransmission


def test_renewing_then_rebinding_with_one_xid_is_two_exchanges(seen: MakeSeen) -> None:
    renew = {"ciaddr": "1.1.1.13", "src": "1.1.1.13", "dst": SERVER}
    rebind = {"ciaddr": "1.1.1.13", "src": "1.1.1.13"}
    messages = [seen(10.0, 3, **renew), seen(12.0, 3, **renew)]
    messages += [seen(18.0, 3, **rebind), seen(18.01, 5, **rebind)]
    renewing, rebinding = track(messages)
    assert (renewing.kind, renewing.outcome) == (Kind.RENEW, Outcome.NO_ACK)
    assert (rebinding.kind, rebinding.outcome) == (Kind.REBIND, Outcome.BOUND)


def test_the_selected_servers_ack_settles_despite_a_later_nak(seen: MakeSeen) -> None:
    other = ((54, IPv4Address("1.1.1.3").packed),)
    messages = [*dora(seen), seen(3.0, 6, options=other)]
    (txn,) = track(messages)
    assert txn.outcome is Outcome.BOUND
    assert txn.latency.ack == pytest.approx(0.2)


def test_retransmitted_discover_left_unanswered_is_no_offer(seen: MakeSeen) -> None:
    (txn,) = track([seen(0, 1), seen(7, 1, secs=7), seen(16, 1, secs=16)])
    assert txn.outcome is Outcome.NO_OFFER


def test_last_is_the_message_fed_last(seen: MakeSeen) -> None:
    tracker = Tracker()
    assert tracker.last is None
    messages = dora(seen)
    for message in messages:
        tracker.feed(message)
    assert tracker.last is messages[-1]


def test_in_flight_is_least_recently_active_first(seen: MakeSeen) -> None:
    tracker = Tracker()
    for message in (seen(0, 1, xid=1), seen(1, 1, xid=2), seen(2, 1, xid=1, secs=2)):
        tracker.feed(message)
    assert [txn.xid for txn in tracker.in_flight()] == [2, 1]
    assert [len(txn.steps) for txn in tracker.in_flight()] == [1, 2]
    tracker.finish()
    assert tracker.in_flight() == []


def test_expire_closes_what_is_idle_on_the_clock(seen: MakeSeen) -> None:
    tracker = Tracker(idle_timeout=65.0)
    tracker.feed(seen(0, 1, xid=1))
    tracker.feed(seen(10, 1, xid=2))
    assert tracker.expire(65.0) == []  # idle exactly the timeout: still open
    (first,) = tracker.expire(70.0)
    assert (first.xid, first.outcome) == (1, Outcome.NO_OFFER)
    assert [txn.xid for txn in tracker.in_flight()] == [2]
    (second,) = tracker.expire(1000.0)
    assert second.xid == 2
    assert tracker.open_count == 0


def test_an_earlier_time_does_not_turn_the_clock_back(seen: MakeSeen) -> None:
    tracker = Tracker()
    tracker.feed(seen(0, 1))
    tracker.expire(6.0)
    tracker.expire(2.0)
    (txn,) = tracker.finish()
    assert txn.outcome is Outcome.NO_OFFER  # unanswered for 6 s, not 2


@pytest.mark.parametrize(
    ("quiet", "outcome"), [(2, Outcome.CUT_OFF), (6, Outcome.NO_OFFER)]
)
def test_the_time_expire_was_told_ends_the_capture(
    seen: MakeSeen, quiet: float, outcome: Outcome
) -> None:
    # A DISCOVER unanswered for less than 4 s when the capture ends is cut off.
    tracker = Tracker()
    tracker.feed(seen(0, 1))
    assert tracker.expire(quiet) == []
    (txn,) = tracker.finish()
    assert txn.outcome is outcome
