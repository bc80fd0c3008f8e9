"""The ladder diagram, compared as exact text on an 80-column console."""

import io
import re
from collections.abc import Callable
from ipaddress import IPv4Address
from pathlib import Path

import pytest
from rich.console import Console

from dhcpcheck.capture import read_frames
from dhcpcheck.config import load_config
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.ladder import Column, Role, pick_columns, write_ladder
from dhcpcheck.transactions.model import Seen, Transaction
from dhcpcheck.transactions.tracker import Tracker

MakeSeen = Callable[..., Seen]  # the `seen` fixture of conftest.py
RELAY = "192.0.2.1"
RELAY_OUT = "198.51.100.1"  # the relay's address on the servers' side
SERVER = "198.51.100.2"
LEASED = "192.0.2.107"
SAMPLES = sorted(str(path) for path in Path("samples").rglob("*.pcap"))


def transactions(path: str) -> list[Transaction]:
    events = Analysis(load_config(None), path).run(read_frames(path))
    return [event for event in events if isinstance(event, Transaction)]


def tracked(messages: list[Seen]) -> Transaction:
    tracker = Tracker()
    for message in messages:
        assert not tracker.feed(message)
    (txn,) = tracker.finish()
    return txn


def ladder(txn: Transaction, colour: bool = False) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=80,
        color_system="standard" if colour else None,
        force_terminal=colour,
    )
    write_ladder(console, txn)
    return out.getvalue()


def server_id(address: str) -> tuple[int, bytes]:
    return 54, IPv4Address(address).packed


SEED = """\
xid 0x6265ab6d  dora, bound  2021-06-08T14:31:53.831654Z
          client                  server
     fa:16:3e:d6:62:84            1.1.1.2
 +0.000 ms   │───────DISCOVER───────>│
 +0.502 ms   │<────────OFFER─────────│
+27.463 ms   │────────REQUEST───────>│
+40.723 ms   │<─────────ACK──────────│
"""


def test_seed_dora() -> None:
    (txn,) = transactions("samples/openstack-dora.pcap")

    assert ladder(txn) == SEED


TWO_SERVERS = """\
xid 0xb2db7804  dora, bound  2026-12-03T17:50:13.379626Z
         client                  server                  server
    00:00:5e:00:53:10           192.0.2.2               192.0.2.1
+0.000 ms   │───────DISCOVER───────>│──────────────────────>│
+0.904 ms   │<────────OFFER─────────│                       │
+1.293 ms   │────────REQUEST───────>│──────────────────────>│
+1.738 ms   │<─────────ACK──────────│                       │
 +3.006 s   │<──────────────────────┼─────────OFFER─────────│  (not taken)
"""


def test_two_servers_and_the_offer_not_taken() -> None:
    (txn,) = transactions("samples/lab/two-servers.pcap")

    assert ladder(txn) == TWO_SERVERS


BOTH_LEGS = """\
xid 0x6265ab6d  dora, bound  1970-01-01T00:00:00.000000Z
          client                   relay                  server
     fa:16:3e:d6:62:84           192.0.2.1             198.51.100.2
 +0.000 ms   │───────DISCOVER───────>│                       │
 +0.400 ms   │                       │───────DISCOVER───────>│  (relay copy)
 +1.100 ms   │                       │<────────OFFER─────────│
 +1.400 ms   │<────────OFFER─────────│                       │  (relay copy)
+20.000 ms   │────────REQUEST───────>│                       │
+20.300 ms   │                       │────────REQUEST───────>│  (relay copy)
+21.000 ms   │                       │<─────────ACK──────────│
+21.300 ms   │<─────────ACK──────────│                       │  (relay copy)
"""


def test_relay_seen_on_both_legs(seen: MakeSeen) -> None:
    relayed = {"relayed": True, "giaddr": RELAY, "hops": 1}
    out = {**relayed, "src": RELAY_OUT, "dst": SERVER}
    back = {**relayed, "src": SERVER, "dst": RELAY, "yiaddr": LEASED}
    down = {"giaddr": RELAY, "src": RELAY, "dst": LEASED, "yiaddr": LEASED}
    named = (server_id(SERVER),)
    txn = tracked(
        [
            seen(0.0, 1),
            seen(0.0004, 1, **out),
            seen(0.0011, 2, options=named, **back),
            seen(0.0014, 2, options=named, **down),
            seen(0.0200, 3, options=named),
            seen(0.0203, 3, options=named, **out),
            seen(0.0210, 5, options=named, **back),
            seen(0.0213, 5, options=named, **down),
        ]
    )

    assert ladder(txn) == BOTH_LEGS


