"""lease-expired: the capture outlives a lease nobody renewed or released."""

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

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.lease.expired import RULE


def test_unanswered_renewals_are_a_warning(build: Exchanges) -> None:
    granted = build.dora(0.0)
    tries = [build.extend(1800.0, answer=None), build.extend(3200.0, answer=None)]
    messages = granted + tries[0] + tries[1]
    (hit,) = client_hits(RULE, messages, end=3700.0)
    assert hit.message == (
        "192.0.2.107 expired unrenewed (lease 3600 s, 2 attempts unanswered)"
    )
    assert hit.severity is None
    assert hit.frames == (granted[3].frame, tries[0][0].frame, tries[1][0].frame)
    assert (hit.client, hit.server) == (CLIENT, IPv4Address(SERVER))


def test_a_silent_client_is_information(build: Exchanges) -> None:
    granted = build.dora(0.0)
    (hit,) = client_hits(RULE, granted, end=3700.0)
    assert hit.message == "192.0.2.107 expired with no renewal attempt (lease 3600 s)"
    assert hit.severity is Severity.INFO
    assert hit.frames == (granted[3].frame,)


def test_expiry_counts_from_the_ack(build: Exchanges) -> None:
    assert client_hits(RULE, build.dora(0.0), end=3600.05) == []
    assert len(client_hits(RULE, build.dora(0.0), end=3600.1)) == 1


def test_a_new_grant_after_expiry_does_not_hide_it(build: Exchanges) -> None:
    messages = build.dora(0.0) + build.dora(5000.0)
    (hit,) = client_hits(RULE, messages, end=6000.0)
    assert hit.frames == (messages[3].frame,)


@pytest.mark.parametrize(
    "ending", ["renewed", "released", "declined", "naked", "regranted"]
)
def test_silent_when_the_lease_was_renewed_or_given_up(
    build: Exchanges, ending: str
) -> None:
    endings = {
        "renewed": lambda: build.extend(1800.0),
        "released": lambda: [build.release(100.0)],
        "declined": lambda: [build.decline(1.0)],
        "naked": lambda: build.extend(1800.0, answer=MessageType.NAK),
        "regranted": lambda: build.dora(2000.0),
    }
    messages = build.dora(0.0) + endings[ending]()
    hits = client_hits(RULE, messages, end=3700.0)
    assert hits == []


def test_silent_on_infinite_leases_and_short_captures(build: Exchanges) -> None:
    forever = build.dora(0.0, lease=0xFFFFFFFF, t1=None, t2=None)
    assert client_hits(RULE, forever, end=1e7) == []
    assert client_hits(RULE, build.dora(0.0), end=3000.0) == []


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
