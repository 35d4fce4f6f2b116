"""A crash mid-import loses nothing and duplicates nothing: kill -9 a real import, run it again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from amends.store.db import READ_ONLY, make_engine
from amends.store.tables import Case, FeedbackItem, TimelineEvent
from benchmarks.datasets import write_generic_csv

ROWS = 100_000
pytestmark = pytest.mark.slow


def _amends_import(path: Path, db_url: str, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "AMENDS_DATABASE_URL": db_url,
        "AMENDS_DATA_DIR": str(tmp_path),
        "AMENDS_IMPORT_BATCH_SIZE": "2000",
    }
    command = [sys.executable, "-m", "amends", "import", str(path), "--source", "bulk", "--json"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _count(engine: Engine, model: type) -> int:
    """Counted while the import writes: a reader must not wait for its write lock."""
    with engine.connect() as conn:
        reader = conn.execution_options(**{READ_ONLY: True})
        return int(reader.scalar(select(func.count()).select_from(model)) or 0)


def _wait_until_partly_imported(engine: Engine, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        stored = _count(engine, FeedbackItem)
        if stored >= ROWS // 10:
            return stored
        assert process.poll() is None, process.stderr.read() if process.stderr else b""
        time.sleep(0.05)
    pytest.fail("the import stored nothing within 5 minutes")


def test_it_stores_every_row_exactly_once_after_a_kill(fresh_db: str, tmp_path: Path) -> None:
    # Review-length texts: the crash safety under test does not depend on how long they are,
    # and triage of 100,000 complaint letters would take most of the suite's time.
    path = write_generic_csv(tmp_path / "big.csv", ROWS, max_chars=240)
    engine = make_engine(fresh_db)
    started: list[subprocess.Popen[bytes]] = []
    try:
        first = _amends_import(path, fresh_db, tmp_path)
        started.append(first)
        stored_at_kill = _wait_until_partly_imported(engine, first)
        first.send_signal(signal.SIGKILL)
        # Its reading workers leave with it: otherwise they hold its output open for ever.
        first.communicate(timeout=60)
        assert first.returncode == -signal.SIGKILL
        assert _count(engine, FeedbackItem) < ROWS, "the import finished before it was killed"

        second = _amends_import(path, fresh_db, tmp_path)
        started.append(second)
        out, err = second.communicate(timeout=600)
        assert second.returncode == 0, err.decode()

        assert _count(engine, FeedbackItem) == ROWS
        with engine.connect() as conn:
            distinct = conn.scalar(select(func.count(func.distinct(FeedbackItem.external_id))))
            orphans = conn.scalar(
                text(
                    "SELECT count(*) FROM cases c WHERE NOT EXISTS "
                    "(SELECT 1 FROM feedback_items i WHERE i.case_id = c.id)"
                )
            )
            unopened = conn.scalar(
                select(func.count())
                .select_from(Case)
                .where(
                    ~select(TimelineEvent.id)
                    .where(TimelineEvent.case_id == Case.id, TimelineEvent.kind == "case:opened")
                    .exists()
                )
            )
        assert distinct == ROWS
        assert orphans == 0
        assert unopened == 0
        summary = json.loads(out.decode().strip().splitlines()[-1])
        assert summary["read"] == ROWS
        assert summary["imported"] + summary["duplicates"] == ROWS
        assert summary["duplicates"] >= stored_at_kill
    finally:
        for process in started:  # a failed assertion must not leave an import running
            if process.poll() is None:
                process.kill()
            process.communicate()
        engine.dispose()
