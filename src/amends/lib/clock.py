"""The one time source: everything that needs "now" asks here, so tests can travel."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
