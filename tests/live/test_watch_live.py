"""`watch` on a real segment: dnsmasq, kea and udhcpc in network namespaces that
each test makes and removes, with the watch started inside the client's.

They need root and the Debian packages tshark, dnsmasq, kea-dhcp4-server and
udhcpc; they are skipped only where neither root nor CI is at hand.
"""

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dhcpcheck.capture import read_frames
from dhcpcheck.lab.bench import Bench, Host, wait_output
from dhcpcheck.lab.links import add_bridge
from dhcpcheck.lab.netns import Lab, Process, namespaces
from dhcpcheck.lab.scenarios import SECOND_SERVER, SERVER, dnsmasq, kea, mac

WATCHER = Path(__file__).with_name("watcher.py")
CLIENT = mac(0x10)
DORA = ["discover", "offer", "request", "ack"]
WATCH_LIMIT = 60.0  # seconds any watch here may take, at the very most

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 and not os.environ.get("CI"),
    reason="namespaces need root (CI runs these as root)",
)

Record = dict[str, object]


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Bench]:
    """A lab with the segment `lan` (a bridge in the switch namespace)."""
    with Lab(tmp_path, f"dhw{os.getpid()}") as made:
        bench = Bench(made)
        add_bridge(made, bench.switch, "br-lan")
        yield bench
    assert not [name for name in namespaces() if name.startswith(made.tag)]


def start_watch(bench: Bench, host: Host, *arguments: str) -> Process:
    """Start the watcher in ``host``'s namespace; return once it captures."""
    argv = [sys.executable, str(WATCHER), *arguments]
    watcher = bench.lab.start(host.namespace, "watch", argv)
    wait_output(watcher, "capturing")
    return watcher


def lines(watcher: Process) -> list[Record]:
    """The JSON lines the watcher wrote (its log also holds its stderr)."""
    text = watcher.output().splitlines()
    return [json.loads(line) for line in text if line.startswith("{")]


def of_type(records: list[Record], kind: str) -> list[Record]:
    return [record for record in records if record["type"] == kind]


def test_a_dora_is_seen_live_and_ends_the_watch_once_bound(
    lab: Bench, tmp_path: Path
) -> None:
    dnsmasq(lab, lab.machine("srv", "lan", mac(1), str(SERVER)), ping=False)
    host = lab.machine("cli", "lan", CLIENT)
    saved = tmp_path / "seen.pcapng"
    watcher = start_watch(
        lab, host, "--until", "bound", "--duration", "30", "-w", str(saved), "eth0"
    )
    started = time.monotonic()
    lab.udhcpc(host)
    status = watcher.wait(WATCH_LIMIT)
    took = time.monotonic() - started

    records = lines(watcher)
    assert status == 0, watcher.output()
    assert took < 10
    (txn,) = of_type(records, "transaction")
    assert (txn["kind"], txn["outcome"], txn["client"]) == ("dora", "bound", CLIENT)
    assert (txn["server"], txn["source"]) == (str(SERVER.ip), "eth0")
    messages = txn["messages"]
    assert isinstance(messages, list)
    assert [message["type"] for message in messages] == DORA
    latency = txn["latency"]
    assert isinstance(latency, dict)
    assert 0 < latency["offer"] < 1
    assert 0 < latency["ack"] < 1
    assert 0 <= latency["request"] < 1
    assert latency["offer"] + latency["ack"] <= latency["total"] < 2

    (summary,) = of_type(records, "summary")
    assert summary["total"]["frames"] == 4  # type: ignore[index]
    frames = list(read_frames(str(saved)))
    assert [frame.number for frame in frames] == [1, 2, 3, 4]


def test_two_servers_answering_one_client_are_reported(lab: Bench) -> None:
    # dnsmasq checks the address with a ping before it offers; kea offers
    # at once, so udhcpc takes kea's offer and dnsmasq's comes 3 s later.
    dnsmasq(lab, lab.machine("srv", "lan", mac(1), str(SERVER)), authoritative=False)
    kea(lab, lab.machine("srv2", "lan", mac(2), str(SECOND_SERVER)))
    host = lab.machine("cli", "lan", CLIENT)
    watcher = start_watch(lab, host, "--duration", "8", "eth0")
    lab.udhcpc(host)
    status = watcher.wait(WATCH_LIMIT)

    records = lines(watcher)
    findings = of_type(records, "finding")
    (competing,) = [f for f in findings if f["name"] == "multiple-servers"]
    assert competing["severity"] == "warning"
    assert str(SERVER.ip) in str(competing["message"])
    assert str(SECOND_SERVER.ip) in str(competing["message"])
    (summary,) = of_type(records, "summary")
    assert summary["total"]["servers"] == 2  # type: ignore[index]
    offers = [
        message
        for txn in of_type(records, "transaction")
        for message in txn["messages"]  # type: ignore[attr-defined]
        if message["type"] == "offer"
    ]
    assert len({offer["source"] for offer in offers}) == 2
    errors = [f for f in findings if f["severity"] == "error"]
    assert status == (1 if errors else 0)


def test_no_lease_by_the_deadline_exits_1(lab: Bench) -> None:
    host = lab.machine("cli", "lan", CLIENT)
    watcher = start_watch(lab, host, "--until", "bound", "--duration", "4", "eth0")
    started = time.monotonic()
    lab.udhcpc(host)
    status = watcher.wait(WATCH_LIMIT)
    took = time.monotonic() - started

    assert status == 1
    assert 3 < took < 10
    records = lines(watcher)
    kinds = {(t["kind"], t["outcome"]) for t in of_type(records, "transaction")}
    assert kinds <= {("dora", "no-offer"), ("dora", "cut-off")}
    assert kinds
    (summary,) = of_type(records, "summary")
    assert summary["total"]["messages"] >= 2  # type: ignore[index]


def test_an_interface_that_does_not_exist_is_named(lab: Bench) -> None:
    host = lab.machine("cli", "lan", CLIENT)
    argv = [sys.executable, str(WATCHER), "--duration", "1", "eth9"]
    watcher = lab.lab.start(host.namespace, "watch", argv)
    assert watcher.wait(WATCH_LIMIT) == 2
    assert "error: no such interface: eth9" in watcher.output()
