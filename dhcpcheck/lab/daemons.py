"""Command lines and configuration files for the lab's servers, clients and relay.

Pure text: nothing here runs a program. Every file a program reads or writes
is named inside the scenario's work directory, never a default on the host.
"""

import json
import shlex
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

CAPTURE_FILTER = "udp port 67 or udp port 68"


@dataclass(frozen=True, slots=True)
class Pool:
    """Addresses a server leases on one subnet, and for how long (seconds).

    ``renew`` and ``rebind`` are T1 and T2; None leaves them to the server.
    """

    subnet: IPv4Network
    first: IPv4Address
    last: IPv4Address
    lease: int
    renew: int | None = None
    rebind: int | None = None


@dataclass(frozen=True, slots=True)
class Reservation:
    """A fixed address for one hardware address."""

    mac: str
    address: IPv4Address


@dataclass(frozen=True, slots=True)
class DnsmasqSettings:
    """What a dnsmasq server in the lab serves, and how."""

    pool: Pool
    interface: str = "eth0"
    authoritative: bool = True
    ping: bool = True  # ICMP-probe an address before offering it
    reservations: tuple[Reservation, ...] = ()


@dataclass(frozen=True, slots=True)
class Files:
    """The files of one program, all named ``NAME.*`` in the work directory."""

    workdir: Path
    name: str

    def _named(self, suffix: str) -> Path:
        return self.workdir / f"{self.name}.{suffix}"

    @property
    def conf(self) -> Path:
        """Its configuration file."""
        return self._named("conf")

    @property
    def leases(self) -> Path:
        """Its lease database."""
        return self._named("leases")

    @property
    def pid(self) -> Path:
        """Its pid file."""
        return self._named("pid")

    @property
    def script(self) -> Path:
        """A client's hook script."""
        return self._named("sh")

    @property
    def events(self) -> Path:
        """Where a client's hook script records event names, one a line."""
        return self._named("events")


def dnsmasq_conf(settings: DnsmasqSettings, files: Files) -> str:
    """Return a dnsmasq.conf that serves DHCP only, on one interface."""
    pool = settings.pool
    lines = [
        "port=0",  # no DNS service
        "no-resolv",
        "no-hosts",
        "user=root",  # stay root: the work directory is private to root
        f"interface={settings.interface}",
        "bind-interfaces",
        f"dhcp-range={pool.first},{pool.last},{pool.subnet.netmask},{pool.lease}",
        f"dhcp-leasefile={files.leases}",
        f"pid-file={files.pid}",
        "log-dhcp",
        "log-facility=-",
    ]
    lines += ["dhcp-authoritative"] * settings.authoritative
    lines += ["no-ping"] * (not settings.ping)
    lines += [f"dhcp-host={r.mac},{r.address}" for r in settings.reservations]
    return "\n".join(lines) + "\n"


def dnsmasq_argv(files: Files) -> list[str]:
    """Return the dnsmasq command line: in the foreground, our file only."""
    return ["dnsmasq", "--keep-in-foreground", f"--conf-file={files.conf}"]


def kea_conf(pool: Pool, interface: str = "eth0") -> str:
    """Return a kea-dhcp4 JSON configuration with an in-memory lease database."""
    subnet = {
        "subnet": str(pool.subnet),
        "pools": [{"pool": f"{pool.first} - {pool.last}"}],
    }
    timers = {"renew-timer": pool.renew, "rebind-timer": pool.rebind}
    dhcp4 = {
        "interfaces-config": {"interfaces": [interface], "dhcp-socket-type": "raw"},
        "lease-database": {"type": "memfile", "persist": False},
        "valid-lifetime": pool.lease,
        **{key: value for key, value in timers.items() if value is not None},
        "subnet4": [subnet],
        "loggers": [
            {
                "name": "kea-dhcp4",
                "output_options": [{"output": "stdout"}],
                "severity": "INFO",
            }
        ],
    }
    return json.dumps({"Dhcp4": dhcp4}, indent=2) + "\n"


def kea_argv(files: Files) -> list[str]:
    """Return the kea-dhcp4 command line."""
    return ["kea-dhcp4", "-c", str(files.conf)]


def kea_env(files: Files) -> dict[str, str]:
    """Return the environment that keeps kea's pid and lock files in the lab."""
    return {"KEA_PIDFILE_DIR": str(files.workdir), "KEA_LOCKFILE_DIR": "none"}


