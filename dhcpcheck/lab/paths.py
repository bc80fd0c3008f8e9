"""Lab scenarios recorded at several points at once, for `dhcpcheck trace`.

Each capture point is one tcpdump: on a host's interface, on a bridge, or on
all of a host's interfaces (`-i any`, Linux cooked v2). All write nanosecond
stamps from the one kernel clock, so the true clock offsets are zero.
"""

from ipaddress import IPv4Network

from dhcpcheck.lab import daemons
from dhcpcheck.lab.bench import Bench, Capture, Host, wait_event, wait_output
from dhcpcheck.lab.daemons import DnsmasqSettings, RelaySettings
from dhcpcheck.lab.links import add_bridge
from dhcpcheck.lab.netns import wait_until
from dhcpcheck.lab.scenarios import (
    BIND_TIMEOUT,
    DNSMASQ_POOL,
    LAN,
    RELAY_DOWN,
    RELAY_UP,
    RELAYED_SERVER,
    SERVER,
    Scenario,
    mac,
)

# The first option of a dnsmasq reply, 240 bytes into the BOOTP message and so
# 248 bytes into the UDP header: option 53, length 1, OFFER.
OFFER_FIRST = "@th,1984,24 0x350102"
CLIENT_PORT = "lan-cli"  # the switch's end of the client's veth pair
DROP_OFFER = f'oifname "{CLIENT_PORT}" udp dport 68 {OFFER_FIRST} counter drop'
RETRY = 4  # dhclient's longest wait between DISCOVERs, seconds


def capture(
    bench: Bench, namespace: str, interface: str, name: str, cooked: bool = False
) -> None:
    """Record ``interface`` of ``namespace`` into ``NAME.pcap``, nanosecond
    stamps; ``cooked`` asks for Linux cooked v2 headers, as `-i any` gives."""
    path = bench.lab.workdir / f"{name}.pcap"
    tcpdump, *rest = daemons.tcpdump_argv(interface, path)
    extra = ["--time-stamp-precision=nano", *(["-y", "LINUX_SLL2"] * cooked)]
    process = bench.lab.start(namespace, f"tcpdump-{name}", [tcpdump, *extra, *rest])
    wait_output(process, "listening on")
    bench.captures.append(Capture(name, path, process))


def lost_offer(bench: Bench, name: str) -> None:
    """The switch drops the first OFFER on its way to the client; recorded on
    the client's eth0, on the bridge and on all of the server's interfaces.

    The bridge records a frame as it takes it in, before its forward chain
    drops it. Once one OFFER is dropped the rule goes, so the retransmitted
    DISCOVER gets an OFFER through and the client binds.
    """
    add_bridge(bench.lab, bench.switch, "br-lan")
    server = bench.machine("srv", "lan", mac(1), str(SERVER))
    client = bench.machine("cli", "lan", mac(0x10))
    capture(bench, client.namespace, "eth0", f"{name}-client")
    capture(bench, bench.switch, "br-lan", f"{name}-bridge")
    capture(bench, server.namespace, "any", f"{name}-server", cooked=True)
    bench.block(DROP_OFFER)
    bench.dnsmasq(server, DnsmasqSettings(DNSMASQ_POOL, ping=False))
    dhclient = bench.dhclient(client, retry=RETRY)
    wait_until(lambda: dropped(bench), BIND_TIMEOUT, "the first OFFER to be dropped")
    bench.lab.run_in(bench.switch, ["nft", "delete", "table", "bridge", "lab"])
    wait_event(dhclient, "BOUND", BIND_TIMEOUT)


def dropped(bench: Bench) -> bool:
    """True once the switch's drop rule has counted a packet."""
    chain = ["nft", "list", "chain", "bridge", "lab", "forward"]
    return "counter packets 0 " not in bench.lab.run_in(bench.switch, chain)


def relay_path(bench: Bench, name: str) -> None:
    """DORA through dhcrelay, recorded on the client's segment, on all of the
    relay's interfaces (each message twice: in and out) and on the server's
    segment."""
    add_bridge(bench.lab, bench.switch, "br-lan")
    add_bridge(bench.lab, bench.switch, "br-wan")
    relay = bench.machine("relay", "lan", mac(3), str(RELAY_DOWN))
    bench.plug(relay, "wan", mac(4), str(RELAY_UP), "eth1")
    server = bench.machine("srv", "wan", mac(1), str(RELAYED_SERVER))
    client = bench.machine("cli", "lan", mac(0x10))
    capture(bench, bench.switch, "br-lan", f"{name}-client-side")
    capture(bench, relay.namespace, "any", f"{name}-relay", cooked=True)
    capture(bench, bench.switch, "br-wan", f"{name}-server-side")
    route(bench, server, LAN)
    bench.dnsmasq(server, DnsmasqSettings(DNSMASQ_POOL, ping=False))
    bench.dhcrelay(relay, RelaySettings("eth0", "eth1", (RELAYED_SERVER.ip,)))
    wait_event(bench.dhclient(client), "BOUND", BIND_TIMEOUT)


def route(bench: Bench, host: Host, network: IPv4Network) -> None:
    """Route ``network`` from ``host`` through the relay's server-side address."""
    add = ["ip", "-n", host.namespace, "route", "add", str(network)]
    bench.lab.run([*add, "via", str(RELAY_UP.ip)])


def _points(name: str, *points: str) -> tuple[str, ...]:
    return tuple(f"{name}-{point}" for point in points)


SCENARIOS = {
    scenario.name: scenario
    for scenario in (
        Scenario(
            "lost-offer",
            lost_offer,
            _points("lost-offer", "client", "bridge", "server"),
        ),
        Scenario(
            "relay-path",
            relay_path,
            _points("relay-path", "client-side", "relay", "server-side"),
        ),
    )
}
