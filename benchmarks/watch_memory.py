"""Memory of a long live capture: steady DHCP traffic in lab namespaces, a
watch on the client's segment, and the resident set size of every process of
the watch printed over time. Needs root; removes everything it made.

    python benchmarks/watch_memory.py [--minutes 3] [--rate 50] [--role watch]...

Roles: `watch` runs `watch --format jsonl` (capture and pipeline),
`dashboard` runs `watch` with its board drawn to a null terminal, `capture`
only takes the frames, `pyshark` takes them through pyshark's LiveCapture
(dumpcap into tshark -T json) for comparison. Given `--role` more than once,
the roles watch the same traffic side by side, each in its own process. The
traffic is DISCOVERs from `--clients` MAC addresses in turn, each with a new
xid, which dnsmasq OFFERs.
"""

import argparse
import os
import random
import socket
import sys
import time
from collections.abc import Iterator
from ipaddress import IPv4Address
from pathlib import Path
from tempfile import TemporaryDirectory

from rich.console import Console

from dhcpcheck.capture.live import CAPTURE_FILTER, Limits, LiveCapture
from dhcpcheck.config import load_config
from dhcpcheck.craft import options as opt
from dhcpcheck.craft.bootp import Bootp, BootpFlag
from dhcpcheck.craft.ip import udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.decode.options import MessageType
from dhcpcheck.lab.bench import Bench
from dhcpcheck.lab.daemons import DnsmasqSettings, Pool
from dhcpcheck.lab.links import add_bridge
from dhcpcheck.lab.netns import Lab, Process
from dhcpcheck.lab.scenarios import LAN, SERVER, mac
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.dashboard import Dashboard, Goal, JsonLines, Timeline, watch
from dhcpcheck.rules.base import Severity

SCRIPT = Path(__file__).resolve()
POOL = Pool(LAN, IPv4Address("192.0.2.10"), IPv4Address("192.0.2.250"), 3600)
SAMPLE_EVERY = 15.0  # seconds between two looks at the processes
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--rate", type=float, default=50.0, help="DISCOVERs a second")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--role", dest="roles", action="append", choices=sorted(INSIDE))
    parser.add_argument("--inside", choices=[*sorted(INSIDE), "send"])
    args = parser.parse_args()
    args.roles = args.roles or ["watch"]
    if args.inside == "send":
        send(args.rate, args.minutes * 60, args.clients)
    elif args.inside is not None:
        INSIDE[args.inside](args.minutes * 60)
    else:
        measure(args)


def measure(args: argparse.Namespace) -> dict[str, list[tuple[float, float]]]:
    """Build the lab, run the traffic and a watch for each role, print RSS as
    it goes; return each role's samples: seconds since the start, MiB of its
    Python process."""
    seconds = args.minutes * 60
    with (
        TemporaryDirectory(prefix="dhcpcheck-bench-") as workdir,
        Lab(Path(workdir), f"dhb{os.getpid()}") as lab,
    ):
        bench = Bench(lab)
        add_bridge(lab, bench.switch, "br-lan")
        server = bench.machine("srv", "lan", mac(1), str(SERVER))
        bench.dnsmasq(server, DnsmasqSettings(POOL, ping=False))
        host = bench.machine("cli", "lan", mac(0x10))
        watchers = {
            role: lab.start(host.namespace, role, _self("--inside", role, args))
            for role in args.roles
        }
        time.sleep(2.0)  # let dumpcap open eth0
        lab.start(host.namespace, "send", _self("--inside", "send", args))
        print(f"{args.rate:g} DISCOVERs/s from {args.clients} clients")
        print(
            f"{'role':<9} {'s':>5} {'python MiB':>10} {'dumpcap MiB':>11}"
            f" {'tshark MiB':>10}"
        )
        started = time.monotonic()
        samples: dict[str, list[tuple[float, float]]] = {r: [] for r in watchers}
        while time.monotonic() - started < seconds + 5:
            running = [role for role in watchers if watchers[role].running()]
            if not running:
                break
            elapsed = time.monotonic() - started
            for role in running:
                samples[role].append((elapsed, _report(role, elapsed, watchers[role])))
            time.sleep(SAMPLE_EVERY)
        for role, watcher in watchers.items():
            watcher.wait(seconds + 30)
            print(f"{role}: {watcher.output().strip().splitlines()[-1]}")
    return samples


