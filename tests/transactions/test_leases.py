"""Per-client leases: grant times, T1/T2, renewals, rebinds and releases."""

from collections.abc import Callable
from ipaddress import IPv4Address

import pytest

from dhcpcheck.transactions.leases import Clients, slim
from dhcpcheck.transactions.model import Seen, Transaction
from dhcpcheck.transactions.tracker import Tracker

MakeSeen = Callable[..., Seen]
SERVER = "1.1.1.2"
GRANT = (
    (54, IPv4Address(SERVER).packed),
    (51, (600).to_bytes(4)),
    (58, (300).to_bytes(4)),
    (59, (525).to_bytes(4)),
)
WANTS = ((50, IPv4Address("1.1.1.13").packed), (54, IPv4Address(SERVER).packed))


def clients_of(messages: list[Seen], streaming: bool = False) -> Clients:
    tracker = Tracker()
    closed: list[Transaction] = []
    for seen in messages:
        closed += tracker.feed(seen)
    clients = Clients(streaming)
    for txn in sorted(closed + tracker.finish(), key=lambda t: t.start):
        clients.add(txn)
    return clients


def bound(seen: MakeSeen) -> list[Seen]:
    return [
        seen(0.0, 1),
        seen(0.1, 2, options=GRANT, yiaddr="1.1.1.13"),
        seen(0.2, 3, options=WANTS),
        seen(0.25, 3, options=WANTS),  # a retransmitted REQUEST
        seen(0.3, 5, options=GRANT, yiaddr="1.1.1.13"),
    ]


def renew(seen: MakeSeen, at: float, xid: int, dst: str = SERVER) -> list[Seen]:
    addr = {"ciaddr": "1.1.1.13", "src": "1.1.1.13", "dst": dst, "xid": xid}
    return [seen(at, 3, **addr), seen(at + 0.01, 5, options=GRANT, **addr)]


def test_lease_counts_from_the_first_request(seen: MakeSeen) -> None:
    (client,) = clients_of(bound(seen))
    (lease,) = client.leases
    assert lease.address == IPv4Address("1.1.1.13")
    assert lease.server == IPv4Address(SERVER)
    assert (lease.lease_time, lease.t1, lease.t2) == (600, 300, 525)
    assert lease.start == pytest.approx(0.2)
    assert lease.renew_at == pytest.approx(300.2)
    assert lease.rebind_at == pytest.approx(525.2)
    assert lease.expiry == pytest.approx(600.2)
    assert client.current is lease


def test_renewal_is_recorded_and_starts_the_next_grant(seen: MakeSeen) -> None:
    (client,) = clients_of(bound(seen) + renew(seen, 300.5, xid=2))
    first, second = client.leases
    assert [t.xid for t in first.renewals] == [2]
    assert first.ended == pytest.approx(300.5)
    assert second.start == pytest.approx(300.5)
    assert second.address == IPv4Address("1.1.1.13")


def test_rebind_is_recorded(seen: MakeSeen) -> None:
    messages = bound(seen) + renew(seen, 530.0, xid=3, dst="255.255.255.255")
    (client,) = clients_of(messages)
    assert [t.xid for t in client.leases[0].rebinds] == [3]


def test_release_ends_the_lease(seen: MakeSeen) -> None:
    release = seen(50.0, 7, ciaddr="1.1.1.13", xid=9, options=WANTS[1:])
    (client,) = clients_of([*bound(seen), release])
    (lease,) = client.leases
    assert lease.released == pytest.approx(50.0)
    assert client.current is None


def test_default_timers_without_options_58_and_59(seen: MakeSeen) -> None:
    only_lease = ((54, IPv4Address(SERVER).packed), (51, (1000).to_bytes(4)))
    messages = [
        seen(0.0, 3, options=WANTS),
        seen(0.1, 5, options=only_lease, yiaddr="1.1.1.13"),
    ]
    (lease,) = next(iter(clients_of(messages))).leases
    assert (lease.t1, lease.t2) == (None, None)
    assert lease.renew_at == pytest.approx(500.0)
    assert lease.rebind_at == pytest.approx(875.0)


def test_infinite_lease_has_no_timers(seen: MakeSeen) -> None:
    forever = ((54, IPv4Address(SERVER).packed), (51, b"\xff\xff\xff\xff"))
    messages = [seen(0.0, 3, options=WANTS), seen(0.1, 5, options=forever)]
    (lease,) = next(iter(clients_of(messages))).leases
    assert lease.infinite
    assert (lease.renew_at, lease.rebind_at, lease.expiry) == (None, None, None)


def test_streaming_history_is_slim_and_shares_repeated_values(
    seen: MakeSeen,
) -> None:
    addr = {"ciaddr": "1.1.1.13", "src": "1.1.1.13", "dst": SERVER, "xid": 2}
    named = ((12, b"laptop"), WANTS[0])
    messages = [*bound(seen), seen(300.5, 3, options=named, **addr)]
    messages += [seen(300.51, 5, options=GRANT, **addr)]
    (client,) = clients_of(messages, streaming=True)
    first, second = client.leases
    ours = [step.seen for step in first.granted_by.steps + second.granted_by.steps]
    request, ack = second.granted_by.of_type(3)[0], second.granted_by.of_type(5)[0]
    assert request.message.value(12) is None  # client records only read it
    assert request.message.value(50) == WANTS[0][1]
    assert ack.message.value(51) is None
    assert len({id(each.message.size) for each in ours}) == 1
    first_ack = first.granted_by.of_type(5)[-1]
    assert next(first_ack.message.all(54)) is next(ack.message.all(54))
    assert (second.lease_time, second.t1, second.t2) == (600, 300, 525)
    assert client.transactions == []  # client rules read what the client records
    assert client.hostname == b"laptop"


def test_slim_copy_keeps_the_host_name(seen: MakeSeen) -> None:
    messages = [seen(0.0, 3, options=((12, b"laptop"), *WANTS)), *bound(seen)[1:2]]
    (client,) = clients_of(messages)
    (txn,) = client.transactions
    copy = slim(txn)
    assert copy.of_type(3)[0].message.value(12) == b"laptop"
    assert copy.of_type(3)[0].from_client and not copy.steps[-1].seen.from_client


@pytest.mark.parametrize("streaming", [False, True])
def test_the_host_name_sent_last_is_recorded(seen: MakeSeen, streaming: bool) -> None:
    addr = {"ciaddr": "1.1.1.13", "src": "1.1.1.13", "dst": SERVER, "xid": 2}
    messages = [seen(0.0, 3, options=((12, b"old"), *WANTS)), *bound(seen)[1:2]]
    messages += [seen(300.5, 3, options=((12, b""), WANTS[0]), **addr)]
    messages += [seen(300.51, 5, options=GRANT, **addr)]
    messages += renew(seen, 600.0, 3)
    (client,) = clients_of(messages, streaming)
    assert client.hostname == b""  # empty, but sent after "old"
