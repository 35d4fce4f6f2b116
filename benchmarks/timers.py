"""The worker's timer throughput with 100,000 open cases (400,000 timers) in the database.

Rows:
- `idle sweep`: one `fire_due` call when nothing is due, the cost the worker pays every
  second on a quiet system (median of 50).
- `fire, 1 worker`: firing a backlog of due timers in this process, each with its timeline
  event, notifications and, for breaches, the default playbook's escalation to a team lead.
- `fire, 4 worker processes` (PostgreSQL): the same backlog fired by four `amends worker`
  processes, from the first timer fired to the last.
- peer `bare UPDATE`: marking the same backlog fired with plain UPDATEs of 200 rows and
  nothing else: the floor that firing's real work adds to.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import Engine, Table, func, select, text, update
from sqlalchemy.orm import Session

from amends.cases import playbook_set
from amends.cases.timekeeping import fire_due
from amends.config import Settings
from amends.lib import clock
from amends.store.db import make_engine, make_sessionmaker
from amends.store.tables import Case, CaseTimer, TimerKind
from amends.store.upsert import insert_rows
from amends.worker.rounds import fire_timers
from benchmarks import databases

OPEN_CASES = 100_000
DUE_CASES = 10_000  # each with a reminder and a breach due: 20,000 timers to fire
CHUNK = 10_000


def run(
    work: Path, backends: tuple[str, ...] = ("sqlite", "postgresql")
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for backend in backends:
        with databases.fresh(backend, work) as url:
            rows.extend(_measure(backend, url))
    return rows


def _measure(backend: str, url: str) -> list[dict[str, object]]:
    engine = make_engine(url)
    try:
        _seed(engine)
        databases.analyze(url)
        settings = Settings(database_url=url, playbooks_dir=None)
        rows = [_idle(backend, engine, settings), _fire_here(backend, engine, settings)]
        _rearm(engine)
        rows.append(_bare_update(backend, engine))
        if backend == "postgresql":
            _rearm(engine)
            rows.append(_fire_by_workers(backend, url, engine))
        return rows
    finally:
        engine.dispose()


def _seed(engine: Engine) -> None:
    now = clock.now()
    cases = cast(Table, Case.__table__)
    timers = cast(Table, CaseTimer.__table__)
    for start in range(1, OPEN_CASES + 1, CHUNK):
        ids = range(start, min(start + CHUNK, OPEN_CASES + 1))
        with Session(engine) as session, session.begin():
            insert_rows(session, cases, [_case(number, now) for number in ids])
            insert_rows(session, timers, [t for number in ids for t in _timers(number, now)])


def _case(number: int, now: object) -> dict[str, object]:
    return {
        "id": number,
        "title": f"Case {number}",
        "channel": "email",
        "status": "new",
        "priority": "normal",
        "risk": 40,
        "opened_at": now,
        "updated_at": now,
        "created_at": now,
    }


def _timers(number: int, now: object) -> list[dict[str, object]]:
    at = clock.now()
    due = number <= DUE_CASES
    first = at - timedelta(minutes=1) if due else at + timedelta(hours=4 + number % 20)
    return [
        {
            "case_id": number,
            "kind": TimerKind.FIRST_RESPONSE_REMINDER,
            "due_at": first - timedelta(hours=1),
        },
        {"case_id": number, "kind": TimerKind.FIRST_RESPONSE_BREACH, "due_at": first},
        {
            "case_id": number,
            "kind": TimerKind.RESOLUTION_REMINDER,
            "due_at": at + timedelta(days=2),
        },
        {"case_id": number, "kind": TimerKind.RESOLUTION_BREACH, "due_at": at + timedelta(days=3)},
    ]


def _due(engine: Engine) -> int:
    with engine.connect() as conn:
        query = select(func.count()).where(
            CaseTimer.fired_at.is_(None), CaseTimer.due_at <= clock.now()
        )
        return int(conn.scalar(query) or 0)


def _idle(backend: str, engine: Engine, settings: Settings) -> dict[str, object]:
    playbooks = playbook_set.current(settings)
    before = clock.now() - timedelta(days=1)
    factory = make_sessionmaker(engine)
    times = []
    for _ in range(50):
        with factory() as session, session.begin():
            start = time.perf_counter()
            fire_due(session, playbooks=playbooks, now=before, limit=200, worker="bench")
            times.append(time.perf_counter() - start)
    median = statistics.median(times) * 1000
    return _row(backend, "idle sweep (nothing due)", f"{median:.2f} ms per sweep", None)


def _fire_here(backend: str, engine: Engine, settings: Settings) -> dict[str, object]:
    due = _due(engine)
    start = time.perf_counter()
    done = fire_timers(make_sessionmaker(engine), settings, seconds=3600, worker="bench")
    seconds = time.perf_counter() - start
    assert done.total == due, (done.total, due)
    return _row(backend, "fire, 1 worker (this process)", f"{due:,} timers", due / seconds)


def _rearm(engine: Engine) -> None:
    """Make the fired backlog due again, and drop what firing wrote, for the next row."""
    with engine.begin() as conn:
        conn.execute(
            update(CaseTimer)
            .where(CaseTimer.fired_at.is_not(None))
            .values(fired_at=None, fired_by=None)
        )
        conn.execute(text("DELETE FROM timeline_events"))
        conn.execute(text("DELETE FROM deliveries"))
        conn.execute(
            update(Case).values(escalated_to=None, escalated_at=None, senior_review_at=None)
        )


def _bare_update(backend: str, engine: Engine) -> dict[str, object]:
    due = _due(engine)
    now = clock.now()
    pending = select(CaseTimer.id).where(
        CaseTimer.fired_at.is_(None), CaseTimer.cancelled_at.is_(None), CaseTimer.due_at <= now
    )
    start = time.perf_counter()
    while True:
        with engine.begin() as conn:
            ids = list(conn.scalars(pending.order_by(CaseTimer.due_at).limit(200)))
            if not ids:
                break
            conn.execute(
                update(CaseTimer).where(CaseTimer.id.in_(ids)).values(fired_at=now, fired_by="x")
            )
    seconds = time.perf_counter() - start
    return _row(backend, "peer: bare UPDATE, 200 per transaction", f"{due:,} timers", due / seconds)


def _fire_by_workers(backend: str, url: str, engine: Engine) -> dict[str, object]:
    due = _due(engine)
    env = os.environ | {"AMENDS_DATABASE_URL": url, "AMENDS_PLAYBOOKS_DIR": ""}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "amends", "worker", "--name", f"bench{n}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(4)
    ]
    try:
        while _fired(engine) == 0:
            time.sleep(0.01)
        start = time.perf_counter()
        while _fired(engine) < due:
            time.sleep(0.05)
        seconds = time.perf_counter() - start
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(30)
    return _row(backend, "fire, 4 `amends worker` processes", f"{due:,} timers", due / seconds)


def _fired(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).where(CaseTimer.fired_at.is_not(None))) or 0)


def _row(backend: str, what: str, size: str, per_second: float | None) -> dict[str, object]:
    return {
        "database": backend,
        "measure": what,
        "work": size,
        "timers/s": "" if per_second is None else f"{per_second:,.0f}",
    }