def _self(flag: str, role: str, args: argparse.Namespace) -> list[str]:
    options = ["--minutes", str(args.minutes), "--rate", str(args.rate)]
    options += ["--clients", str(args.clients)]
    return [sys.executable, str(SCRIPT), flag, role, *options]


def _report(role: str, elapsed: float, watcher: Process) -> float:
    """Print the RSS of a watch's processes; return the Python one's, MiB."""
    sizes = {"python": 0, "dumpcap": 0, "tshark": 0}
    for pid in _family(watcher.popen.pid):
        name = _read(f"/proc/{pid}/comm").strip()
        kind = "python" if name.startswith("python") else name
        if kind in sizes:
            sizes[kind] += _rss_kib(pid)
    mib = {kind: size / 1024 for kind, size in sizes.items()}
    print(
        f"{role:<9} {elapsed:5.0f} {mib['python']:10.1f} {mib['dumpcap']:11.1f}"
        f" {mib['tshark']:10.1f}",
        flush=True,
    )
    return mib["python"]


def _family(pid: int) -> Iterator[int]:
    """``pid`` and every process below it."""
    yield pid
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in _read(str(task / "children")).split():
            yield from _family(int(child))


def _rss_kib(pid: int) -> int:
    fields = _read(f"/proc/{pid}/statm").split()
    return int(fields[1]) * PAGE_KIB if fields else 0


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def run_watch(seconds: float) -> None:
    """The `watch --format jsonl` of the command line, output thrown away."""
    analysis = Analysis(load_config(None), "eth0", streaming=True)
    with open(os.devnull, "w") as sink, LiveCapture(["eth0"]) as capture:
        view = JsonLines(analysis, sink)
        goal = Goal(None, Severity.ERROR)
        frames = capture.frames(Limits(duration=seconds))
        watch(frames, analysis, view, goal, Timeline(time.time()))
    print(f"{analysis.frames} frames, {analysis.kinds.total()} transactions")


def run_dashboard(seconds: float) -> None:
    """`watch` as on a terminal: the board redrawn, then the closing report."""
    analysis = Analysis(load_config(None), "eth0", streaming=True)
    with open(os.devnull, "w") as sink, LiveCapture(["eth0"]) as capture:
        console = Console(file=sink, width=120, force_terminal=True)
        view = Dashboard(analysis, console, time.time())
        goal = Goal(None, Severity.ERROR)
        frames = capture.frames(Limits(duration=seconds))
        watch(frames, analysis, view, goal, Timeline(time.time()))
    print(f"{analysis.frames} frames, {analysis.kinds.total()} transactions")


def run_capture(seconds: float) -> None:
    """The frames alone, each dropped as soon as it comes."""
    count = 0
    with LiveCapture(["eth0"]) as capture:
        for frame in capture.frames(Limits(duration=seconds)):
            count += frame is not None
    print(f"{count} frames")


def run_pyshark(seconds: float) -> None:
    """pyshark's way: dumpcap into tshark -T json -x, each packet made a Frame."""
    import pyshark  # type: ignore[import-untyped]

    from dhcpcheck.capture.tshark import packet_frame

    capture = pyshark.LiveCapture(
        interface="eth0", bpf_filter=CAPTURE_FILTER, use_json=True, include_raw=True
    )
    deadline = time.monotonic() + seconds
    count = 0
    for packet in capture.sniff_continuously():
        packet_frame(packet)
        count += 1
        if time.monotonic() > deadline:
            break
    capture.close()
    print(f"{count} frames")


INSIDE = {
    "watch": run_watch,
    "dashboard": run_dashboard,
    "capture": run_capture,
    "pyshark": run_pyshark,
}


def send(rate: float, seconds: float, clients: int) -> None:
    """Broadcast DISCOVERs on eth0 at ``rate`` a second, for ``seconds``."""
    macs = [f"02:00:00:00:{n >> 8:02x}:{n & 0xFF:02x}" for n in range(clients)]
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as raw:
        raw.bind(("eth0", 0))
        started = time.monotonic()
        sent = 0
        while time.monotonic() - started < seconds:
            raw.send(_discover(macs[sent % clients]))
            sent += 1
            pause = started + sent / rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)


def _discover(client: str) -> bytes:
    message = Bootp(
        xid=random.getrandbits(32),
        flags=BootpFlag.BROADCAST,
        chaddr=client,
        options=(opt.message_type(MessageType.DISCOVER),),
    )
    return ethernet(udp_ipv4(message.encode()), src=client)


if __name__ == "__main__":
    main()
