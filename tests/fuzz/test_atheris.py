"""A bounded coverage-guided run of every fuzz target with atheris, as CI
runs it: each target for FUZZ_SECONDS from its committed corpus and the
samples. A crash leaves its input in the scratch folder, named in the
failure, to be copied into tests/fuzz/corpus/TARGET/.

Longer runs: `.venv/bin/python tests/fuzz/atheris_run.py TARGET
-max_total_time=3600`.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fuzz.targets import TARGETS

RUNNER = Path(__file__).parent / "atheris_run.py"
FUZZ_SECONDS = int(os.environ.get("DHCPCHECK_FUZZ_SECONDS", "30"))


@pytest.mark.slow
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_a_bounded_atheris_run_finds_nothing(target: str, tmp_path: Path) -> None:
    command = [sys.executable, str(RUNNER), target, f"-max_total_time={FUZZ_SECONDS}"]
    environment = {**os.environ, "DHCPCHECK_FUZZ_DIR": str(tmp_path)}
    done = subprocess.run(
        command,
        env=environment,
        capture_output=True,
        text=True,
        timeout=FUZZ_SECONDS + 300,
    )
    crashes = sorted(str(path) for path in tmp_path.glob("crash-*"))
    tail = done.stderr.splitlines()[-30:]
    assert (done.returncode, crashes) == (0, []), "\n".join(tail)
    assert any(line.startswith("Done ") for line in tail), "\n".join(tail)
