"""The one time source: everything that needs "now" asks here, so tests can travel and the
demo can play a history out at the times it happened."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_frozen: ContextVar[datetime | None] = ContextVar("amends_frozen_now", default=None)


def now() -> datetime:
    return _frozen.get() or datetime.now(UTC)


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """`now()` is `at` inside the block, in this thread or task only."""
    token = _frozen.set(at)
    try:
        yield
    finally:
        _frozen.reset(token)
