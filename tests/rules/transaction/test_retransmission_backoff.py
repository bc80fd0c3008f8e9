"""retransmission-backoff: RFC 2131 4.1 resend timing and `secs`."""

import pytest
from rules.transaction.build import (
    ADDRESS,
    MT,
    SERVER,
    Messages,
    found,
    requested,
    run,
    server_id,
    track,
)

from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.transaction.retransmission_backoff import RULE
from dhcpcheck.transactions.model import Seen, Transaction


def sends(
    seen: Messages, kind: MT, times: list[float], **fields: object
) -> Transaction:
    """One transaction of `kind` sent at `times`, secs counting up with them."""
    messages: list[Seen] = [
        seen(time, kind, secs=int(time), **fields) for time in times
    ]
    return track([*messages, seen(times[-1] + 200, MT.DISCOVER, xid=1)])[0]


def test_rfc_schedule_within_tolerance_is_silent(seen: Messages) -> None:
    txn = sends(seen, MT.DISCOVER, [0, 3.2, 11.9, 27.5, 60, 124.5, 188])
    assert run(RULE, txn) == []


def test_early_resends_are_one_hit_with_a_count(seen: Messages) -> None:
    txn = sends(seen, MT.DISCOVER, [0, 1, 2, 3])
    (hit,) = run(RULE, txn)
    assert hit.message == (
        "discover resent 3 times too early, first after 1.0 s (expected at least 3.0 s)"
    )
    assert hit.frames == (2, 1, 3, 4)
    assert (hit.field, hit.severity) == (None, None)


def test_tolerance_setting(seen: Messages) -> None:
    txn = sends(seen, MT.DISCOVER, [0, 2.7])
    (hit,) = run(RULE, txn)
    assert hit.message == "discover resent after 2.7 s (expected at least 3.0 s)"
    assert run(RULE, txn, {"tolerance": 1.5}) == []
    close = run(RULE, sends(seen, MT.DISCOVER, [10, 12.96]))
    assert [hit.message for hit in close] == [
        "discover resent after 2.960 s (expected at least 3.0 s)"
    ]


def test_a_gap_past_64_s_starts_a_new_count(seen: Messages) -> None:
    txn = sends(seen, MT.DISCOVER, [0, 4, 12, 28, 60, 124, 189.1, 193.1])
    assert run(RULE, txn) == []


@pytest.mark.parametrize(
    ("kind", "fields", "label"),
    [
        (MT.REQUEST, {"options": [server_id(), requested()]}, "selecting request"),
        (MT.REQUEST, {"options": [requested()]}, "init-reboot request"),
        (MT.INFORM, {"ciaddr": ADDRESS}, "inform"),
    ],
)
def test_requests_and_informs_are_timed(
    seen: Messages, kind: MT, fields: dict[str, object], label: str
) -> None:
    (hit,) = run(RULE, sends(seen, kind, [0, 2], **fields))
    assert hit.message == f"{label} resent after 2.0 s (expected at least 3.0 s)"


def test_renewing_requests_are_not_timed_here(seen: Messages) -> None:
    renew = {"ciaddr": ADDRESS, "src": ADDRESS, "dst": SERVER}
    assert run(RULE, sends(seen, MT.REQUEST, [0, 1, 2], **renew)) == []


def test_secs_falling_is_a_warning(seen: Messages) -> None:
    messages = [seen(0, MT.DISCOVER, secs=0), seen(4, MT.DISCOVER, secs=4)]
    messages.append(seen(12, MT.DISCOVER, secs=1))
    (hit,) = run(RULE, track(messages)[0])
    assert hit.message == "secs of resent discover fell to 1 (was 4)"
    assert (hit.frames, hit.field, hit.severity) == ((3, 2), "secs", None)


def test_secs_stuck_at_zero_is_info_but_not_for_selecting(seen: Messages) -> None:
    messages = [seen(time, MT.DISCOVER) for time in (0, 4, 12)]
    (hit,) = run(RULE, track(messages)[0])
    assert hit.message == (
        "secs 0 in all 3 discovers over 12.0 s (expected seconds since the start)"
    )
    assert (hit.frames, hit.severity) == ((1, 2, 3), Severity.INFO)
    selecting = {"options": [server_id(), requested()]}
    same = [seen(time, MT.REQUEST, **selecting) for time in (20, 24)]
    assert run(RULE, track(same)[0]) == []


def test_samples() -> None:
    for sample in ("openstack-dora.pcap", "lab/no-server.pcap", "lab/rebind.pcap"):
        assert found(sample, RULE.code) == []
    # udhcpc resends its DISCOVER before the RFC's 4 +- 1 s
    (udhcpc,) = found("lab/dora-dnsmasq-udhcpc.pcap", RULE.code)
    assert udhcpc.startswith("discover resent after ")
