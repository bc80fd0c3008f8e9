"""The lab scenarios recorded at several points, run for real: what `trace`
must find in them, and that nothing is left behind.

They need root and dhclient, dhcrelay, nftables and tcpdump; outside CI,
without them, the runs are skipped and the recorded samples stand in
(test_follow). In CI (CI set) they always run: a missing tool fails.
"""

import os
import shutil
from pathlib import Path

import pytest

from dhcpcheck.capture import read_frames
from dhcpcheck.lab.netns import namespaces
from dhcpcheck.lab.paths import DROP_OFFER, SCENARIOS
from dhcpcheck.lab.scenarios import record
from dhcpcheck.trace.follow import follow
from dhcpcheck.trace.model import Trace
from dhcpcheck.trace.points import collect

PROGRAMS = ("tcpdump", "dnsmasq", "dhclient", "dhcrelay", "nft", "ethtool", "ip")
SAMPLES = Path(__file__).parents[2] / "samples" / "trace"
missing = [program for program in PROGRAMS if shutil.which(program) is None]
needs_lab = pytest.mark.skipif(
    not os.environ.get("CI") and (os.geteuid() != 0 or bool(missing)),
    reason=f"needs root and {', '.join(PROGRAMS)} (missing: {missing or 'root'})",
)


def test_every_capture_of_the_table_is_a_sample() -> None:
    written = sorted(name for s in SCENARIOS.values() for name in s.files)
    assert written == sorted(path.name for path in SAMPLES.glob("*.pcap"))
    readme = (SAMPLES / "README.md").read_text()
    assert all(f"`{name}`" in readme for name in written)
    assert all(scenario.summary.endswith(".") for scenario in SCENARIOS.values())


def test_the_switch_drops_offers_to_the_client_port_only() -> None:
    assert DROP_OFFER.startswith('oifname "lan-cli" udp dport 68 ')
    assert "@th,1984,24 0x350102" in DROP_OFFER  # option 53 = 2, first option
    assert DROP_OFFER.endswith(" counter drop")


def recorded(name: str, out: Path) -> Trace:
    paths = record(SCENARIOS[name], out)
    points = [
        collect(path.stem.removeprefix(f"{name}-"), str(path), read_frames(str(path)))
        for path in paths
    ]
    assert not [n for n in namespaces() if n.startswith(f"dhlab{os.getpid()}-")]
    return follow(points)


@needs_lab
def test_lost_offer_dies_between_bridge_and_client(tmp_path: Path) -> None:
    trace = recorded("lost-offer", tmp_path)
    assert trace.order.points == ("client", "bridge", "server")
    assert trace.order.certain
    (path,) = trace.lost
    assert (path.lost_after, path.never_on) == ("bridge", "client")


@needs_lab
def test_relay_path_is_followed_through_the_relay(tmp_path: Path) -> None:
    trace = recorded("relay-path", tmp_path)
    assert trace.order.points == ("client-side", "relay", "server-side")
    assert trace.lost == ()
    (txn,) = trace.transactions
    relay = [path.track.at("relay") for path in txn.paths]
    assert [len(p.sightings) if p else 0 for p in relay] == [2, 2, 2, 2]
