"""rebind-timing: broadcast before T2, unicast after T2."""

from ipaddress import IPv4Address

import pytest
from rules.lease.exchanges import (
    ADDRESS,
    CLIENT,
    SERVER,
    Exchanges,
    client_hits,
    lab_samples,
    sample_findings,
)

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.lease.rebind_timing import RULE


def test_rebinding_before_t2(build: Exchanges) -> None:
    granted = build.dora(0.0)
    rebind = build.extend(1200.0, broadcast=True)
    (hit,) = client_hits(RULE, granted + rebind)
    assert hit.message == (
        "rebinding before T2 (broadcast REQUEST after 1200 s, T2 3150 s)"
    )
    assert hit.frames == (rebind[0].frame,)
    assert (hit.client, hit.server, hit.xid) == (
        CLIENT,
        IPv4Address(SERVER),
        rebind[0].message.xid,
    )


def test_renewing_by_unicast_after_t2(build: Exchanges) -> None:
    granted = build.dora(0.0)
    tries = [build.extend(at, answer=None) for at in (1800.0, 2700.0, 3300.0)]
    messages = granted + [seen for attempt in tries for seen in attempt]
    (hit,) = client_hits(RULE, messages)
    assert (
        hit.message == "renewing by unicast after T2 (REQUEST after 3300 s, T2 3150 s)"
    )
    assert hit.frames == (tries[2][0].frame,)


def test_a_rebind_seen_behind_a_relay_counts_as_broadcast(build: Exchanges) -> None:
    forwarded = build.seen(
        1200.0,
        MessageType.REQUEST,
        src="198.51.100.1",
        dst=SERVER,
        relayed=True,
        ciaddr=ADDRESS,
        giaddr="198.51.100.1",
    )
    (hit,) = client_hits(RULE, [*build.dora(0.0), forwarded])
    assert hit.message.startswith("rebinding before T2")


def test_each_kind_is_one_finding_counting_leases(build: Exchanges) -> None:
    messages = build.dora(0.0) + build.extend(100.0, broadcast=True)
    messages += build.extend(200.0, broadcast=True)
    (hit,) = client_hits(RULE, messages)
    assert hit.message == (
        "rebinding before T2 (2 leases, first broadcast REQUEST after 100 s, T2 3150 s)"
    )


def test_tolerance_either_side_of_t2(build: Exchanges) -> None:
    early = build.dora(0.0) + build.extend(3149.0, broadcast=True)
    late = build.dora(10000.0) + build.extend(13152.0)
    assert client_hits(RULE, early + late) == []
    assert len(client_hits(RULE, early + late, tolerance=0.5)) == 2


def test_silent_at_t1_and_t2(build: Exchanges) -> None:
    messages = build.dora(0.0) + build.extend(1800.0, answer=None)
    messages += build.extend(3150.0, broadcast=True)
    assert client_hits(RULE, messages) == []


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
