"""Exit statuses of every dhcpcheck command, documented in README.md."""

from enum import IntEnum


class ExitStatus(IntEnum):
    """What the process tells its caller; linters' conventions."""

    OK = 0  # done; nothing at or above --fail-on was found
    FINDINGS = 1  # findings at or above --fail-on (analyze, lint)
    ERROR = 2  # bad usage or configuration, or an input that could not be read
    INTERNAL = 3  # a bug in dhcpcheck: please report it (--traceback)
