"""Four `amends worker` processes on PostgreSQL, one killed in the middle of a transaction:
every timer still fires, and none fires twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from amends.store.db import make_engine
from amends.store.tables import CaseTimer, TimelineEvent
from tests.conftest import create_database, drop_database
from tests.worker.seeding import due_cases

CASES = 600
WORKERS = ("w1", "w2", "w3", "w4")


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    url = create_database("postgresql", f"amends_kill_{os.getpid()}", tmp_path)
    yield url
    drop_database(url)


def _start(url: str, name: str, log: BinaryIO) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "AMENDS_DATABASE_URL": url,
        "AMENDS_WORKER_BATCH": "5",  # many short transactions, so the kill lands inside one
        "AMENDS_PLAYBOOKS_DIR": "",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "amends", "worker", "--name", name],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _in_transaction(engine: Engine) -> list[str]:
    """Workers whose database connection is inside a transaction right now."""
    query = text(
        "SELECT application_name FROM pg_stat_activity "
        "WHERE application_name LIKE 'amends w%' AND xact_start IS NOT NULL "
        "AND state IN ('active', 'idle in transaction')"
    )
    with engine.connect() as conn:
        return [name.removeprefix("amends ") for name in conn.scalars(query)]


def _fired(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).where(CaseTimer.fired_at.is_not(None))) or 0


def _wait(condition: object, seconds: float) -> None:
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.02)
    pytest.fail(f"gave up after {seconds} s waiting for {condition}")


def test_four_workers_fire_every_timer_once_though_one_is_killed(
    pg_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    engine = make_engine(pg_url)
    request.addfinalizer(engine.dispose)
    with Session(engine) as session, session.begin():
        expected = due_cases(session, CASES)
    logs = {name: (tmp_path / f"{name}.log").open("wb") for name in WORKERS}
    for log in logs.values():
        request.addfinalizer(log.close)
    workers = {name: _start(pg_url, name, logs[name]) for name in WORKERS}
    try:
        _wait(lambda: _fired(engine) > 0, 60)
        victims: list[str] = []
        _wait(lambda: victims.extend(_in_transaction(engine)) or bool(victims), 30)
        victim = victims[0]
        workers[victim].send_signal(signal.SIGKILL)
        workers[victim].wait(10)
        killed_at = _fired(engine)
        assert killed_at < expected, "the kill came after all the work was done"
        _wait(lambda: _fired(engine) == expected, 120)
    finally:
        for process in workers.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in workers.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    with engine.connect() as conn:
        timers = conn.scalar(select(func.count(func.distinct(CaseTimer.id))))
        events = Counter(
            conn.scalars(
                select(TimelineEvent.data["timer"].as_integer()).where(
                    TimelineEvent.kind.in_(["case:sla:reminder", "case:sla:breached"])
                )
            )
        )
        fired_by = set(
            conn.scalars(select(CaseTimer.fired_by).where(CaseTimer.fired_by.is_not(None)))
        )
    assert timers == expected
    assert len(events) == expected, "a timer never fired"
    assert set(events.values()) == {1}, "a timer fired twice"
    assert fired_by <= set(WORKERS)
    assert len(fired_by - {victim}) >= 1
