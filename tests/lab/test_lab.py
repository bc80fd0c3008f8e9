"""The DHCP lab: its scenario table, the command lines and files it writes, the
samples it recorded, and real runs in network namespaces.

The runs need root and the Debian packages that .ci/run installs; they are
skipped only where neither root nor CI is at hand, never in CI.
"""

import json
import os
import re
import subprocess
from collections.abc import Callable
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

import pytest

from dhcpcheck.decode.ip import ChecksumStatus
from dhcpcheck.lab import daemons
from dhcpcheck.lab.bench import Bench
from dhcpcheck.lab.daemons import DnsmasqSettings, Files, Pool, Reservation
from dhcpcheck.lab.netns import LabError, check_ifname, namespaces
from dhcpcheck.lab.scenarios import (
    SCENARIOS,
    UDHCPC,
    Scenario,
    bound_client,
    dnsmasq,
    mac,
    record,
    remembered_lease,
    served_lan,
)
from dhcpcheck.lab.summary import Seen, messages, tally

SAMPLES = Path(__file__).parents[2] / "samples" / "lab"
WORKDIR = Path("/tmp/dhcpcheck-lab-test")
POOL = Pool(
    IPv4Network("192.0.2.0/24"),
    IPv4Address("192.0.2.100"),
    IPv4Address("192.0.2.149"),
    3600,
)
DORA = ["DISCOVER", "OFFER", "REQUEST", "ACK"]
ZERO = IPv4Address("0.0.0.0")

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 and not os.environ.get("CI"),
    reason="the lab needs root for network namespaces (CI runs it as root)",
)


def files(name: str = "prog") -> Files:
    return Files(WORKDIR, name)


# The scenario table


def test_table_holds_every_scenario_and_sample() -> None:
    written = sorted(name for s in SCENARIOS.values() for name in s.files)
    assert len(SCENARIOS) == 15
    assert written == sorted(path.name for path in SAMPLES.glob("*.pcap"))


def test_relay_writes_one_capture_per_side() -> None:
    assert SCENARIOS["relay"].files == (
        "relay-client-side.pcap",
        "relay-server-side.pcap",
    )


def test_every_scenario_is_described_in_its_docstring_and_the_readme() -> None:
    readme = (SAMPLES / "README.md").read_text()
    for scenario in SCENARIOS.values():
        assert scenario.summary.endswith(".")
        assert all(f"`{name}`" in readme for name in scenario.files)


def test_summary_joins_the_first_paragraph() -> None:
    rebind = SCENARIOS["rebind"].summary
    assert rebind.startswith("Unicast to the server is dropped from the first ACK")
    assert "\n" not in rebind and "  " not in rebind


def test_mac_addresses_come_from_the_documentation_range() -> None:
    assert mac(1) == "00:00:5e:00:53:01"
    assert mac(0x5F) == "00:00:5e:00:53:5f"


def test_remembered_lease_names_the_address_and_expires_later() -> None:
    lease = remembered_lease(IPv4Address("203.0.113.55"))
    assert "fixed-address 203.0.113.55;" in lease
    assert "expire 4 2037/12/31 00:00:00;" in lease


# Configuration files and command lines


def test_dnsmasq_conf_serves_dhcp_only_with_files_in_the_workdir() -> None:
    lines = daemons.dnsmasq_conf(DnsmasqSettings(POOL), files("dnsmasq")).split("\n")
    assert "port=0" in lines
    assert "dhcp-range=192.0.2.100,192.0.2.149,255.255.255.0,3600" in lines
    assert f"dhcp-leasefile={WORKDIR}/dnsmasq.leases" in lines
    assert f"pid-file={WORKDIR}/dnsmasq.pid" in lines
    assert "dhcp-authoritative" in lines
    assert "no-ping" not in lines


def test_dnsmasq_conf_turns_settings_into_lines() -> None:
    fixed = Reservation("00:00:5e:00:53:10", IPv4Address("192.0.2.150"))
    settings = DnsmasqSettings(
        POOL, authoritative=False, ping=False, reservations=(fixed,)
    )
    lines = daemons.dnsmasq_conf(settings, files()).split("\n")
    assert "dhcp-authoritative" not in lines
    assert "no-ping" in lines
    assert "dhcp-host=00:00:5e:00:53:10,192.0.2.150" in lines


