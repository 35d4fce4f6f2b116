from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cli.inprocess import forget_context


@pytest.fixture(autouse=True)
def fresh_context() -> Iterator[None]:
    """Every test starts and ends with no settings or engine cached, as a new process."""
    forget_context()
    yield
    forget_context()
