"""The build backend: setuptools, plus Cython when DHCPCHECK_COMPILE=1.

The pure Python package is the default. Asking for the compiled build adds
Cython to what the build needs; setup.py then compiles the hot modules, and
Python loads an extension module in place of the .py beside it.
"""

import os

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403  (the whole PEP 517 interface)

CYTHON = "Cython>=3.0"


def compiling() -> bool:
    return os.environ.get("DHCPCHECK_COMPILE") == "1"


# setuptools finds what a build needs by running setup.py, which cannot
# import Cython before it is installed; this package needs nothing else.
def get_requires_for_build_wheel(config_settings=None):  # type: ignore[no-untyped-def]
    if compiling():
        return [CYTHON]
    return build_meta.get_requires_for_build_wheel(config_settings)


def get_requires_for_build_editable(config_settings=None):  # type: ignore[no-untyped-def]
    if compiling():
        return [CYTHON]
    return build_meta.get_requires_for_build_editable(config_settings)
