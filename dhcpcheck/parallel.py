"""Lint several captures at once, in worker processes, one per core.

Each capture goes through the whole pipeline in a worker; what comes back is
what the lint reports read (`CaptureResult`, with slim copies of the
transactions, which pickle fast) and how reading went, in the order the
captures were given. Standard input is read here, in this process.
"""

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from dhcpcheck.capture import CaptureError, Frame, read_frames
from dhcpcheck.capture.source import STDIN
from dhcpcheck.config import Config
from dhcpcheck.pipeline import Analysis, collect_less
from dhcpcheck.report.sarif import CaptureResult, capture_result
from dhcpcheck.transactions.leases import slim


@dataclass(frozen=True, slots=True)
class Linted:
    """One capture linted: its result, and what went wrong reading it."""

    result: CaptureResult
    error: str | None = None  # why reading stopped before the end
    unreadable: bool = False  # not one frame could be read


def lint_captures(
    paths: Sequence[str],
    config: Config,
    jobs: int | None = None,
    done: Callable[[], None] = lambda: None,
) -> list[Linted]:
    """Lint every capture, `jobs` at a time (default: one per core); the
    results come in the order of `paths`. `done` is called here, in this
    process, as each capture is linted, in the order they finish."""
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    if workers <= 1:
        return [_lint_here(path, config, done) for path in paths]
    # Workers come from a fork server, not a fork of this process, which may
    # be running threads (a progress bar's): a forked thread's locks stay held.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=collect_less
    ) as pool:
        futures = {
            index: pool.submit(lint_capture, path, config)
            for index, path in enumerate(paths)
            if path != STDIN
        }
        here = {
            index: _lint_here(path, config, done)
            for index, path in enumerate(paths)
            if path == STDIN
        }
        for _ in as_completed(futures.values()):
            done()
        return [
            here[index] if index in here else futures[index].result()
            for index in range(len(paths))
        ]


def _lint_here(path: str, config: Config, done: Callable[[], None]) -> Linted:
    linted = lint_capture(path, config)
    done()
    return linted


def lint_capture(path: str, config: Config) -> Linted:
    """Lint one capture, here in this process."""
    analysis = Analysis(config, path, streaming=True)
    problems: list[CaptureError] = []
    found = capture_result(path, analysis.run(_frames(path, analysis, problems)))
    light = tuple(slim(txn) for txn in found.transactions)
    result = CaptureResult(found.source, light, found.findings)
    if not problems:
        return Linted(result)
    error = problems[0]
    return Linted(result, str(error), unreadable=not error.frames_read)


def _frames(
    path: str, analysis: Analysis, problems: list[CaptureError]
) -> Iterator[Frame]:
    """The DHCP frames of `path`; a read error ends them quietly, kept in
    `problems`, and the analysis finishes with what was read."""
    try:
        yield from read_frames(path, analysis.select)
    except CaptureError as error:
        problems.append(error)
