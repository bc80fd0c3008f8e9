"""``python -m dhcpcheck.lab``: list the lab's scenarios, record them, or tally
the DHCP messages of captures. Recording needs root; progress goes to stderr.
"""

import os
import signal
import time
from pathlib import Path
from types import FrameType
from typing import Annotated, NoReturn

import typer

from dhcpcheck.lab import paths
from dhcpcheck.lab.netns import LabError
from dhcpcheck.lab.scenarios import SCENARIOS as SEGMENT_SCENARIOS
from dhcpcheck.lab.scenarios import record
from dhcpcheck.lab.summary import messages, tally
from dhcpcheck.report.diagnostics import Level, diagnose
from dhcpcheck.status import ExitStatus

# One segment (samples/lab) and several capture points (samples/trace).
SCENARIOS = {**SEGMENT_SCENARIOS, **paths.SCENARIOS}

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Record DHCP exchanges between real programs in network namespaces.",
)


@app.command("list")
def list_scenarios() -> None:
    """Print each scenario's name, the files it writes and what it shows."""
    for scenario in SCENARIOS.values():
        typer.echo(f"{scenario.name}: {' '.join(scenario.files)}")
        typer.echo(f"    {scenario.summary}")


@app.command("record")
def record_scenarios(
    names: Annotated[
        list[str] | None, typer.Argument(help="Scenarios to record; all if none.")
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Directory the pcap files are written to.")
    ] = Path("samples/lab"),
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print every command run.")
    ] = False,
) -> None:
    """Run scenarios and write their captures to OUT."""
    unknown = sorted(set(names or ()) - SCENARIOS.keys())
    if unknown:
        fail(f"no such scenario: {', '.join(unknown)}")
    if os.geteuid() != 0:
        fail("the lab needs root to create network namespaces")
    signal.signal(signal.SIGTERM, _terminated)
    for name in names or SCENARIOS:
        record_one(name, out, verbose)


def record_one(name: str, out: Path, verbose: bool) -> None:
    """Record scenario ``name``; say on stderr what it wrote and how long it took."""
    started = time.monotonic()
    try:
        paths = record(SCENARIOS[name], out, _show if verbose else _hide)
    except LabError as error:
        fail(f"{name}: {error}")
    diagnose(Level.NOTE, f"{name}: {time.monotonic() - started:.1f} s")
    for path in paths:
        diagnose(Level.NOTE, f"{path}: {tally(messages(path))}")


@app.command("summary")
def summarize(
    files: Annotated[list[Path], typer.Argument(help="pcap or pcapng files.")],
) -> None:
    """Print the DHCP message types and xids each capture holds."""
    for path in files:
        typer.echo(f"{path}: {tally(messages(path))}")


def _show(command: str) -> None:
    diagnose(Level.NOTE, f"+ {command}")


def _hide(command: str) -> None:
    pass


def _terminated(signum: int, frame: FrameType | None) -> None:
    # An exception unwinds the labs' with blocks, which remove what they made.
    raise KeyboardInterrupt


def fail(message: str) -> NoReturn:
    """Report bad use or a failed scenario on stderr and exit with status 2."""
    diagnose(Level.ERROR, message)
    raise typer.Exit(ExitStatus.ERROR)


if __name__ == "__main__":
    app()
