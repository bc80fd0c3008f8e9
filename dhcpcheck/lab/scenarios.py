"""The lab's scenarios: one table entry per recorded exchange, and its steps.

Addresses come from the documentation ranges (RFC 5737, RFC 7042), so no
sample names a network that exists; timeouts bound every wait.
"""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path
from tempfile import TemporaryDirectory

from dhcpcheck.lab.bench import Bench, Client, Host, wait_event
from dhcpcheck.lab.daemons import DnsmasqSettings, Pool, RelaySettings, Reservation
from dhcpcheck.lab.links import add_macvlan, set_up
from dhcpcheck.lab.netns import Lab, Process

LAN = IPv4Network("192.0.2.0/24")
SERVER = IPv4Interface("192.0.2.1/24")
SECOND_SERVER = IPv4Interface("192.0.2.2/24")
RELAY_DOWN = IPv4Interface("192.0.2.1/24")
RELAY_UP = IPv4Interface("198.51.100.1/24")
RELAYED_SERVER = IPv4Interface("198.51.100.2/24")
INFORMING = IPv4Interface("192.0.2.50/24")
SQUATTED = IPv4Address("192.0.2.150")
ELSEWHERE = IPv4Address("203.0.113.55")  # an address from no lab subnet
CROWD = 32

DNSMASQ_POOL = Pool(LAN, IPv4Address("192.0.2.100"), IPv4Address("192.0.2.149"), 3600)
KEA_POOL = Pool(LAN, IPv4Address("192.0.2.200"), IPv4Address("192.0.2.249"), 3600)
# Lease 20 s, T1 10 s, T2 17 s: a renewal and a rebinding within half a minute.
SHORT_POOL = Pool(KEA_POOL.subnet, KEA_POOL.first, KEA_POOL.last, 20, 10, 17)

# dhclient's renewals back off past T2 and the 3 s left to expiry; this keeps
# them about two seconds apart so that one falls between T2 and expiry.
REBIND_RETRY = 2
BIND_TIMEOUT = 20.0  # seconds for a first lease
NO_SERVER_TIME = 25.0  # seconds a lonely client goes on DISCOVERing
PING_WAIT = 4.0  # dnsmasq waits up to 3 s for an echo reply before it offers

Step = Callable[[Bench, str], None]
StartServer = Callable[[Bench, Host], Process]


def mac(number: int) -> str:
    """Return MAC number ``number`` of the documentation range 00:00:5e:00:53:xx."""
    return f"00:00:5e:00:53:{number:02x}"


@dataclass(frozen=True, slots=True)
class ClientKind:
    """How to start one DHCP client program, and the event it records once bound."""

    start: Callable[[Bench, Host], Client]
    bound: str


DHCLIENT = ClientKind(lambda bench, host: bench.dhclient(host), "BOUND")
UDHCPC = ClientKind(lambda bench, host: bench.udhcpc(host), "bound")
DHCPCD = ClientKind(lambda bench, host: bench.dhcpcd(host), "BOUND")


def dnsmasq(
    bench: Bench, host: Host, ping: bool = True, authoritative: bool = True
) -> Process:
    """Start dnsmasq leasing DNSMASQ_POOL; ``ping`` checks that an address is
    unused before offering it, as dnsmasq does by default."""
    settings = DnsmasqSettings(DNSMASQ_POOL, authoritative=authoritative, ping=ping)
    return bench.dnsmasq(host, settings)


def kea(bench: Bench, host: Host, pool: Pool = KEA_POOL) -> Process:
    """Start kea-dhcp4 leasing ``pool``."""
    return bench.kea(host, pool)


def served_lan(bench: Bench, capture: str, server: StartServer) -> Process:
    """Build the recorded segment ``lan`` with one server on it; return that."""
    bench.segment("lan", capture)
    return server(bench, bench.machine("srv", "lan", mac(1), str(SERVER)))


def bound_client(bench: Bench, kind: ClientKind = DHCLIENT) -> Client:
    """Start a client on ``lan`` and wait until it holds a lease."""
    client = kind.start(bench, bench.machine("cli", "lan", mac(0x10)))
    wait_event(client, kind.bound, BIND_TIMEOUT)
    return client


def dora(server: StartServer, kind: ClientKind, bench: Bench, name: str) -> None:
    """A client's first lease: DISCOVER, OFFER, REQUEST, ACK."""
    served_lan(bench, name, server)
    bound_client(bench, kind)


