"""A watch of minutes of steady traffic keeps its memory flat: the lab of
benchmarks/watch_memory.py (dnsmasq answering 50 DISCOVERs a second in
namespaces), measured while it runs.

Past the idle timeout the tracker holds as many open exchanges as come in
65 s, and nothing else may grow. Before the watch streamed, it grew 7 MiB a
minute at this rate. Slow: CI runs it, as root, like the other live tests.
"""

import argparse
import os

import pytest

from benchmarks import watch_memory
from dhcpcheck.transactions.tracker import DEFAULT_IDLE_TIMEOUT

MINUTES = 3.0
SETTLED = DEFAULT_IDLE_TIMEOUT + 25  # seconds: the open exchanges are all there
ALLOWED_MIB = 2.0  # spread of the samples once settled

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.geteuid() != 0 and not os.environ.get("CI"),
        reason="namespaces need root (CI runs these as root)",
    ),
]


def test_memory_stays_flat_once_the_open_exchanges_are_held() -> None:
    # Both views watch the same traffic, side by side.
    roles = ["watch", "dashboard"]
    args = argparse.Namespace(minutes=MINUTES, rate=50.0, clients=64, roles=roles)
    for role, samples in watch_memory.measure(args).items():
        settled = [mib for elapsed, mib in samples if elapsed >= SETTLED]
        assert len(settled) >= 5, (role, samples)
        assert max(settled) - min(settled) < ALLOWED_MIB, (role, samples)
        assert settled[0] > samples[0][1], (role, samples)  # it did take traffic