RETRIES = """\
xid 0x644c9748  renew, no-ack  2026-12-03T17:44:11.443847Z
         client                  server
    00:00:5e:00:53:10           192.0.2.1
+0.000 ms   │────────REQUEST───────>│
 +1.792 s   │────────REQUEST───────>│  (retry 1, secs 2)
 +3.848 s   │────────REQUEST───────>│  (retry 2, secs 4)
 +6.464 s   │────────REQUEST───────>│  (retry 3, secs 6)
 +7.465 s   │────────REQUEST───────>│  (retry 4, secs 7)
 +8.467 s   │────────REQUEST───────>│  (retry 5, secs 8)
            │       no reply        │
"""


def test_unanswered_retransmissions() -> None:
    renew = transactions("samples/lab/rebind.pcap")[1]

    assert ladder(renew) == RETRIES


NO_OFFER = """\
xid 0xdc6f601d  dora, no-offer  2026-12-03T17:44:49.967443Z
         client                  server
    00:00:5e:00:53:10            (none)
+0.000 ms   │───────DISCOVER───────>│
 +6.396 s   │───────DISCOVER───────>│  (retry 1, secs 7)
+15.451 s   │───────DISCOVER───────>│  (retry 2, secs 16)
            │       no reply        │
"""


def test_no_offer() -> None:
    (txn,) = transactions("samples/lab/no-server.pcap")

    assert ladder(txn) == NO_OFFER


CROWDED = """\
xid 0x6265ab6d  dora, bound  1970-01-01T00:00:00.000000Z
          client        relay       server       server       server
       …3e:d6:62:84   192.0.2.1   …51.100.201  …51.100.202  …0.113.250
 +0.000 ms   │──DISCOVER─>│───────────>│───────────>│            │
 +1.000 ms   │<───────────┼───OFFER────│            │            │  (not taken)
 +2.000 ms   │<───────────┼────────────┼───OFFER────│            │  (not taken)
 +3.500 ms   │<──OFFER────│            │            │            │
+10.000 ms   │──REQUEST──>│───────────>│───────────>│            │
+12.000 ms   │<───ACK─────│            │            │            │
"""


def test_a_relay_and_three_servers_fit_80_columns(seen: MakeSeen) -> None:
    """Two servers on the client's segment, a third behind a relay; the
    client takes the relayed offer."""
    local = ("198.51.100.201", "198.51.100.202")
    behind = "203.0.113.250"
    offers = [
        seen(0.001 * n, 2, src=address, dst=LEASED, options=(server_id(address),))
        for n, address in enumerate(local, start=1)
    ]
    via_relay = {"giaddr": RELAY, "src": RELAY, "dst": LEASED}
    named = (server_id(behind),)
    txn = tracked(
        [
            seen(0.0, 1),
            *offers,
            seen(0.0035, 2, options=named, **via_relay),
            seen(0.0100, 3, options=named),
            seen(0.0120, 5, options=named, **via_relay),
        ]
    )

    text = ladder(txn)

    assert text == CROWDED
    assert max(len(line) for line in text.split("\n")) <= 80


def test_columns_merge_an_address_with_the_identifier_sent_from_it(
    seen: MakeSeen,
) -> None:
    """A renewal unicast to the server's address, answered with a server
    identifier other than that address: one server column."""
    txn = tracked(
        [
            seen(0.0, 3, src=LEASED, dst="10.9.9.9", ciaddr=LEASED),
            seen(0.001, 5, src="10.9.9.9", dst=LEASED, options=(server_id(SERVER),)),
        ]
    )

    columns = pick_columns(txn)

    assert columns.lanes == (
        Column(Role.CLIENT),
        Column(Role.SERVER, IPv4Address("10.9.9.9")),
    )
    assert columns.servers == {
        IPv4Address("10.9.9.9"): 1,
        IPv4Address(SERVER): 1,
    }


def test_naks_and_offers_not_taken_are_styled() -> None:
    (txn,) = transactions("samples/lab/two-servers-nak.pcap")

    text = ladder(txn, colour=True)

    nak = re.search(r"\x1b\[([0-9;]*)m[^\n\x1b]*NAK", text)
    offer = re.search(r"\x1b\[([0-9;]*)m[^\n\x1b]*OFFER[^\n]*not taken", text)
    assert nak is not None and nak.group(1) == "1;31"
    assert offer is not None and offer.group(1) == "2"


@pytest.mark.parametrize("path", SAMPLES)
def test_every_sample_transaction_fits_80_columns(path: str) -> None:
    for txn in transactions(path):
        lines = ladder(txn).split("\n")

        assert max(len(line) for line in lines) <= 80
        arrows = [line for line in lines if re.search("[<>]", line)]
        assert len(arrows) == len(txn.steps)