def renew(bench: Bench, name: str) -> None:
    """At T1 the client unicasts a REQUEST with ciaddr set; the server ACKs."""
    served_lan(bench, name, partial(kea, pool=SHORT_POOL))
    client = bound_client(bench)
    wait_event(client, "RENEW", SHORT_POOL.lease)


def rebind(bench: Bench, name: str) -> None:
    """Unicast to the server is dropped from the first ACK on, so renewals go
    unanswered, and after T2 the client broadcasts its REQUEST."""
    served_lan(bench, name, partial(kea, pool=SHORT_POOL))
    host = bench.machine("cli", "lan", mac(0x10))
    client = bench.dhclient(host, retry=REBIND_RETRY)
    wait_event(client, "BOUND", BIND_TIMEOUT)
    rule = f'oifname "lan-srv" ip daddr {SERVER.ip} udp dport 67 counter drop'
    bench.block(rule)
    # Only the broadcast can be answered; dhclient still calls that ACK RENEW.
    wait_event(client, "RENEW", SHORT_POOL.lease)


def nak(bench: Bench, name: str) -> None:
    """INIT-REBOOT from a remembered lease on another subnet: the server NAKs,
    then the client starts over with DISCOVER."""
    served_lan(bench, name, dnsmasq)
    host = bench.machine("cli", "lan", mac(0x10))
    client = bench.dhclient(host, leases=remembered_lease(ELSEWHERE))
    wait_event(client, "BOUND", BIND_TIMEOUT)


def remembered_lease(address: IPv4Address) -> str:
    """Return a dhclient lease file holding an unexpired lease on ``address``."""
    later = "4 2037/12/31 00:00:00"
    return (
        "lease {\n"
        '  interface "eth0";\n'
        f"  fixed-address {address};\n"
        "  option subnet-mask 255.255.255.0;\n"
        f"  renew {later};\n  rebind {later};\n  expire {later};\n"
        "}\n"
    )


def release(bench: Bench, name: str) -> None:
    """A lease, then ``dhclient -r``: a RELEASE unicast to the server."""
    served_lan(bench, name, dnsmasq)
    client = bound_client(bench)
    bench.release(client)
    wait_event(client, "RELEASE", BIND_TIMEOUT)


def inform(bench: Bench, name: str) -> None:
    """dhcpcd with a fixed address asks for its options only: INFORM, ACK."""
    served_lan(bench, name, dnsmasq)
    host = bench.machine("cli", "lan", mac(0x10))
    client = bench.dhcpcd(host, inform=INFORMING)
    wait_event(client, "INFORM", BIND_TIMEOUT)


def decline(bench: Bench, name: str) -> None:
    """The server leases an address another host already uses; dhcpcd's ARP
    probe finds it, and the client sends DECLINE and starts over."""
    reserved = Reservation(mac(0x10), SQUATTED)
    settings = DnsmasqSettings(DNSMASQ_POOL, ping=False, reservations=(reserved,))
    served_lan(bench, name, lambda b, h: b.dnsmasq(h, settings))
    bench.machine("squatter", "lan", mac(0x20), f"{SQUATTED}/24")
    client = bench.dhcpcd(bench.machine("cli", "lan", mac(0x10)))
    # dhcpcd runs no hook for the declined lease: BOUND is for the next one.
    wait_event(client, "BOUND", 2 * BIND_TIMEOUT)


def two_servers(bench: Bench, name: str) -> None:
    """dnsmasq and kea on one segment: kea OFFERs at once and the client takes
    it; dnsmasq's OFFER comes 3 s later, after its ping check."""
    rivals(bench, name, authoritative=False)


def two_servers_nak(bench: Bench, name: str) -> None:
    """As two-servers, but dnsmasq is authoritative: after kea's ACK it answers
    the REQUEST meant for kea with a NAK ("wrong server-ID" in its log)."""
    rivals(bench, name, authoritative=True)


def rivals(bench: Bench, name: str, authoritative: bool) -> None:
    """Run dnsmasq and kea on one segment, then a client, until both answered."""
    served_lan(bench, name, partial(dnsmasq, authoritative=authoritative))
    kea(bench, bench.machine("srv2", "lan", mac(2), str(SECOND_SERVER)))
    bound_client(bench)
    time.sleep(PING_WAIT)