def hook_script(files: Files, configure: bool = False) -> str:
    """Return a client hook script that records each event name to ``files.events``.

    dhclient and dhcpcd pass the event in ``$reason``, udhcpc as ``$1``. With
    ``configure`` it also puts dhclient's address on its lab interface, which a
    client needs in order to unicast renewals; it changes nothing else.
    """
    lines = ["#!/bin/sh", f'echo "${{reason:-$1}}" >> {shlex.quote(str(files.events))}']
    if configure:
        lines += [
            'case "$reason" in',
            "BOUND|RENEW|REBIND|REBOOT)",
            '  ip -4 addr replace "$new_ip_address/$new_subnet_mask" \\',
            '    dev "$interface";;',
            "EXPIRE|FAIL|RELEASE|STOP)",
            '  ip -4 addr flush dev "$interface";;',
            "esac",
        ]
    return "\n".join(lines) + "\n"


DHCLIENT_CONF = """\
request subnet-mask, broadcast-address, time-offset, routers,
        domain-name, domain-name-servers, host-name, interface-mtu;
send host-name "{host}";
"""


def dhclient_conf(host: str, retry: int | None = None) -> str:
    """Return a dhclient.conf that asks for common options and sends a host name.

    ``retry`` caps the time between retransmissions at about that many seconds
    (the default grows to 15 s), so a short lease can pass through every state.
    """
    conf = DHCLIENT_CONF.format(host=host)
    if retry is not None:
        conf += f"initial-interval {retry};\nbackoff-cutoff {retry};\n"
    return conf


def dhclient_argv(files: Files, interface: str, release: bool = False) -> list[str]:
    """Return the dhclient command line, with every file in the lab.

    ``release`` gives ``dhclient -r``: release the lease and stop the dhclient
    whose pid file is ``files.pid``.
    """
    mode = "-r" if release else "-d"
    paths = ["-cf", str(files.conf), "-lf", str(files.leases)]
    paths += ["-pf", str(files.pid), "-sf", str(files.script)]
    return ["dhclient", "-4", mode, "-v", *paths, interface]


def udhcpc_argv(files: Files, interface: str, host: str) -> list[str]:
    """Return the udhcpc command line: foreground, exit once bound or given up."""
    # Five DISCOVERs two seconds apart; quit once bound, or fail.
    fixed = ["udhcpc", "-f", "-q", "-n", "-t", "5", "-T", "2"]
    return [*fixed, "-i", interface, "-s", str(files.script), "-x", f"hostname:{host}"]


DHCPCD_CONF = """\
hostname {host}
option domain_name_servers, domain_name, domain_search, host_name
option interface_mtu
noipv4ll
"""


def dhcpcd_conf(host: str) -> str:
    """Return a dhcpcd.conf with no IPv4LL fallback and no hooks of its own."""
    return DHCPCD_CONF.format(host=host)


# dhcpcd keeps its pid file, sockets and leases under fixed paths; a private
# mount namespace covers those with empty tmpfs so the host's stay untouched.
DHCPCD_DIRS = ("/run", "/var/lib/dhcpcd")


def dhcpcd_argv(
    files: Files, interface: str, inform: IPv4Interface | None = None
) -> list[str]:
    """Return the dhcpcd command line, one-shot, in its own mount namespace.

    ``inform`` makes it send INFORM for that address instead of asking for one.
    """
    mounts = " && ".join(f"mount -n -t tmpfs lab {d}" for d in DHCPCD_DIRS)
    dhcpcd = ["dhcpcd", "-4", "-B", "-1", "-d", "-t", "30"]
    dhcpcd += ["-f", str(files.conf), "-c", str(files.script)]
    dhcpcd += [f"--inform={inform}"] if inform else []
    private = ["unshare", "--mount", "--propagation", "private"]
    return [*private, "sh", "-c", f'{mounts} && exec "$@"', "sh", *dhcpcd, interface]


@dataclass(frozen=True, slots=True)
class RelaySettings:
    """A dhcrelay between a client-side and a server-side interface."""

    downstream: str
    upstream: str
    servers: tuple[IPv4Address, ...]


def dhcrelay_argv(settings: RelaySettings) -> list[str]:
    """Return the dhcrelay command line; ``-a`` adds option 82.

    dhcrelay fills the agent circuit ID with the name of the downstream
    interface the request came in on.
    """
    interfaces = ["-id", settings.downstream, "-iu", settings.upstream]
    servers = [str(server) for server in settings.servers]
    return ["dhcrelay", "-4", "-d", "-a", "--no-pid", *interfaces, *servers]


def tcpdump_argv(interface: str, output: Path) -> list[str]:
    """Return the capture command line: DHCP only, full frames, written per packet.

    ``-Z root`` keeps tcpdump from switching to a user that cannot write there.
    """
    fixed = ["tcpdump", "-n", "-U", "--immediate-mode", "-Z", "root"]
    return [*fixed, "-i", interface, "-w", str(output), CAPTURE_FILTER]
