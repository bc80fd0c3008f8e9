"""Which of dhcpcheck's modules this installation runs compiled.

The default install is pure Python. `DHCPCHECK_COMPILE=1 pip install .`
compiles the hot modules listed in setup.py with Cython; Python then loads
each extension module in place of the .py beside it.
"""

import pkgutil
from importlib.machinery import EXTENSION_SUFFIXES

import dhcpcheck


def compiled_modules() -> list[str]:
    """The dotted names of the modules loaded from extension modules."""
    names = []
    for module in pkgutil.walk_packages(dhcpcheck.__path__, "dhcpcheck."):
        spec = module.module_finder.find_spec(module.name, None)
        origin = spec.origin if spec else None
        if origin and origin.endswith(tuple(EXTENSION_SUFFIXES)):
            names.append(module.name)
    return sorted(names)


def build_description() -> str:
    """`pure Python`, or how many modules are compiled and where."""
    names = compiled_modules()
    if not names:
        return "pure Python"
    packages = sorted(
        {name.rpartition(".")[0].removeprefix("dhcpcheck.") for name in names}
    )
    return f"{len(names)} modules compiled ({', '.join(packages)})"
