"""Every capture of the corpus, printed as tcpdump printed it, byte for byte.

Each expected-text file names its capture, tcpdump version and flags:
`NAME.<version>.<flags>.txt[.gz]`, flags among n, n-v, n-vv, n-vvv, n-e...
"""

import difflib
import gzip
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dhcpcheck.capture import read_frames
from dhcpcheck.report.tcpdump import render
from dhcpcheck.report.tcpdump.settings import Dialect, PrintSettings

pytestmark = pytest.mark.usefixtures("utc")

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "corpus"
FOLDERS = ("tcpdump", "synthetic", "seed", "generated")
# The seed text came without a capture; the builder rebuilds it from the text.
SEED_CAPTURES = {"openstack-dora": ROOT / "samples" / "openstack-dora.pcap"}
DIALECTS = {"4.99.3": Dialect.V4_99, "4.9.3": Dialect.V4_9}
NAME = re.compile(
    r"(?P<name>.+)\.(?P<version>4\.99\.3|4\.9\.3)\.(?P<flags>n[-ev]*)\.txt"
)


def expected_files() -> Iterator[Path]:
    for folder in FOLDERS:
        for path in sorted((CORPUS / folder).iterdir()):
            if path.name.endswith((".txt", ".txt.gz")) and NAME.match(path.name):
                yield path


def settings_for(name: str) -> PrintSettings:
    """The settings `NAME.<version>.<flags>.txt` spells."""
    match = NAME.match(name)
    assert match is not None, name
    flags = match["flags"].split("-")[1:]
    verbosity = next((len(flag) for flag in flags if flag.startswith("v")), 0)
    return PrintSettings(
        dialect=DIALECTS[match["version"]],
        verbosity=verbosity,
        link_header="e" in flags,
    )


def capture_for(path: Path) -> Path:
    match = NAME.match(path.name)
    assert match is not None, path.name
    name = match["name"]
    if path.parent.name == "seed":
        return SEED_CAPTURES[name]
    for suffix in (".pcap", ".pcapng"):
        capture = path.parent / (name + suffix)
        if capture.exists():
            return capture
    raise AssertionError(f"no capture for {path.name}")


def read_expected(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", "surrogateescape")


def first_difference(expected: str, actual: str) -> str:
    """A short unified diff of the first packet whose text differs."""
    wanted, got = _packets(expected), _packets(actual)
    for index, (one, other) in enumerate(zip(wanted, got, strict=False)):
        if one != other:
            diff = difflib.unified_diff(
                one.splitlines(), other.splitlines(), "tcpdump", "render", lineterm=""
            )
            return f"packet {index + 1}:\n" + "\n".join(list(diff)[:20])
    return f"{len(wanted)} packets expected, {len(got)} rendered"


def _packets(text: str) -> list[str]:
    """Split the text at each line that starts a packet (not indented)."""
    return re.split(r"\n(?=[^\s])", text)


@pytest.mark.parametrize(
    "expected_path",
    list(expected_files()),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_render_matches_tcpdump(expected_path: Path) -> None:
    capture = capture_for(expected_path)
    settings = settings_for(expected_path.name)
    expected = read_expected(expected_path)

    actual = "".join(render(read_frames(os.fspath(capture)), settings))

    assert actual == expected, first_difference(expected, actual)
