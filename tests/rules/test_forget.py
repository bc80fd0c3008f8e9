"""A streaming analysis forgets old leases, and finds all the same.

The scenario gives every lease-reading rule something to report on a lease
that ended long before the capture does, so that each rule's `keeps` must
hold on to it while the clients' other leases are dropped.
"""

import dataclasses
from collections.abc import Iterator

import pytest
from rules.lease.exchanges import Exchanges

from dhcpcheck.config import Config, load_config
from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import Finding
from dhcpcheck.rules.engine import Engine
from dhcpcheck.transactions.leases import Clients
from dhcpcheck.transactions.model import Seen
from dhcpcheck.transactions.tracker import DEFAULT_IDLE_TIMEOUT, Tracker

END = 3000.0  # seconds of capture
EVERY = 300.0  # renewal period, T1
TIMERS = {"lease": 600, "t1": 300, "t2": 525}


def renewing(build: Exchanges, mac: str, address: str, start: float) -> list[Seen]:
    """Renewals every EVERY seconds from `start` to the end of the capture."""
    found: list[Seen] = []
    at = start
    while at < END:
        found += build.extend(at, client=mac, address=address, **TIMERS)
        at += EVERY
    return found


def client(index: int) -> tuple[str, str]:
    """The MAC and address of the index-th client."""
    return f"00:00:5e:00:53:{index:02x}", f"192.0.2.{index}"


def scenario() -> list[Seen]:
    """Eight clients, each but one with a lease a rule reports on, early on."""
    build = Exchanges()
    messages: list[Seen] = []
    mac, address = client(1)  # timers out of order: T1 after T2
    messages += build.dora(0, client=mac, address=address, lease=600, t1=600, t2=525)
    messages += renewing(build, mac, address, 300)
    mac, address = client(2)  # a renewal long before T1
    messages += build.dora(0, client=mac, address=address, **TIMERS)
    messages += renewing(build, mac, address, 10)
    mac, address = client(3)  # renewals unanswered: the lease expires
    messages += build.dora(0, client=mac, address=address, **TIMERS)
    for at in (300.0, 450.0):
        messages += build.extend(at, answer=None, client=mac, address=address)
    messages += build.dora(700, client=mac, address=address, **TIMERS)
    messages += renewing(build, mac, address, 1000)
    shared = "192.0.2.99"  # two clients bound to one address at once
    for index, start in ((4, 0.0), (5, 100.0)):
        mac, _ = client(index)
        messages += build.dora(start, client=mac, address=shared, **TIMERS)
        messages += renewing(build, mac, shared, start + EVERY)
    mac, address = client(6)  # the address is declined, then another granted
    messages += build.dora(0, client=mac, address=address, **TIMERS)
    messages.append(build.decline(1, client=mac, address=address))
    messages += build.dora(20, client=mac, address="192.0.2.60", **TIMERS)
    messages += renewing(build, mac, "192.0.2.60", 320)
    mac, address = client(7)  # three NAKs within a minute
    messages += build.dora(0, client=mac, address=address, **TIMERS)
    for at in (300.0, 310.0, 320.0):
        messages += build.extend(
            at, answer=MessageType.NAK, client=mac, address=address
        )
    messages += build.dora(330, client=mac, address=address, **TIMERS)
    messages += renewing(build, mac, address, 630)
    mac, address = client(8)  # rebinding by broadcast long before T2
    messages += build.dora(0, client=mac, address=address, **TIMERS)
    messages += build.extend(100, broadcast=True, client=mac, address=address, **TIMERS)
    messages += renewing(build, mac, address, 400)
    return sorted(messages, key=lambda seen: seen.time)


def findings(
    messages: list[Seen], clients: Clients, config: Config | None = None
) -> Iterator[Finding]:
    """What the pipeline finds, forgetting leases as it goes if `clients`
    is streaming (as `Analysis` does)."""
    engine = Engine(config or load_config(None))
    tracker = Tracker()
    for seen in messages:
        for txn in tracker.feed(seen):
            owner = clients.add(txn)
            yield from engine.transaction(txn)
            if clients.streaming:
                engine.forget(clients, owner, seen.time - DEFAULT_IDLE_TIMEOUT)
    for txn in tracker.finish():
        clients.add(txn)
        yield from engine.transaction(txn)
    yield from engine.finish(clients, messages[-1].time)


def test_streaming_finds_what_the_whole_history_finds() -> None:
    messages = scenario()
    whole = list(findings(messages, Clients()))
    streaming = Clients(streaming=True)
    assert list(findings(messages, streaming)) == whole
    codes = {finding.code for finding in whole}
    lease_rules = {"DHC301", "DHC303", "DHC304", "DHC305", "DHC306", "DHC307"}
    assert lease_rules | {"DHC403"} <= codes
    kept = sum(len(each.leases) for each in streaming)
    granted = sum(len(each.leases) for each in findings_clients(messages))
    assert kept < granted / 2


def findings_clients(messages: list[Seen]) -> Clients:
    """The whole history of `messages`."""
    clients = Clients()
    for _ in findings(messages, clients):
        pass
    return clients


@pytest.mark.parametrize(
    "codes",
    [
        ("DHC301", "DHC302"),
        ("DHC303",),
        ("DHC304",),
        ("DHC305",),
        ("DHC307",),
        ("DHC403",),
    ],
)
def test_each_rule_keeps_the_leases_it_reports(codes: tuple[str, ...]) -> None:
    """Rules that let every lease go would miss findings here: the scenario
    needs each rule's `keeps` (DHC301 and DHC302 keep the same lease)."""
    messages = scenario()
    whole = list(findings(messages, Clients()))
    config = load_config(None)
    careless = tuple(
        dataclasses.replace(rule, keeps=lambda *_: False)
        if rule.code in codes
        else rule
        for rule in config.rules
    )
    forgetful = dataclasses.replace(config, rules=careless)
    assert list(findings(messages, Clients(streaming=True), forgetful)) != whole


def test_leases_of_one_address_forgotten_together() -> None:
    """Two ended leases of the same address dropped in one call release the
    address once (the second release used to raise KeyError)."""
    build = Exchanges()
    mac, address = client(1)
    messages = build.dora(0, client=mac, address=address, **TIMERS)
    messages += build.dora(110, client=mac, address=address, **TIMERS)
    messages.append(build.release(120, client=mac))
    tracker, streaming = Tracker(), Clients(streaming=True)
    for seen in messages:
        for txn in tracker.feed(seen):
            streaming.add(txn)
    for txn in tracker.finish():
        streaming.add(txn)
    (history,) = streaming
    assert len(history.leases) == 2
    streaming.forget(history, END, lambda lease: False)
    assert history.leases == [] and streaming.holders == {}


def test_a_long_nak_loop_is_found_alike_when_streaming() -> None:
    """A NAK every 5 s for an hour: one burst, its every NAK a frame."""
    build = Exchanges()
    mac, address = client(1)
    messages = build.dora(0, client=mac, address=address, **TIMERS)
    for at in range(10, 3600, 5):
        messages += build.extend(
            float(at), answer=MessageType.NAK, client=mac, address=address
        )
    whole = list(findings(messages, Clients()))
    assert list(findings(messages, Clients(streaming=True))) == whole
    (loop,) = [finding for finding in whole if finding.code == "DHC306"]
    assert len(loop.frames) == 718
