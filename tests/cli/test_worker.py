"""`amends worker` runs on PostgreSQL and says what to do instead on SQLite."""

from __future__ import annotations

from pathlib import Path

from tests.cli.inprocess import amends


def test_the_worker_refuses_sqlite_and_points_to_serve(tmp_path: Path) -> None:
    result = amends("worker", db=f"sqlite:///{tmp_path / 'a.db'}", tmp_path=tmp_path)
    assert result.exit_code == 2
    assert "PostgreSQL" in result.output
    assert "amends serve" in result.output
