"""discover-flood: bursts of new chaddrs, found in bounded memory."""

import gc
import sys
from dataclasses import replace
from pathlib import Path
from types import FunctionType, ModuleType

import pytest
from rules.lease.exchanges import (
    Exchanges,
    capture_hits,
    lab_samples,
    sample_findings,
    settings,
)

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.capture.discover_flood import RULE
from dhcpcheck.transactions.model import Seen, Step, Transaction


def discovers(
    build: Exchanges, count: int, every: float, start: float = 0.0
) -> list[Seen]:
    """DISCOVERs from `count` new chaddrs, `every` seconds apart."""
    return [
        build.seen(
            start + index * every,
            MessageType.DISCOVER,
            xid=index,
            chaddr=f"02:00:00:{start // 1000:02.0f}:{index >> 8:02x}:{index & 255:02x}",
        )
        for index in range(count)
    ]


def test_a_burst_of_new_clients(build: Exchanges) -> None:
    flood = discovers(build, 250, every=0.1)
    (hit,) = capture_hits(RULE, flood)
    assert (
        hit.message == "burst of 250 new clients in 24.9 s (threshold 200 within 60 s)"
    )
    assert hit.frames == (flood[199].frame, flood[0].frame)


def test_silent_below_the_threshold_or_spread_out(build: Exchanges) -> None:
    assert capture_hits(RULE, discovers(build, 199, every=0.1)) == []
    assert capture_hits(RULE, discovers(build, 1000, every=0.5)) == []


def test_one_client_looping_is_not_a_flood(build: Exchanges) -> None:
    looping = [
        build.seen(index * 0.1, MessageType.DISCOVER, xid=index) for index in range(500)
    ]
    assert capture_hits(RULE, looping) == []


def test_settings(build: Exchanges) -> None:
    few = discovers(build, 12, every=0.4)
    assert capture_hits(RULE, few) == []
    (hit,) = capture_hits(RULE, few, clients=10, window=5.0)
    assert hit.message == "burst of 12 new clients in 4.4 s (threshold 10 within 5 s)"
    assert capture_hits(RULE, few, clients=10, window=3.0) == []


def test_no_clients_is_refused() -> None:
    with pytest.raises(ValueError, match="clients must be 1 or more"):
        RULE.start(settings(RULE, clients=0))


def test_separate_bursts(build: Exchanges) -> None:
    first = discovers(build, 20, every=0.1)
    second = discovers(build, 20, every=0.1, start=1000.0)
    hits = capture_hits(RULE, first + second, clients=10, window=5.0)
    assert [hit.frames[0] for hit in hits] == [first[9].frame, second[9].frame]


def test_state_stays_bounded_over_200000_clients(build: Exchanges) -> None:
    template = build.seen(0.0, MessageType.DISCOVER)
    check = RULE.start(settings(RULE))
    for index in range(200_000):
        seen = replace(template, frame=index + 1, time=index * 0.001)
        client = b"\x01\x02" + index.to_bytes(5)
        check.add(Transaction(xid=index, client=client, steps=[Step(seen)]))
    assert retained(check) < 256 * 1024  # the last 200 clients, not 200,000
    (hit,) = check.finish([], 200.0)
    assert hit.message == (
        "burst of 200000 new clients in 200 s (threshold 200 within 60 s)"
    )


def retained(root: object) -> int:
    """Bytes of the objects reachable from `root`, each counted once."""
    counted: set[int] = set()
    stack = [root]
    total = 0
    while stack:
        item = stack.pop()
        if id(item) in counted or isinstance(item, type | ModuleType | FunctionType):
            continue
        counted.add(id(item))
        total += sys.getsizeof(item)
        stack.extend(gc.get_referents(item))
    return total


def test_the_lab_many_clients_sample(tmp_path: Path) -> None:
    config = tmp_path / "dhcpcheck.toml"
    config.write_text("[rules.discover-flood]\nclients = 20\nwindow = 10\n")
    (finding,) = sample_findings("lab/many-clients.pcap", RULE.code, config)
    assert finding.message.startswith("burst of 32 new clients in 0.")
    assert finding.message.endswith(" s (threshold 20 within 10 s)")


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
