"""`--read-ahead` changes where a file is read, never what comes out.

Each command is run both ways on every shipped sample and on a damaged one:
the same standard output, standard error and exit status. The summaries
count the frames read, so the records counted over there are checked too.
"""

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dhcpcheck.capture.ahead import Reading
from dhcpcheck.cli import app

pytestmark = pytest.mark.usefixtures("utc")

SAMPLES = sorted(Path("samples").glob("**/*.pcap"))
COMMANDS = {
    "jsonl": ("analyze", "--format", "jsonl"),
    "json": ("analyze", "--format", "json"),
    "text": ("analyze", "--color", "never", "--packets"),
    "show": ("show", "-e", "-vv"),
}
runner = CliRunner()


def both_ways(*args: str) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    here = runner.invoke(app, [*args, "--no-read-ahead"])
    ahead = runner.invoke(app, [*args, "--read-ahead"])
    return (
        (here.exit_code, here.stdout, here.stderr),
        (ahead.exit_code, ahead.stdout, ahead.stderr),
    )


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("sample", SAMPLES, ids=str)
def test_the_output_is_the_same(sample: Path, command: str) -> None:
    here, ahead = both_ways(*COMMANDS[command], str(sample))
    assert ahead == here
    assert here[1]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_damaged_tail_is_reported_the_same(tmp_path: Path, command: str) -> None:
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(Path("samples/lab/many-clients.pcap").read_bytes()[:-100])
    here, ahead = both_ways(*COMMANDS[command], str(cut))
    assert ahead == here
    assert f"{cut}: truncated record" in here[2]


def test_by_default_files_worth_it_are_read_ahead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[str] = []

    class Spied(Reading):
        def __init__(self, path: str, *rest: Any) -> None:
            started.append(path)
            super().__init__(path, *rest)

    monkeypatch.setattr("dhcpcheck.cli.Reading", Spied)
    sample = "samples/lab/many-clients.pcap"
    runner.invoke(app, ["analyze", "--format", "jsonl", sample, "-"], input=b"")
    assert started == []  # too small, and standard input never is
    monkeypatch.setattr("dhcpcheck.cli.worth_reading_ahead", lambda path: True)
    runner.invoke(app, ["show", sample, "-"], input=b"")
    runner.invoke(app, ["analyze", "--engine", "tshark", sample])
    assert started == [sample]
