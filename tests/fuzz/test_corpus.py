"""Replay the regression corpus: every input that ever broke a target.

tests/fuzz/corpus/TARGET/ holds inputs for targets.TARGETS[TARGET]; a file
that still breaks its target is listed in targets.OPEN_BUGS with the reason,
as a strict xfail, so that fixing the bug turns the list entry into a failure to
delete. The project's own captures are replayed through the file targets too.
"""

from pathlib import Path

import pytest
from _pytest.mark import ParameterSet
from fuzz.targets import OPEN_BUGS, TARGETS, frames_input

from dhcpcheck.capture import read_frames

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
ROOT = HERE.parents[1]
CAPTURES = sorted(
    path
    for folder in (ROOT / "samples", ROOT / "tests" / "data")
    for path in folder.rglob("*")
    if path.name.endswith((".pcap", ".pcapng", ".pcap.gz"))
)


def _cases() -> list[ParameterSet]:
    cases = []
    for path in sorted(CORPUS.glob("*/*")):
        key = f"{path.parent.name}/{path.name}"
        marks = []
        if key in OPEN_BUGS:
            marks.append(pytest.mark.xfail(reason=OPEN_BUGS[key], strict=True))
        cases.append(pytest.param(path.parent.name, path, marks=marks, id=key))
    return cases


@pytest.mark.parametrize(("target", "path"), _cases())
def test_corpus_input_no_longer_breaks_its_target(target: str, path: Path) -> None:
    TARGETS[target](path.read_bytes())


def test_every_open_bug_has_its_input() -> None:
    assert all((CORPUS / key).is_file() for key in OPEN_BUGS)
    assert {path.name for path in CORPUS.iterdir()} <= set(TARGETS)


@pytest.mark.parametrize("path", CAPTURES, ids=lambda path: path.name)
def test_project_captures_pass_every_target(path: Path) -> None:
    data = path.read_bytes()
    TARGETS["capture"](data)
    TARGETS["analyze"](data)
    frames = frames_input(list(read_frames(str(path)))[:50])
    TARGETS["decode"](frames)
    TARGETS["print"](frames)
