"""Which captures a `lint PATH...` means: files, folders searched, and globs.

Folders are searched recursively for capture file names; a glob that the
shell did not expand (quoted in CI) is expanded here.
"""

import glob
from pathlib import Path

CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz", ".cap.gz")
_GLOB_CHARACTERS = frozenset("*?[")


def expand(arguments: list[str]) -> tuple[list[str], list[str]]:
    """The capture paths the arguments name, and the arguments that name none.

    A named file is taken whatever its name (`-` is standard input); a folder
    gives the capture files below it, sorted; a glob gives its matches.
    """
    found: list[str] = []
    missing: list[str] = []
    for argument in arguments:
        matches = _matches(argument)
        if matches:
            found += matches
        else:
            missing.append(argument)
    return found, missing


def _matches(argument: str) -> list[str]:
    if argument == "-" or Path(argument).is_file():
        return [argument]
    if Path(argument).is_dir():
        return _captures_below(Path(argument))
    if _GLOB_CHARACTERS & set(argument):
        return sorted(
            path
            for match in glob.glob(argument, recursive=True)
            for path in _matches(match)
        )
    return []


def _captures_below(folder: Path) -> list[str]:
    return sorted(
        str(path)
        for path in folder.rglob("*")
        if path.is_file() and path.name.lower().endswith(CAPTURE_SUFFIXES)
    )
