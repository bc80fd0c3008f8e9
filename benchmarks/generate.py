"""Write the benchmark captures: DHCP only, and DHCP inside ten times the traffic.

    python -m benchmarks.generate [--small | --tiny] [--captures DIR]

Files go to $DHCPCHECK_BENCH_DIR or /tmp/dhcpcheck-bench, never into the
repository. The same seed gives the same bytes, and a shorter capture is the
start of a longer one. Frames are written as crafted; nothing reads them back.
"""

import argparse
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from random import Random

from benchmarks.background import background
from benchmarks.dhcp_traffic import Network

START = 1_700_000_000.0  # 2023-11-14, UTC
SEED = 2131
DHCP_SHARE = 10  # the mixed capture holds one DHCP frame in ten
PCAP_HEADER = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1)
RECORD = struct.Struct("<IIII")
WRITE_EVERY = 8192  # records joined per write


@dataclass(frozen=True, slots=True)
class Sizes:
    """How many frames the two captures hold, and how many clients talk."""

    dhcp: int
    mixed: int
    clients: int


FULL = Sizes(dhcp=1_000_000, mixed=10_000_000, clients=20_000)
SMALL = Sizes(dhcp=20_000, mixed=200_000, clients=1_000)  # for CI
TINY = Sizes(dhcp=500, mixed=5_000, clients=50)  # for the test suite


def sizes(small: bool, tiny: bool) -> Sizes:
    """The sizes the command-line flags ask for."""
    return TINY if tiny else SMALL if small else FULL


def add_size_flags(parser: argparse.ArgumentParser) -> None:
    """--small and --tiny, shared with compare.py."""
    parser.add_argument("--small", action="store_true", help="20k and 200k frames")
    parser.add_argument("--tiny", action="store_true", help="500 and 5k frames")


def bench_dir() -> Path:
    """Where the captures go: $DHCPCHECK_BENCH_DIR, else /tmp/dhcpcheck-bench."""
    return Path(os.environ.get("DHCPCHECK_BENCH_DIR", "/tmp/dhcpcheck-bench"))


def dhcp_path(folder: Path, count: int, clients: int) -> Path:
    """The name says what is inside, so changed settings never reuse a file."""
    return folder / f"dhcp-{count}-c{clients}-s{SEED}.pcap"


def mixed_path(folder: Path, count: int, clients: int) -> Path:
    """As `dhcp_path`, for the mixed capture."""
    return folder / f"mixed-{count}-c{clients}-s{SEED}.pcap"


def dhcp_frames(clients: int) -> Iterator[tuple[float, bytes]]:
    """The DHCP traffic, in time order, without end."""
    return Network(clients, SEED, START).frames()


def mixed_frames(clients: int) -> Iterator[tuple[float, bytes]]:
    """The same DHCP traffic with, on average, nine other frames after each.

    They are spread evenly up to the next DHCP frame, so the DHCP frames of
    this capture are those of the DHCP-only one, at the same times.
    """
    rng = Random(SEED)
    others = background(SEED)
    dhcp = dhcp_frames(clients)
    time, frame = next(dhcp)
    for later, following in dhcp:
        yield time, frame
        count = rng.randint(DHCP_SHARE // 2 - 1, DHCP_SHARE * 3 // 2 - 1)
        step = (later - time) / (count + 1)
        for index in range(1, count + 1):
            yield time + index * step, next(others)
        time, frame = later, following


def write_pcap(path: Path, frames: Iterator[tuple[float, bytes]], count: int) -> None:
    """Write the first ``count`` frames as a microsecond pcap, atomically."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as stream:
        stream.write(PCAP_HEADER)
        batch: list[bytes] = []
        for time, frame in islice(frames, count):
            usec = round(time * 1e6)
            size = len(frame)
            batch += (
                RECORD.pack(usec // 1_000_000, usec % 1_000_000, size, size),
                frame,
            )
            if len(batch) >= WRITE_EVERY:
                stream.write(b"".join(batch))
                batch.clear()
        stream.write(b"".join(batch))
    partial.replace(path)


def ensure(path: Path, frames: Iterator[tuple[float, bytes]], count: int) -> Path:
    """Write the capture unless a file of that name is already there."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_pcap(path, frames, count)
    return path


def ensure_dhcp(folder: Path, count: int, clients: int) -> Path:
    """The DHCP-only capture of ``count`` frames, written if missing."""
    return ensure(dhcp_path(folder, count, clients), dhcp_frames(clients), count)


def ensure_mixed(folder: Path, count: int, clients: int) -> Path:
    """The mixed capture of ``count`` frames, written if missing."""
    return ensure(mixed_path(folder, count, clients), mixed_frames(clients), count)


def main() -> None:
    """Write both captures and print their paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_flags(parser)
    parser.add_argument("--captures", type=Path, default=bench_dir(), help="folder")
    arguments = parser.parse_args()
    chosen = sizes(arguments.small, arguments.tiny)
    print(ensure_dhcp(arguments.captures, chosen.dhcp, chosen.clients))
    print(ensure_mixed(arguments.captures, chosen.mixed, chosen.clients))


if __name__ == "__main__":
    main()
