"""nak-loop: bursts of NAKs to one client."""

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
from dhcpcheck.rules.lease.nak_loop import RULE
from dhcpcheck.transactions.model import Seen


def naks(build: Exchanges, times: list[float]) -> list[Seen]:
    """A renewing REQUEST NAKed at each time."""
    messages = []
    for at in times:
        messages += build.extend(at, answer=MessageType.NAK)
    return messages


def test_three_naks_within_a_minute(build: Exchanges) -> None:
    messages = naks(build, [0.0, 4.0, 9.0])
    (hit,) = client_hits(RULE, messages)
    assert hit.message == "NAKed 3 times in 9 s (threshold 3 within 60 s)"
    assert hit.frames == (messages[1].frame, messages[3].frame, messages[5].frame)
    assert (hit.client, hit.server, hit.xid) == (
        CLIENT,
        IPv4Address(SERVER),
        messages[1].message.xid,
    )


def test_a_long_loop_is_one_burst(build: Exchanges) -> None:
    (hit,) = client_hits(RULE, naks(build, [30.0 * step for step in range(10)]))
    assert hit.message == "NAKed 10 times in 270 s (threshold 3 within 60 s)"
    assert len(hit.frames) == 10


def test_separate_bursts_are_separate_findings(build: Exchanges) -> None:
    hits = client_hits(RULE, naks(build, [0.0, 1.0, 2.0, 500.0, 501.0, 502.0]))
    assert [hit.message for hit in hits] == [
        "NAKed 3 times in 2 s (threshold 3 within 60 s)"
    ] * 2


def test_settings(build: Exchanges) -> None:
    messages = naks(build, [0.0, 50.0, 100.0])
    assert client_hits(RULE, messages) == []
    assert len(client_hits(RULE, messages, window=100.0)) == 1
    assert len(client_hits(RULE, messages[:4], naks=2, window=50.0)) == 1


def test_silent_on_isolated_naks(build: Exchanges) -> None:
    assert client_hits(RULE, naks(build, [0.0, 4.0, 120.0, 124.0])) == []


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
