"""The workbench a scenario is written against: segments, hosts and programs.

A switch namespace holds one bridge per segment; tcpdump on a bridge sees every
frame in the order the switch handled it. What to run, and when, is scenarios.py's.
"""

import shutil
import signal
import time
from dataclasses import dataclass
from ipaddress import IPv4Interface
from pathlib import Path

from dhcpcheck.lab import daemons
from dhcpcheck.lab.daemons import DnsmasqSettings, Files, Pool, RelaySettings
from dhcpcheck.lab.links import add_bridge, add_port, set_up
from dhcpcheck.lab.netns import Lab, LabError, Process, wait_until

READY_TIMEOUT = 10.0  # seconds for a server or capture to report it is ready
SETTLE = 0.5  # seconds to let the last frames of a step reach the capture


@dataclass(frozen=True, slots=True)
class Host:
    """A machine on the lab's segments: a namespace of its own."""

    role: str
    namespace: str


@dataclass(frozen=True, slots=True)
class Client:
    """A running DHCP client, where it runs, and the files it was given."""

    process: Process
    files: Files
    host: Host
    interface: str

    def events(self) -> list[str]:
        """Return the event names recorded so far, oldest first."""
        path = self.files.events
        return path.read_text().split() if path.exists() else []


@dataclass(frozen=True, slots=True)
class Capture:
    """A tcpdump recording one segment into ``NAME.pcap`` in the work directory."""

    name: str
    path: Path
    process: Process