def test_dnsmasq_argv_reads_only_the_lab_conf() -> None:
    assert daemons.dnsmasq_argv(files("d")) == [
        "dnsmasq",
        "--keep-in-foreground",
        f"--conf-file={WORKDIR}/d.conf",
    ]


@pytest.mark.parametrize(
    ("renew", "rebind", "timers"),
    [(None, None, {}), (10, 17, {"renew-timer": 10, "rebind-timer": 17})],
)
def test_kea_conf_sets_timers_only_when_given(
    renew: int | None, rebind: int | None, timers: dict[str, int]
) -> None:
    pool = Pool(POOL.subnet, POOL.first, POOL.last, 20, renew, rebind)
    dhcp4 = json.loads(daemons.kea_conf(pool))["Dhcp4"]
    assert dhcp4["valid-lifetime"] == 20
    assert {k: v for k, v in dhcp4.items() if k.endswith("-timer")} == timers
    assert dhcp4["lease-database"] == {"type": "memfile", "persist": False}
    assert dhcp4["subnet4"] == [
        {"subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.100 - 192.0.2.149"}]}
    ]


def test_kea_env_keeps_its_pid_file_in_the_workdir() -> None:
    assert daemons.kea_env(files())["KEA_PIDFILE_DIR"] == str(WORKDIR)


@pytest.mark.parametrize(("release", "mode"), [(False, "-d"), (True, "-r")])
def test_dhclient_argv_keeps_files_in_workdir(release: bool, mode: str) -> None:
    argv = daemons.dhclient_argv(files("dhc"), "eth0", release)
    assert argv[:4] == ["dhclient", "-4", mode, "-v"]
    assert argv[-1] == "eth0"
    flags = dict(zip(argv[4:-1:2], argv[5:-1:2], strict=True))
    assert flags == {
        "-cf": f"{WORKDIR}/dhc.conf",
        "-lf": f"{WORKDIR}/dhc.leases",
        "-pf": f"{WORKDIR}/dhc.pid",
        "-sf": f"{WORKDIR}/dhc.sh",
    }


def test_dhclient_conf_caps_retransmissions_only_when_asked() -> None:
    assert "backoff-cutoff" not in daemons.dhclient_conf("cli")
    tuned = daemons.dhclient_conf("cli", retry=2)
    assert 'send host-name "cli";' in tuned
    assert "initial-interval 2;\nbackoff-cutoff 2;\n" in tuned


def test_udhcpc_argv_quits_once_bound_and_uses_the_lab_script() -> None:
    argv = daemons.udhcpc_argv(files("u"), "mv3", "crowd")
    assert argv[:4] == ["udhcpc", "-f", "-q", "-n"]
    assert argv[argv.index("-i") + 1] == "mv3"
    assert argv[argv.index("-s") + 1] == f"{WORKDIR}/u.sh"
    assert argv[-1] == "hostname:crowd"


def test_dhcpcd_argv_covers_its_fixed_directories_before_starting() -> None:
    argv = daemons.dhcpcd_argv(files("p"), "eth0", IPv4Interface("192.0.2.50/24"))
    assert argv[:4] == ["unshare", "--mount", "--propagation", "private"]
    script = argv[argv.index("-c") + 1]
    assert script == (
        "mount -n -t tmpfs lab /run && mount -n -t tmpfs lab /var/lib/dhcpcd"
        ' && exec "$@"'
    )
    dhcpcd = argv[argv.index("dhcpcd") :]
    assert dhcpcd[-2:] == ["--inform=192.0.2.50/24", "eth0"]
    assert dhcpcd[dhcpcd.index("-f") + 1] == f"{WORKDIR}/p.conf"
    assert dhcpcd[dhcpcd.index("-c") + 1] == f"{WORKDIR}/p.sh"


