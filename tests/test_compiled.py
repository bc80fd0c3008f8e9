"""The compiled build is what the second pass of tests/run tests.

tests/run sets DHCPCHECK_EXPECT_COMPILED=1 for the suite's run on the
compiled build; without these checks a mistake in its set-up would run the
pure Python package twice and still pass.
"""

import os
import subprocess
import sys

from dhcpcheck.compiled import build_description, compiled_modules

EXPECT_COMPILED = os.environ.get("DHCPCHECK_EXPECT_COMPILED") == "1"
HOT = {
    "dhcpcheck.capture.pcap",
    "dhcpcheck.capture.pcapng",
    "dhcpcheck.decode.bootp",
    "dhcpcheck.decode.link",
    "dhcpcheck.report.tcpdump.bootp",
    "dhcpcheck.report.tcpdump.dhcp_options",
}


def test_the_build_is_the_one_this_pass_expects() -> None:
    names = set(compiled_modules())
    if EXPECT_COMPILED:
        assert names >= HOT
        assert "dhcpcheck.rules.engine" not in names
    else:
        assert names == set()


def test_version_says_which_build_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dhcpcheck", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == f"dhcpcheck 0.1.0, {build_description()}\n"
    if EXPECT_COMPILED:
        assert "modules compiled (capture, decode, report.tcpdump)" in result.stdout
    else:
        assert result.stdout.endswith(", pure Python\n")


def test_a_compiled_module_is_loaded_from_its_extension() -> None:
    import dhcpcheck.decode.bootp as bootp

    assert bootp.__file__ is not None
    assert bootp.__file__.endswith(".py") != EXPECT_COMPILED
