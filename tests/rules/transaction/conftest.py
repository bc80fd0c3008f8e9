"""A fresh message builder for each test, frames numbered from 1."""

import pytest
from rules.transaction.build import Messages


@pytest.fixture
def seen() -> Messages:
    """seen(time, type, options=..., **Bootp fields) -> Seen."""
    return Messages()