def test_dhcrelay_argv_adds_option_82_between_named_interfaces() -> None:
    settings = daemons.RelaySettings("eth0", "eth1", (IPv4Address("198.51.100.2"),))
    assert daemons.dhcrelay_argv(settings) == [
        *["dhcrelay", "-4", "-d", "-a", "--no-pid"],
        *["-id", "eth0", "-iu", "eth1", "198.51.100.2"],
    ]


def test_tcpdump_argv_writes_dhcp_frames_as_they_come() -> None:
    argv = daemons.tcpdump_argv("br-lan", WORKDIR / "x.pcap")
    assert {"-U", "--immediate-mode"} <= set(argv)
    assert argv[argv.index("-w") + 1] == f"{WORKDIR}/x.pcap"
    assert argv[-1] == "udp port 67 or udp port 68"
    assert "-s" not in argv  # the default snap length keeps whole frames


@pytest.mark.parametrize(
    ("env", "args", "event"),
    [({"reason": "BOUND"}, [], "BOUND"), ({}, ["bound"], "bound")],
    ids=["dhclient-and-dhcpcd", "udhcpc"],
)
def test_hook_script_records_the_event(
    tmp_path: Path, env: dict[str, str], args: list[str], event: str
) -> None:
    hook = Files(tmp_path, "cli")
    hook.script.write_text(daemons.hook_script(hook))
    for _ in range(2):
        subprocess.run(["sh", str(hook.script), *args], env=env, check=True)
    assert hook.events.read_text() == f"{event}\n{event}\n"


def test_hook_script_configures_only_the_client_interface_when_asked() -> None:
    plain = daemons.hook_script(files())
    assert " ip " not in plain
    commands = re.findall(r"ip -4 addr \w+", daemons.hook_script(files(), True))
    assert commands == ["ip -4 addr replace", "ip -4 addr flush"]


@pytest.mark.parametrize("name", ["", "sixteen-chars-xx", "a/b", "a b"])
def test_check_ifname_refuses_names_the_kernel_refuses(name: str) -> None:
    with pytest.raises(ValueError, match="bad interface name"):
        check_ifname(name)


def test_check_ifname_accepts_fifteen_characters() -> None:
    assert check_ifname("fifteen-chars-x") == "fifteen-chars-x"


# Reading captures


def seen(kind: str, xid: int = 1, checksum: ChecksumStatus = ChecksumStatus.OK) -> Seen:
    return Seen(xid, kind, checksum, True, ZERO, ZERO, False)


def test_tally_counts_kinds_in_order_and_xids() -> None:
    listed = [seen("DISCOVER"), seen("OFFER"), seen("DISCOVER", 2)]
    assert tally(listed) == "DISCOVER 2, OFFER 1 (2 xids)"


def test_tally_names_checksums_that_are_not_ok() -> None:
    listed = [seen("INFORM"), seen("ACK", checksum=ChecksumStatus.BAD)]
    assert tally(listed) == "INFORM 1, ACK 1 (1 xid), 1 UDP checksums bad"


# The recorded samples


def kinds(listed: list[Seen]) -> list[str]:
    return [message.kind for message in listed]


def follows(expected: list[str], actual: list[str]) -> bool:
    """True when ``expected`` occurs in ``actual`` in order, gaps allowed."""
    rest = iter(actual)
    return all(kind in rest for kind in expected)


def renewed(listed: list[Seen]) -> bool:
    return any(
        m.kind == "REQUEST" and not m.broadcast and m.ciaddr != ZERO for m in listed
    )


def rebound(listed: list[Seen]) -> bool:
    last = [m for m in listed if m.kind == "REQUEST"][-1]
    return renewed(listed) and last.broadcast and last.ciaddr != ZERO


def relayed(listed: list[Seen]) -> bool:
    return all(m.giaddr != ZERO and m.agent for m in listed)


def crowd(listed: list[Seen]) -> bool:
    by_xid: dict[int, list[str]] = {}
    for message in listed:
        by_xid.setdefault(message.xid, []).append(message.kind)
    return len(by_xid) == 32 and all(follows(DORA, ks) for ks in by_xid.values())


