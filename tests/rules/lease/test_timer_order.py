"""lease-timer-order: T1 < T2 < lease time, with the RFC defaults filled in."""

from ipaddress import IPv4Address

import pytest
from rules.lease.exchanges import (
    CLIENT,
    SERVER,
    Exchanges,
    client_hits,
    lab_samples,
    sample_findings,
)

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.lease.timer_order import RULE


def test_t2_before_t1_is_an_error_on_the_ack(build: Exchanges) -> None:
    messages = build.dora(0.0, lease=86400, t1=43200, t2=40000)
    (hit,) = client_hits(RULE, messages)
    assert hit.message == "T2 not after T1 (T1 43200 s >= T2 40000 s)"
    assert hit.frames == (messages[3].frame,)
    assert hit.option == OptionCode.REBINDING_TIME
    assert hit.severity is None
    assert (hit.client, hit.server, hit.xid) == (
        CLIENT,
        IPv4Address(SERVER),
        messages[3].message.xid,
    )


def test_equal_timers_are_out_of_order(build: Exchanges) -> None:
    (hit,) = client_hits(RULE, build.dora(0.0, t1=1800, t2=1800))
    assert hit.message == "T2 not after T1 (T1 1800 s >= T2 1800 s)"


def test_t2_at_the_end_of_the_lease(build: Exchanges) -> None:
    (hit,) = client_hits(RULE, build.dora(0.0, lease=3600, t1=1800, t2=3600))
    assert hit.message == "T2 not before the lease ends (T2 3600 s >= lease 3600 s)"
    assert hit.option == OptionCode.REBINDING_TIME


def test_t1_past_the_lease_without_t2_is_one_error(build: Exchanges) -> None:
    (hit,) = client_hits(RULE, build.dora(0.0, lease=3600, t1=4000, t2=None))
    assert hit.message == "T1 not before the lease ends (T1 4000 s >= lease 3600 s)"
    assert hit.option == OptionCode.RENEWAL_TIME
    assert hit.severity is None


def test_t1_past_the_default_t2_is_a_warning(build: Exchanges) -> None:
    (hit,) = client_hits(RULE, build.dora(0.0, lease=3600, t1=3300, t2=None))
    assert hit.message == "T2 not after T1 (T1 3300 s >= default T2 3150 s)"
    assert hit.option == OptionCode.RENEWAL_TIME
    assert hit.severity is Severity.WARNING


def test_t2_before_the_default_t1_is_a_warning(build: Exchanges) -> None:
    (hit,) = client_hits(RULE, build.dora(0.0, lease=3600, t1=None, t2=1000))
    assert hit.message == "T2 not after T1 (default T1 1800 s >= T2 1000 s)"
    assert hit.option == OptionCode.REBINDING_TIME
    assert hit.severity is Severity.WARNING


def test_same_bad_values_are_one_finding_with_every_ack(build: Exchanges) -> None:
    first = build.dora(0.0, t1=3000, t2=2000)
    renewal = build.extend(1500.0, t1=3000, t2=2000)
    (hit,) = client_hits(RULE, first + renewal)
    assert hit.frames == (first[3].frame, renewal[1].frame)


@pytest.mark.parametrize(
    ("lease", "t1", "t2"),
    [
        (3600, 1800, 3150),
        (3600, None, None),
        (3600, 1700, None),
        (None, 100, 200),
        (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF),
        (20, 10, 17),
        (0, None, None),
    ],
)
def test_silent_on_timers_in_order(
    build: Exchanges, lease: int | None, t1: int | None, t2: int | None
) -> None:
    assert client_hits(RULE, build.dora(0.0, lease=lease, t1=t1, t2=t2)) == []


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