def relay(bench: Bench, name: str) -> None:
    """dhcrelay forwards from the client's segment to a server on another one,
    adding option 82 with the circuit ID "eth0"; both segments are recorded."""
    bench.segment("lan", f"{name}-client-side")
    bench.segment("wan", f"{name}-server-side")
    relay_host = bench.machine("relay", "lan", mac(3), str(RELAY_DOWN))
    bench.plug(relay_host, "wan", mac(4), str(RELAY_UP), "eth1")
    server = bench.machine("srv", "wan", mac(1), str(RELAYED_SERVER))
    route = ["ip", "-n", server.namespace, "route", "add", str(LAN)]
    bench.lab.run([*route, "via", str(RELAY_UP.ip)])
    bench.dnsmasq(server, DnsmasqSettings(DNSMASQ_POOL))
    bench.dhcrelay(relay_host, RelaySettings("eth0", "eth1", (RELAYED_SERVER.ip,)))
    bound_client(bench)


def no_server(bench: Bench, name: str) -> None:
    """A client alone on its segment: DISCOVER after DISCOVER, no answer."""
    bench.segment("lan", name)
    bench.dhclient(bench.machine("cli", "lan", mac(0x10)))
    time.sleep(NO_SERVER_TIME)


def many_clients(bench: Bench, name: str) -> None:
    """Thirty-two clients start at once, each on a macvlan of one host."""
    # dnsmasq waits for its ping of each new address, one at a time: with the
    # check on, most clients give up before their turn comes.
    served_lan(bench, name, partial(dnsmasq, ping=False))
    crowd = bench.machine("crowd", "lan", mac(0x3F))
    clients = [crowd_client(bench, crowd, number) for number in range(CROWD)]
    for client in clients:
        wait_event(client, "bound", BIND_TIMEOUT)


def crowd_client(bench: Bench, crowd: Host, number: int) -> Client:
    """Start udhcpc on a new macvlan ``mvNUMBER`` of the crowd's eth0."""
    interface = f"mv{number}"
    add_macvlan(bench.lab, crowd.namespace, "eth0", interface)
    set_up(bench.lab, crowd.namespace, interface, mac(0x40 + number))
    return bench.udhcpc(crowd, interface)


@dataclass(frozen=True, slots=True)
class Scenario:
    """One recorded exchange: its name, what it shows, how to run it, and the
    captures it writes (``NAME.pcap`` unless told)."""

    name: str
    steps: Step
    captures: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        """The names of the pcap files this scenario writes."""
        return tuple(f"{c}.pcap" for c in self.captures or (self.name,))

    @property
    def summary(self) -> str:
        """The first paragraph of the steps' docstring, on one line."""
        steps = self.steps.func if isinstance(self.steps, partial) else self.steps
        return " ".join((steps.__doc__ or "").split("\n\n")[0].split())


SCENARIOS = {
    scenario.name: scenario
    for scenario in (
        Scenario("dora-dnsmasq-dhclient", partial(dora, dnsmasq, DHCLIENT)),
        Scenario("dora-dnsmasq-udhcpc", partial(dora, dnsmasq, UDHCPC)),
        Scenario("dora-dnsmasq-dhcpcd", partial(dora, dnsmasq, DHCPCD)),
        Scenario("dora-kea-dhclient", partial(dora, kea, DHCLIENT)),
        Scenario("renew", renew),
        Scenario("rebind", rebind),
        Scenario("nak", nak),
        Scenario("release", release),
        Scenario("inform", inform),
        Scenario("decline", decline),
        Scenario("two-servers", two_servers),
        Scenario("two-servers-nak", two_servers_nak),
        Scenario("relay", relay, ("relay-client-side", "relay-server-side")),
        Scenario("no-server", no_server),
        Scenario("many-clients", many_clients),
    )
}


def record(
    scenario: Scenario, out: Path, trace: Callable[[str], object] = lambda _: None
) -> list[Path]:
    """Run ``scenario`` in a fresh lab and copy its captures into ``out``.

    Namespaces are tagged with this process's id, so concurrent runs never
    share one; everything is removed before this returns, or raises.
    """
    tag = f"dhlab{os.getpid()}"
    with (
        TemporaryDirectory(prefix="dhcpcheck-lab-") as workdir,
        Lab(Path(workdir), tag, trace) as lab,
    ):
        bench = Bench(lab)
        scenario.steps(bench, scenario.name)
        return bench.finish(out)
