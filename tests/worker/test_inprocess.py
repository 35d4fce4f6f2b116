"""The worker inside `amends serve`: a thread that fires due timers on either database."""

from __future__ import annotations

import time

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from amends.accounts import service as accounts
from amends.config import Settings
from amends.store.db import make_engine, make_sessionmaker
from amends.store.tables import Case, CaseTimer, Role
from amends.worker.inprocess import InProcessWorker
from tests.notify.servers import smtp_server
from tests.worker.seeding import due_cases


def test_the_in_process_worker_fires_due_timers(fresh_db: str) -> None:
    engine = make_engine(fresh_db)
    try:
        with Session(engine) as session, session.begin():
            expected = due_cases(session, 30)
        settings = Settings(database_url=fresh_db, worker_batch=7)
        worker = InProcessWorker(make_sessionmaker(engine), settings)
        worker.start()
        try:
            stop = time.monotonic() + 30
            while time.monotonic() < stop and _fired(engine) < expected:
                time.sleep(0.05)
        finally:
            worker.stop()
        assert _fired(engine) == expected
    finally:
        engine.dispose()


def _fired(engine: object) -> int:
    with Session(engine) as session:  # type: ignore[call-overload]
        count = session.scalar(select(func.count()).where(CaseTimer.fired_at.is_not(None)))
    return int(count or 0)


def test_a_breach_reaches_the_owner_by_email_through_the_worker(fresh_db: str) -> None:
    engine = make_engine(fresh_db)
    try:
        with Session(engine) as session, session.begin():
            due_cases(session, 1)
            owner = accounts.create_user(
                session, email="olga@example.com", name="Olga", role=Role.AGENT
            )
            session.execute(update(Case).values(owner_id=owner.id))
        with smtp_server() as smtp:
            settings = Settings(
                database_url=fresh_db,
                smtp_host=smtp.host,
                smtp_port=smtp.port,
                smtp_starttls=False,
            )
            worker = InProcessWorker(make_sessionmaker(engine), settings)
            worker.start()
            try:
                stop = time.monotonic() + 30
                while time.monotonic() < stop and len(smtp.inbox.messages) < 2:
                    time.sleep(0.05)
            finally:
                worker.stop()
        subjects = sorted(str(message["Subject"]) for message in smtp.inbox.messages)
    finally:
        engine.dispose()
    assert subjects == [
        "[amends] Case 1 is close to its first-response target",
        "[amends] Case 1 missed its first-response target",
    ]
    assert all(to == ["olga@example.com"] for _, to in smtp.inbox.envelopes)
