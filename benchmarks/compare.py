"""dhcpcheck beside tshark, tcpdump and pyshark on the same captures.

    python -m benchmarks.compare [--small | --tiny] [--repeat 3] [--output FILE]
    python -m benchmarks.compare --small --check    # CI: it runs, no timing

Each round runs every command once, in turn, so that load on the machine
falls on all of them alike; the table gives the median of the rounds. Peak
memory is the child's maximum resident set (wait4); output goes to
/dev/null. pyshark reads the start of each capture only, scaled up. Then
come the memory of `analyze` as a capture grows and `lint` on every core.
Missing captures are generated first (benchmarks.generate).
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import generate
from benchmarks.pyshark_count import SAMPLE as PYSHARK_SAMPLE

BOOTP_FILTER = "(udp port 67 or udp port 68) or (vlan and (udp port 67 or udp port 68))"
DHCPCHECK = (sys.executable, "-m", "dhcpcheck")
EXIT_OK = (0, 1)  # dhcpcheck exits 1 when findings reach --fail-on
MEMORY_PARTS = (4, 2, 1)  # the DHCP capture cut to a quarter, a half, whole
LINT_CAPTURES = 8  # copies of an eighth of the DHCP capture, for lint


@dataclass(frozen=True, slots=True)
class Command:
    """One thing to time: what runs, on how many frames, against what."""

    name: str
    argv: tuple[str, ...]
    frames: int
    against: str | None = None  # the command it is measured against, by name
    scale: float = 1.0  # the whole capture over the part read (pyshark)


@dataclass(slots=True)
class Timing:
    """Every round of one command."""

    seconds: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median wall time of the rounds, in seconds."""
        return statistics.median(self.seconds)


