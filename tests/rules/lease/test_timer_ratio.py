"""lease-timer-ratio: T1 and T2 as fractions of the lease, against settings."""

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
from dhcpcheck.rules.lease.timer_ratio import RULE


def test_t1_far_from_half_the_lease(build: Exchanges) -> None:
    messages = build.dora(0.0, lease=3600, t1=360, t2=3150)
    (hit,) = client_hits(RULE, messages)
    assert hit.message == (
        "T1 at 0.10 of the lease (T1 360 s of 3600 s, expected 0.5 +/- 0.05)"
    )
    assert hit.frames == (messages[3].frame,)
    assert hit.option == OptionCode.RENEWAL_TIME
    assert (hit.client, hit.server) == (CLIENT, IPv4Address(SERVER))


def test_both_timers_off_are_two_findings(build: Exchanges) -> None:
    hits = client_hits(RULE, build.dora(0.0, lease=1000, t1=700, t2=990))
    assert [hit.option for hit in hits] == [
        OptionCode.RENEWAL_TIME,
        OptionCode.REBINDING_TIME,
    ]
    assert hits[1].message == (
        "T2 at 0.99 of the lease (T2 990 s of 1000 s, expected 0.875 +/- 0.05)"
    )


def test_one_finding_per_server_and_timer_with_every_ack(build: Exchanges) -> None:
    first = build.dora(0.0, lease=3600, t1=360, t2=3150)
    renewal = build.extend(400.0, lease=3600, t1=300, t2=3150)
    (hit,) = client_hits(RULE, first + renewal)
    assert hit.message.startswith("T1 at 0.10 of the lease (T1 360 s")
    assert hit.frames == (first[3].frame, renewal[1].frame)


def test_tolerance_is_inclusive(build: Exchanges) -> None:
    assert client_hits(RULE, build.dora(0.0, lease=1000, t1=550, t2=825)) == []
    assert len(client_hits(RULE, build.dora(0.0, lease=1000, t1=551, t2=875))) == 1


def test_configured_ratios_and_tolerance(build: Exchanges) -> None:
    messages = build.dora(0.0, lease=1000, t1=300, t2=600)
    assert len(client_hits(RULE, messages)) == 2
    assert client_hits(RULE, messages, t1_ratio=0.3, t2_ratio=0.6) == []
    assert client_hits(RULE, messages, tolerance=0.3) == []


@pytest.mark.parametrize(
    ("lease", "t1", "t2"),
    [
        (3600, None, None),
        (3600, 1790, 3170),
        (0xFFFFFFFF, 100, 200),
        (0, 100, 200),
        (None, 100, 200),
    ],
)
def test_silent_on_defaults_fuzz_and_no_finite_lease(
    build: Exchanges, lease: int | None, t1: int | None, t2: int | None
) -> None:
    assert client_hits(RULE, build.dora(0.0, lease=lease, t1=t1, t2=t2)) == []


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
