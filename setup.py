"""Compiles dhcpcheck's hot modules with Cython when DHCPCHECK_COMPILE=1.

Everything else about the package is in pyproject.toml. The compiled modules
are the same source files: the .py stays in the package as the fallback, and
both builds pass the same tests (tests/run runs the suite on each).
"""

import os
from pathlib import Path

from setuptools import setup

# Where show's time goes: reading records, decoding frames, printing
# tcpdump's text. Compiling the transaction tracker and the rules as they
# are was measured too and gained nothing, so they stay Python.
HOT = (
    "capture/ahead.py",
    "capture/chunks.py",
    "capture/frame.py",
    "capture/meter.py",
    "capture/pcap.py",
    "capture/pcapng.py",
    "capture/source.py",
    "decode/*.py",
    "report/tcpdump/*.py",
)


def hot_modules() -> list[str]:
    return sorted(
        str(path)
        for pattern in HOT
        for path in Path("dhcpcheck").glob(pattern)
        if path.name != "__init__.py"
    )


def extensions() -> list[object]:
    if os.environ.get("DHCPCHECK_COMPILE") != "1":
        return []
    from Cython.Build import cythonize

    return cythonize(
        hot_modules(),
        build_dir="build/cython",
        language_level=3,
        nthreads=os.cpu_count() or 1,
    )


setup(ext_modules=extensions())
