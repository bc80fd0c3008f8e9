"""renew-timing: the first renewal against T1, and none at all before T2."""

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

from dhcpcheck.rules.lease.renew_timing import RULE


def test_renewal_seconds_after_the_ack(build: Exchanges) -> None:
    granted = build.dora(0.0)
    renewal = build.extend(5.0)
    (hit,) = client_hits(RULE, granted + renewal, end=10.0)
    assert hit.message == "renewed long before T1 (after 5 s, T1 1800 s)"
    assert hit.frames == (renewal[0].frame,)
    assert hit.xid == renewal[0].message.xid
    assert (hit.client, hit.server) == (CLIENT, IPv4Address(SERVER))


def test_a_renewal_storm_is_one_finding(build: Exchanges) -> None:
    messages = build.dora(0.0)
    renewals = [build.extend(5.0 * step) for step in range(1, 5)]
    for renewal in renewals:
        messages += renewal
    (hit,) = client_hits(RULE, messages, end=25.0)
    assert (
        hit.message == "renewed long before T1 (4 leases, first after 5 s, T1 1800 s)"
    )
    assert hit.frames == tuple(renewal[0].frame for renewal in renewals)


def test_tolerance_sets_how_early_is_too_early(build: Exchanges) -> None:
    messages = build.dora(0.0) + build.extend(1000.0)
    assert client_hits(RULE, messages) == []
    (hit,) = client_hits(RULE, messages, tolerance=0.1)
    assert hit.message == "renewed long before T1 (after 1000 s, T1 1800 s)"


def test_default_t1_is_half_the_lease(build: Exchanges) -> None:
    messages = build.dora(0.0, lease=1000, t1=None, t2=None) + build.extend(200.0)
    (hit,) = client_hits(RULE, messages, end=300.0)
    assert hit.message == "renewed long before T1 (after 200 s, T1 500 s)"


def test_no_renewal_before_t2(build: Exchanges) -> None:
    granted = build.dora(0.0)
    rebind = build.extend(3160.0, broadcast=True)
    (hit,) = client_hits(RULE, granted + rebind)
    assert hit.message == "no renewal before T2 (T1 1800 s, T2 3150 s)"
    assert hit.frames == (granted[3].frame,)


def test_renewal_after_t2_is_no_renewal_before_t2(build: Exchanges) -> None:
    messages = build.dora(0.0) + build.extend(3300.0)
    (hit,) = client_hits(RULE, messages)
    assert hit.message.startswith("no renewal before T2")


def test_silent_when_the_capture_ends_before_t2(build: Exchanges) -> None:
    assert client_hits(RULE, build.dora(0.0), end=3100.0) == []
    assert len(client_hits(RULE, build.dora(0.0), end=3200.0)) == 1


def test_silent_when_the_lease_was_given_up_before_t2(build: Exchanges) -> None:
    released = [*build.dora(0.0), build.release(100.0)]
    declined = [*build.dora(0.0), build.decline(1.0)]
    regranted = build.dora(0.0) + build.dora(2000.0)
    for messages in (released, declined, regranted):
        assert client_hits(RULE, messages, end=4000.0) == []


def test_silent_on_renewal_at_t1_and_infinite_leases(build: Exchanges) -> None:
    at_t1 = build.dora(0.0) + build.extend(1800.0)
    assert client_hits(RULE, at_t1, end=2000.0) == []
    forever = build.dora(0.0, lease=0xFFFFFFFF, t1=None, t2=None)
    assert client_hits(RULE, forever, end=1e6) == []


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