class Bench:
    """Builds one scenario's network inside ``lab`` and records it."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.switch = lab.namespace("switch")
        self.captures: list[Capture] = []

    def _files(self, name: str) -> Files:
        return Files(self.lab.workdir, name)

    def segment(self, name: str, capture: str) -> None:
        """Create segment ``name`` and start recording it as ``CAPTURE.pcap``.

        A capture on a port of the bridge would see a flooded frame only after
        the ports before it, so a quick answer could come first; the bridge
        itself, in promiscuous mode, sees each frame as it is forwarded.
        """
        bridge = f"br-{name}"
        add_bridge(self.lab, self.switch, bridge)
        path = self.lab.workdir / f"{capture}.pcap"
        argv = daemons.tcpdump_argv(bridge, path)
        process = self.lab.start(self.switch, f"tcpdump-{capture}", argv)
        wait_output(process, "listening on")
        self.captures.append(Capture(capture, path, process))

    def host(self, role: str) -> Host:
        """Create the namespace of a new machine, with no interfaces yet."""
        return Host(role, self.lab.namespace(role))

    def plug(
        self,
        host: Host,
        segment: str,
        mac: str,
        address: str | None = None,
        interface: str = "eth0",
    ) -> None:
        """Connect ``host`` to ``segment`` by ``interface``, with that MAC."""
        bridge, port = f"br-{segment}", f"{segment}-{host.role}"
        add_port(self.lab, self.switch, bridge, port, host.namespace, interface)
        set_up(self.lab, host.namespace, interface, mac, address)

    def machine(
        self, role: str, segment: str, mac: str, address: str | None = None
    ) -> Host:
        """Create a host with one interface, eth0, on ``segment``."""
        host = self.host(role)
        self.plug(host, segment, mac, address)
        return host

    def dnsmasq(self, host: Host, settings: DnsmasqSettings) -> Process:
        """Start dnsmasq on ``host`` and wait until it serves DHCP."""
        files = self._files(f"dnsmasq-{host.role}")
        files.conf.write_text(daemons.dnsmasq_conf(settings, files))
        argv = daemons.dnsmasq_argv(files)
        process = self.lab.start(host.namespace, files.name, argv)
        wait_output(process, "DHCP, ")
        return process

    def kea(self, host: Host, pool: Pool) -> Process:
        """Start kea-dhcp4 on ``host`` and wait until it serves DHCP."""
        files = self._files(f"kea-{host.role}")
        files.conf.write_text(daemons.kea_conf(pool))
        argv, env = daemons.kea_argv(files), daemons.kea_env(files)
        process = self.lab.start(host.namespace, files.name, argv, env)
        wait_output(process, "DHCP4_STARTED")
        return process

    def dhcrelay(self, host: Host, settings: RelaySettings) -> Process:
        """Start dhcrelay on ``host`` and wait until it listens."""
        argv = daemons.dhcrelay_argv(settings)
        process = self.lab.start(host.namespace, f"dhcrelay-{host.role}", argv)
        wait_output(process, "Sending on")
        return process

    def dhclient(
        self, host: Host, leases: str = "", retry: int | None = None
    ) -> Client:
        """Start dhclient on ``host``'s eth0; ``leases`` is the lease file it
        finds, ``retry`` its longest wait between retransmissions."""
        files = self._client_files("dhclient", host, configure=True)
        files.conf.write_text(daemons.dhclient_conf(host.role, retry))
        files.leases.write_text(leases)
        argv = daemons.dhclient_argv(files, "eth0")
        return self._client(files, host, "eth0", argv)

    def release(self, client: Client) -> None:
        """Run ``dhclient -r``: it stops dhclient ``client`` and releases its lease."""
        argv = daemons.dhclient_argv(client.files, client.interface, release=True)
        process = self.lab.start(client.host.namespace, "dhclient-release", argv)
        process.wait(READY_TIMEOUT)

    def udhcpc(self, host: Host, interface: str = "eth0") -> Client:
        """Start udhcpc on ``host``; it exits once bound or after five tries."""
        files = self._client_files(f"udhcpc-{interface}", host)
        argv = daemons.udhcpc_argv(files, interface, host.role)
        return self._client(files, host, interface, argv)

    def dhcpcd(
        self, host: Host, inform: IPv4Interface | None = None, interface: str = "eth0"
    ) -> Client:
        """Start dhcpcd on ``host``, to lease an address or to INFORM ``inform``."""
        files = self._client_files("dhcpcd", host)
        files.conf.write_text(daemons.dhcpcd_conf(host.role))
        argv = daemons.dhcpcd_argv(files, interface, inform)
        return self._client(files, host, interface, argv)

    def _client(
        self, files: Files, host: Host, interface: str, argv: list[str]
    ) -> Client:
        process = self.lab.start(host.namespace, files.name, argv)
        return Client(process, files, host, interface)

    def _client_files(self, program: str, host: Host, configure: bool = False) -> Files:
        files = self._files(f"{program}-{host.role}")
        files.script.write_text(daemons.hook_script(files, configure))
        files.script.chmod(0o755)
        return files

    def block(self, rule: str) -> None:
        """Add an nftables rule to the switch's bridge forward chain."""
        nft = ["nft", "add"]
        self.lab.run_in(self.switch, [*nft, "table", "bridge", "lab"])
        chain = "{ type filter hook forward priority 0 ; }"
        self.lab.run_in(self.switch, [*nft, "chain", "bridge", "lab", "forward", chain])
        self.lab.run_in(self.switch, [*nft, "rule", "bridge", "lab", "forward", rule])

    def finish(self, out: Path) -> list[Path]:
        """Stop every capture and copy its file to ``out``; return the copies."""
        time.sleep(SETTLE)
        for capture in self.captures:
            capture.process.stop(signal.SIGINT)
        out.mkdir(parents=True, exist_ok=True)
        return [Path(shutil.copy(c.path, out / c.path.name)) for c in self.captures]


def wait_event(client: Client, event: str, timeout: float) -> None:
    """Wait until ``client``'s hook script has recorded ``event``.

    A client that exits without recording it fails at once, with its output.
    """
    name = client.process.name

    def recorded() -> bool:
        exited = not client.process.running()  # then all its events are written
        if event in client.events():
            return True
        if exited:
            raise LabError(f"{name} exited before {event}: {client.process.output()}")
        return False

    wait_until(recorded, timeout, f"{event} from {name}")


def wait_output(process: Process, text: str, timeout: float = READY_TIMEOUT) -> None:
    """Wait until ``process`` has printed ``text``; fail at once if it exits."""

    def ready() -> bool:
        exited = not process.running()  # then all its output is written
        if text in process.output():
            return True
        if exited:
            raise LabError(f"{process.name} exited: {process.output()[-500:]}")
        return False

    wait_until(ready, timeout, f"{process.name} to print {text!r}")
