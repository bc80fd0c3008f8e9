import os
import subprocess
from pathlib import Path

import pytest

from dhcpcheck.craft.samples import SAMPLES

ROOT = Path(__file__).parent.parent
SEED = ROOT / "tests" / "data" / "corpus" / "seed"


@pytest.mark.parametrize("name", list(SAMPLES))
def test_committed_sample_is_what_the_builder_makes(name: str) -> None:
    assert (ROOT / "samples" / name).read_bytes() == SAMPLES[name]()


def test_tcpdump_prints_the_seed_text_of_the_dora_sample() -> None:
    command = ["tcpdump", "-r", str(ROOT / "samples" / "openstack-dora.pcap")]
    env = {**os.environ, "TZ": "UTC"}
    done = subprocess.run([*command, "-e", "-n", "-vv"], capture_output=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (SEED / "openstack-dora.4.99.3.n-e-vv.txt").read_bytes()
