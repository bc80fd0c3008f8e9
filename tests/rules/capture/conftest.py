"""A fresh exchange builder for each test (shared with the lease rule tests)."""

import pytest
from rules.lease.exchanges import Exchanges


@pytest.fixture
def build() -> Exchanges:
    """Builds messages numbered from frame 1."""
    return Exchanges()
