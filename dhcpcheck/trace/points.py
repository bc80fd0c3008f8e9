"""Capture points from the command line, and their messages from frames.

`NAME=FILE` names a point; a bare `FILE` is named after the file. Frames come
in already read: the capture layer opens files, this module never does.
"""

from collections.abc import Iterable, Sequence
from pathlib import PurePath

from dhcpcheck.capture.frame import Frame
from dhcpcheck.trace.model import Point
from dhcpcheck.transactions.observe import observe

STDIN = "-"
_CAPTURE_SUFFIXES = (".gz", ".pcapng", ".pcap", ".cap")


class PointError(ValueError):
    """Bad point arguments: a name empty or used twice."""


def parse_points(arguments: Sequence[str]) -> list[tuple[str, str]]:
    """(name, file) for each `NAME=FILE` or `FILE`, the names all distinct."""
    named = [_parse(argument) for argument in arguments]
    names = [name for name, _ in named]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        listed = ", ".join(twice)
        raise PointError(f"two captures named {listed}: name them NAME=FILE")
    return named


def _parse(argument: str) -> tuple[str, str]:
    name, equals, file = argument.partition("=")
    if not equals or "/" in name:
        return default_name(argument), argument
    if not name or not file:
        raise PointError(f"{argument!r}: expected NAME=FILE")
    return name, file


def default_name(file: str) -> str:
    """The file's name without its directory and capture suffixes; `stdin`."""
    if file == STDIN:
        return "stdin"
    base = name = PurePath(file).name
    for suffix in _CAPTURE_SUFFIXES:
        name = name.removesuffix(suffix)
    return name or base


def collect(name: str, file: str, frames: Iterable[Frame]) -> Point:
    """Point `name`: the DHCP messages of `frames` and their link types."""
    messages = []
    linktypes: dict[int, None] = {}
    for frame in frames:
        linktypes.setdefault(frame.linktype)
        seen = observe(frame, name)
        if seen is not None:
            messages.append(seen)
    return Point(name, file, tuple(messages), tuple(linktypes))
