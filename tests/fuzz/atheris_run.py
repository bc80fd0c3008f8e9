"""Coverage-guided fuzzing of one target in targets.py with atheris (libFuzzer).

Usage: .venv/bin/python tests/fuzz/atheris_run.py TARGET [libFuzzer flags]
TARGET is one of targets.TARGETS. Starts from the committed corpus of the
target and the sample captures, keeps what it finds in a scratch folder
($DHCPCHECK_FUZZ_DIR, by default dhcpcheck-fuzz in the temporary folder; never
the committed corpus) and writes a crashing input there as `crash-TARGET-*`:
copy that into tests/fuzz/corpus/TARGET/ to keep it.
atheris comes with the test extras; tests/fuzz/test_atheris.py runs every
target for a bounded time in the suite.
"""

import os
import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))

with atheris.instrument_imports(include=["dhcpcheck", "fuzz"]):
    from fuzz.targets import OPEN_BUGS, TARGETS, frames_input

    from dhcpcheck.capture import read_frames
    from dhcpcheck.craft.fuzz import LINKS, random_frames
    from dhcpcheck.craft.samples import openstack_dora_frames

# Targets fed whole capture files start from the samples as well.
FILE_TARGETS = frozenset({"capture", "analyze"})


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: atheris_run.py {{{','.join(TARGETS)}}} [libFuzzer flags]")
    name, flags = sys.argv[1], sys.argv[2:]
    work = Path(os.environ.get("DHCPCHECK_FUZZ_DIR", "") or _default_work())
    scratch = work / name
    scratch.mkdir(parents=True, exist_ok=True)
    seeds = [_committed(name, work / f"{name}-corpus")]
    if name in FILE_TARGETS:
        seeds += [ROOT / "samples" / "lab", ROOT / "samples" / "trace"]
        seeds += [ROOT / "tests" / "data" / "corpus" / "tcpdump"]
    if name not in FILE_TARGETS and not any(scratch.iterdir()):
        _seed(scratch)
    folders = [str(folder) for folder in seeds if folder.is_dir()]
    argv = [sys.argv[0], f"-artifact_prefix={work}/crash-{name}-"]
    argv += ["-rss_limit_mb=1024", "-timeout=20", "-max_len=8192", *flags]
    argv += [str(scratch), *folders]
    atheris.Setup(argv, TARGETS[name])
    atheris.Fuzz()


def _committed(name: str, folder: Path) -> Path:
    """The committed corpus of ``name`` less the inputs of open bugs, which
    would stop the run before it starts."""
    folder.mkdir(exist_ok=True)
    for path in sorted((HERE / "corpus" / name).glob("*")):
        if f"{name}/{path.name}" not in OPEN_BUGS:
            (folder / path.name).write_bytes(path.read_bytes())
    return folder


def _default_work() -> Path:
    return Path(tempfile.gettempdir()) / "dhcpcheck-fuzz"


def _seed(folder: Path) -> None:
    """Starting inputs for the frame targets: the samples, random frames."""
    (folder / "seed-openstack").write_bytes(frames_input(openstack_dora_frames()))
    for path in sorted((ROOT / "samples" / "lab").glob("*.pcap")):
        (folder / f"seed-{path.stem}").write_bytes(frames_input(read_frames(str(path))))
    for linktype in LINKS:
        for seed in range(4):
            frames = random_frames(seed, 3, linktype)
            name = f"seed-random-{linktype.value}-{seed}"
            (folder / name).write_bytes(frames_input(frames))


if __name__ == "__main__":
    main()