def run(command: Command) -> tuple[float, int]:
    """Run once, output to /dev/null: wall seconds (scaled) and peak RSS KB."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in EXIT_OK:
        text = errors.decode(errors="replace")
        raise SystemExit(f"{command.name} failed ({code}): {text}")
    return seconds * command.scale, usage.ru_maxrss


def commands(label: str, capture: Path, frames: int) -> list[Command]:
    """The comparisons of the issue on one capture."""
    path = str(capture)
    tshark = f"tshark -Y dhcp ({label})"
    tcpdump = f"tcpdump -e -n -vv ({label})"
    fields = ("-T", "fields", "-e", "dhcp.id")
    return [
        Command(tshark, ("tshark", "-r", path, "-Y", "dhcp"), frames),
        Command(
            f"tshark -Y dhcp -T fields -e dhcp.id ({label})",
            ("tshark", "-r", path, "-Y", "dhcp", *fields),
            frames,
            against=tshark,
        ),
        Command(
            f"dhcpcheck analyze --format jsonl ({label})",
            (*DHCPCHECK, "analyze", "--format", "jsonl", path),
            frames,
            against=tshark,
        ),
        Command(
            tcpdump, ("tcpdump", "-r", path, "-e", "-n", "-vv", BOOTP_FILTER), frames
        ),
        Command(
            f"dhcpcheck show -e -vv ({label})",
            (*DHCPCHECK, "show", "-e", "-vv", path),
            frames,
            against=tcpdump,
        ),
    ]


def pyshark(label: str, sample: Path, read: int, whole: int) -> Command:
    """pyshark on `sample`, the first `read` frames of a capture of `whole`."""
    return Command(
        f"pyshark FileCapture, dhcp filter ({label}; first {read:,}, scaled)",
        (sys.executable, "-m", "benchmarks.pyshark_count", str(sample)),
        whole,
        against=f"tshark -Y dhcp ({label})",
        scale=whole / read,
    )


def all_commands(folder: Path, sizes: generate.Sizes) -> list[Command]:
    """Every comparison whose program is here, on the captures in `folder`
    (generated if missing)."""
    clients = sizes.clients
    dhcp = generate.ensure_dhcp(folder, sizes.dhcp, clients)
    mixed = generate.ensure_mixed(folder, sizes.mixed, clients)
    read = min(PYSHARK_SAMPLE, sizes.dhcp)
    read_mixed = read * generate.DHCP_SHARE
    found = [
        *commands("dhcp", dhcp, sizes.dhcp),
        *commands("mixed", mixed, sizes.mixed),
        pyshark("dhcp", generate.ensure_dhcp(folder, read, clients), read, sizes.dhcp),
        pyshark(
            "mixed",
            generate.ensure_mixed(folder, read_mixed, clients),
            read_mixed,
            sizes.mixed,
        ),
    ]
    return [command for command in found if available(command)]


def available(command: Command) -> bool:
    """Whether the program is installed (for pyshark: whether it imports)."""
    program = command.argv[0]
    if "benchmarks.pyshark_count" in command.argv:
        probe = subprocess.run((program, "-c", "import pyshark"), capture_output=True)
        return probe.returncode == 0 and shutil.which("tshark") is not None
    return program == sys.executable or shutil.which(program) is not None


def time_all(runs: list[Command], rounds: int) -> dict[str, Timing]:
    """Every command once per round, in turn, `rounds` times."""
    timings = {command.name: Timing() for command in runs}
    for _ in range(rounds):
        for command in runs:
            seconds, peak = run(command)
            timings[command.name].seconds.append(seconds)
            timings[command.name].peak_kb.append(peak)
    return timings


def table(runs: list[Command], timings: dict[str, Timing]) -> list[str]:
    """The results as Markdown: time, rate, memory and the ratio."""
    lines = [
        "| command | frames | median s | frames/s | peak RSS MB | ratio |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for command in runs:
        timing = timings[command.name]
        ratio = ""
        if command.against in timings:
            base = timings[command.against].median
            ratio = f"{timing.median / base:.3f} of {command.against}"
        lines.append(
            f"| {command.name} | {command.frames:,} | {timing.median:.2f} "
            f"| {command.frames / timing.median:,.0f} "
            f"| {max(timing.peak_kb) / 1024:.0f} | {ratio} |"
        )
    return lines


def memory_table(folder: Path, sizes: generate.Sizes) -> list[str]:
    """Peak memory of `analyze --format jsonl` as the DHCP capture grows."""
    lines = ["| DHCP frames | peak RSS MB | seconds |", "| ---: | ---: | ---: |"]
    for part in MEMORY_PARTS:
        count = sizes.dhcp // part
        capture = generate.ensure_dhcp(folder, count, sizes.clients)
        argv = (*DHCPCHECK, "analyze", "--format", "jsonl", str(capture))
        seconds, peak = run(Command("memory", argv, count))
        lines.append(f"| {count:,} | {peak / 1024:.0f} | {seconds:.1f} |")
    return lines


def lint_table(folder: Path, sizes: generate.Sizes) -> list[str]:
    """`lint --format sarif` over a folder of captures, one job, then all."""
    count = sizes.dhcp // LINT_CAPTURES
    pieces = folder / f"lint-{LINT_CAPTURES}x{count}"
    if not pieces.exists():
        source = generate.ensure_dhcp(folder, count, sizes.clients)
        pieces.mkdir()
        for index in range(LINT_CAPTURES):
            shutil.copyfile(source, pieces / f"capture-{index}.pcap")
    lines = [
        f"| lint, {LINT_CAPTURES} captures of {count:,} frames | seconds |",
        "| --- | ---: |",
    ]
    for jobs in sorted({1, os.cpu_count() or 1}):
        argv = (*DHCPCHECK, "lint", "--jobs", str(jobs), "--format", "sarif")
        seconds, _ = run(Command("lint", (*argv, str(pieces)), count))
        lines.append(f"| --jobs {jobs} | {seconds:.1f} |")
    return lines


def machine() -> list[str]:
    """What the numbers were measured on."""
    cpu = platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = models[0] if models else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    tools = [_version("tshark"), _version("tcpdump")]
    return [
        f"- {os.cpu_count()} cores, {cpu}, {memory:.0f} GiB, {platform.system()}",
        f"- Python {platform.python_version()}; {'; '.join(filter(None, tools))}",
    ]


def _version(program: str) -> str:
    if shutil.which(program) is None:
        return ""
    found = subprocess.run((program, "--version"), capture_output=True, text=True)
    return (found.stdout or found.stderr).splitlines()[0].strip()


def main() -> None:
    """Generate, time, print the tables; write them to --output if given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    generate.add_size_flags(parser)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (median)")
    parser.add_argument("--check", action="store_true", help="one round, for CI")
    parser.add_argument("--output", type=Path, help="also write the report here")
    parser.add_argument("--captures", type=Path, default=generate.bench_dir())
    arguments = parser.parse_args()
    sizes = generate.sizes(arguments.small, arguments.tiny)
    runs = all_commands(arguments.captures, sizes)
    rounds = 1 if arguments.check else arguments.repeat
    timings = time_all(runs, rounds)
    report = [
        "Machine:",
        "",
        *machine(),
        "",
        f"Median of {rounds} alternating round(s); output to /dev/null.",
        "",
        *table(runs, timings),
        "",
        *memory_table(arguments.captures, sizes),
        "",
        *lint_table(arguments.captures, sizes),
    ]
    text = "\n".join(report) + "\n"
    sys.stdout.write(text)
    if arguments.output is not None:
        arguments.output.write_text(text)


if __name__ == "__main__":
    main()