SAMPLE_CHECKS: dict[str, Callable[[list[Seen]], bool]] = {
    "dora-dnsmasq-dhclient.pcap": lambda s: kinds(s) == DORA,
    "dora-dnsmasq-udhcpc.pcap": lambda s: follows(DORA, kinds(s)),
    "dora-dnsmasq-dhcpcd.pcap": lambda s: kinds(s) == DORA,
    "dora-kea-dhclient.pcap": lambda s: kinds(s) == DORA,
    "renew.pcap": lambda s: follows([*DORA, "REQUEST", "ACK"], kinds(s)) and renewed(s),
    "rebind.pcap": lambda s: (
        follows([*DORA, "REQUEST", "ACK"], kinds(s)) and rebound(s)
    ),
    "nak.pcap": lambda s: follows(["REQUEST", "NAK", *DORA], kinds(s)),
    "release.pcap": lambda s: kinds(s) == [*DORA, "RELEASE"] and s[-1].ciaddr != ZERO,
    "inform.pcap": lambda s: kinds(s) == ["INFORM", "ACK"] and s[0].ciaddr != ZERO,
    "decline.pcap": lambda s: follows([*DORA, "DECLINE", *DORA], kinds(s)),
    "two-servers.pcap": lambda s: kinds(s) == [*DORA, "OFFER"],
    "two-servers-nak.pcap": lambda s: kinds(s) == [*DORA, "OFFER", "NAK"],
    "relay-client-side.pcap": lambda s: (
        kinds(s) == DORA and not any(m.agent for m in s)
    ),
    "relay-server-side.pcap": lambda s: kinds(s) == DORA and relayed(s),
    "no-server.pcap": lambda s: set(kinds(s)) == {"DISCOVER"} and len(s) >= 3,
    "many-clients.pcap": crowd,
}


@pytest.mark.parametrize("name", sorted(SAMPLE_CHECKS))
def test_sample_shows_its_exchange(name: str) -> None:
    listed = messages(SAMPLES / name)
    assert SAMPLE_CHECKS[name](listed), tally(listed)
    assert {m.checksum for m in listed} == {ChecksumStatus.OK}


def test_samples_stay_small() -> None:
    assert sum(path.stat().st_size for path in SAMPLES.glob("*.pcap")) < 200_000


# Real runs


def leftovers(commands: list[str]) -> list[str]:
    """Namespaces of this process's labs and processes of the traced run that
    still exist, and the run's work directory if it does."""
    tag = f"dhlab{os.getpid()}-"
    left = [name for name in namespaces() if name.startswith(tag)]
    workdirs = set(re.findall(r"/tmp/dhcpcheck-lab-\w+", " ".join(commands)))
    assert len(workdirs) == 1, workdirs
    workdir = workdirs.pop()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # the process ended while being read
        left += [text] if workdir in text else []
    return left + [workdir] * Path(workdir).exists()


@needs_root
def test_udhcpc_dora_is_recorded_and_nothing_is_left(tmp_path: Path) -> None:
    commands: list[str] = []
    paths = record(SCENARIOS["dora-dnsmasq-udhcpc"], tmp_path, commands.append)

    assert paths == [tmp_path / "dora-dnsmasq-udhcpc.pcap"]
    listed = messages(paths[0])
    by_xid: dict[int, list[str]] = {}
    for message in listed:
        by_xid.setdefault(message.xid, []).append(message.kind)
    assert [xid for xid, ks in by_xid.items() if follows(DORA, ks)], tally(listed)
    assert {m.checksum for m in listed} == {ChecksumStatus.OK}
    assert leftovers(commands) == []


def broken(bench: Bench, name: str) -> None:
    """A server and a client start, then a step fails."""
    served_lan(bench, name, dnsmasq)
    bound_client(bench, UDHCPC)
    raise LabError("planned failure")


@needs_root
def test_a_failing_scenario_leaves_nothing_behind(tmp_path: Path) -> None:
    commands: list[str] = []
    with pytest.raises(LabError, match="planned failure"):
        record(Scenario("broken", broken), tmp_path, commands.append)

    assert any(" dnsmasq " in command for command in commands)
    assert list(tmp_path.iterdir()) == []
    assert leftovers(commands) == []
