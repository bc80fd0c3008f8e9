"""address-conflict: one address held by two clients at once."""

from ipaddress import IPv4Address

import pytest
from rules.lease.exchanges import Exchanges, capture_hits, lab_samples, sample_findings

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.capture.address_conflict import RULE

OTHER = "00:00:5e:00:53:11"


def test_overlapping_bindings_of_two_clients(build: Exchanges) -> None:
    first = build.dora(0.0)
    second = build.dora(100.0, client=OTHER, server="192.0.2.2")
    (hit,) = capture_hits(RULE, first + second, end=5000.0)
    assert hit.message == (
        "192.0.2.107 bound to 2 clients at once "
        "(00:00:5e:00:53:10 and 00:00:5e:00:53:11 for 3500 s)"
    )
    assert hit.frames == (second[3].frame, first[3].frame)
    assert (hit.client, hit.server) == (OTHER, IPv4Address("192.0.2.2"))
    assert hit.xid == second[3].message.xid


def test_the_overlap_ends_with_the_capture(build: Exchanges) -> None:
    messages = build.dora(0.0) + build.dora(100.0, client=OTHER)
    (hit,) = capture_hits(RULE, messages, end=400.1)
    assert hit.message.endswith("for 300 s)")


def test_a_decline_ends_the_binding_but_not_the_conflict(build: Exchanges) -> None:
    holder = build.dora(0.0)
    newcomer = build.dora(100.0, client=OTHER)
    decline = build.decline(101.1, client=OTHER)
    (hit,) = capture_hits(RULE, [*holder, *newcomer, decline], end=5000.0)
    assert hit.message.endswith("for 1 s)")


def test_one_finding_per_pair_however_often_renewed(build: Exchanges) -> None:
    messages = build.dora(0.0) + build.dora(100.0, client=OTHER)
    messages += build.extend(1800.0) + build.extend(1900.0, client=OTHER)
    assert len(capture_hits(RULE, messages, end=3000.0)) == 1


def test_three_holders_are_three_pairs(build: Exchanges) -> None:
    messages = build.dora(0.0) + build.dora(100.0, client=OTHER)
    messages += build.dora(200.0, client="00:00:5e:00:53:12")
    assert len(capture_hits(RULE, messages, end=3000.0)) == 3


def test_silent_when_one_binding_ended_first(build: Exchanges) -> None:
    newcomer = build.dora(100.0, client=OTHER)
    released = [*build.dora(0.0), build.release(50.0), *newcomer]
    expired = build.dora(0.0, lease=60) + newcomer
    naked = build.dora(0.0) + build.extend(50.0, answer=MessageType.NAK) + newcomer
    for messages in (released, expired, naked):
        assert capture_hits(RULE, messages, end=5000.0) == []


def test_an_unanswered_renewal_does_not_end_the_binding(build: Exchanges) -> None:
    messages = build.dora(0.0) + build.extend(50.0, answer=None)
    messages += build.dora(100.0, client=OTHER)
    assert len(capture_hits(RULE, messages, end=5000.0)) == 1


def test_silent_on_one_client_and_on_other_addresses(build: Exchanges) -> None:
    renewing = build.dora(0.0) + build.extend(1800.0) + build.extend(3600.0)
    apart = build.dora(0.0) + build.dora(10.0, client=OTHER, address="192.0.2.108")
    assert capture_hits(RULE, renewing + apart, end=5000.0) == []


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
