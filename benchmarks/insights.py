"""The recovery figures over 100,000 cases: how long `amends report` and the dashboard take.

Rows, each the median of 5 runs after one warm-up:
- `report`: the whole period's figures (`amends report --json`);
- `report by category` and `report by agent`: one row per group;
- `dashboard`: everything the dashboard page computes (summary, five breakdowns, the trend by
  category, agent recognition);
- peer `bare GROUP BY`: one aggregate over the cases (count and recovered per category), the
  floor a report's many joins add to.

The cases span 90 days: 40 % recovered, 10 % not, the rest open; each settled case has its
status events, a fifth have compensation, a third a survey answer, 50 agents own them.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Table, func, select
from sqlalchemy.orm import Session

from amends.insights import dashboard
from amends.insights.metrics import Dimension, Filters, report
from amends.lib import clock
from amends.store.db import make_engine
from amends.store.tables import Case, Compensation, Customer, Survey, TimelineEvent, User
from amends.store.upsert import insert_rows
from benchmarks import databases

CASES = 100_000
AGENTS = 50
CHUNK = 10_000
CATEGORIES = ("delay", "billing_and_refunds", "damaged_or_defective", "staff_attitude", "other")
CHANNELS = ("email", "twitter", "review", "chat")


def run(
    work: Path, backends: tuple[str, ...] = ("sqlite", "postgresql"), cases: int = CASES
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for backend in backends:
        with databases.fresh(backend, work) as url:
            engine = make_engine(url)
            try:
                _seed(engine, cases)
                databases.analyze(url)
                rows.extend(_measure(backend, engine, cases))
            finally:
                engine.dispose()
    return rows


def _measure(backend: str, engine: Engine, cases: int) -> list[dict[str, object]]:
    end = clock.now() + timedelta(minutes=1)
    filters = Filters(start=end - timedelta(days=91), end=end)
    jobs: dict[str, Callable[[Session], object]] = {
        "report": lambda s: report(s, filters, currency="USD"),
        "report by category": lambda s: report(s, filters, by=Dimension.CATEGORY, currency="USD"),
        "report by agent": lambda s: report(s, filters, by=Dimension.AGENT, currency="USD"),
        "dashboard": lambda s: dashboard.build(s, filters, currency="USD"),
        "peer: bare GROUP BY": lambda s: s.execute(
            select(Case.category, func.count(), func.sum(Case.risk)).group_by(Case.category)
        ).all(),
    }
    rows: list[dict[str, object]] = []
    for name, job in jobs.items():
        seconds = _median(engine, job)
        rows.append(
            {"database": backend, "what": name, "cases": cases, "ms (median of 5)": seconds * 1000}
        )
    return rows


def _median(engine: Engine, job: Callable[[Session], object]) -> float:
    times = []
    for attempt in range(6):
        with Session(engine) as session:
            started = time.perf_counter()
            job(session)
            elapsed = time.perf_counter() - started
        if attempt:
            times.append(elapsed)
    return statistics.median(times)


def _seed(engine: Engine, cases: int) -> None:
    rng = random.Random(42)
    now = clock.now()
    with Session(engine) as session, session.begin():
        agents = [
            User(email=f"agent{n}@bench.example", name=f"Agent {n}", role="agent")
            for n in range(AGENTS)
        ]  # type: ignore[arg-type]
        session.add_all(agents)
        customers = [
            Customer(name=f"C{n}", lifetime_value=Decimal(rng.randint(20, 2000)))
            for n in range(cases // 2)
        ]
        session.add_all(customers)
        session.flush()
        agent_ids = [a.id for a in agents]
        customer_ids = [c.id for c in customers]
    tables = {
        name: cast(Table, model.__table__)
        for name, model in (
            ("cases", Case),
            ("events", TimelineEvent),
            ("comp", Compensation),
            ("surveys", Survey),
        )
    }
    for start in range(1, cases + 1, CHUNK):
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
        for number in range(start, min(start + CHUNK, cases + 1)):
            _one(rng, number, now, agent_ids, customer_ids, rows)
        with Session(engine) as session, session.begin():
            for name, table in tables.items():
                if rows[name]:
                    insert_rows(session, table, rows[name])


def _one(
    rng: random.Random,
    number: int,
    now: datetime,
    agent_ids: list[int],
    customer_ids: list[int],
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    opened = now - timedelta(minutes=rng.randrange(90 * 24 * 60))
    roll = rng.random()
    status = "recovered" if roll < 0.4 else "not_recovered" if roll < 0.5 else "investigating"
    answered = opened + timedelta(minutes=rng.randrange(5, 600))
    rows["cases"].append(
        {
            "id": number,
            "title": f"Case {number}",
            "channel": rng.choice(CHANNELS),
            "category": rng.choice(CATEGORIES),
            "status": status,
            "priority": "normal",
            "risk": rng.randrange(100),
            "owner_id": rng.choice(agent_ids),
            "customer_id": rng.choice(customer_ids),
            "opened_at": opened,
            "updated_at": opened,
            "created_at": opened,
            "first_responded_at": answered,
            "first_response_due_at": opened + timedelta(hours=4),
            "resolution_due_at": opened + timedelta(days=3),
        }
    )
    if status == "investigating":
        return
    for to, hours in (("remedy_done", rng.randrange(6, 120)), (status, rng.randrange(130, 200))):
        rows["events"].append(
            {"case_id": number, "kind": "case:status:change", "actor": "bench",
             "at": opened + timedelta(hours=hours), "data": {"from": "x", "to": to}}
        )  # fmt: skip
    if rng.random() < 0.2:
        rows["comp"].append(
            {"case_id": number, "kind": rng.choice(("voucher", "refund")),
             "amount": Decimal(rng.randrange(5, 200)), "currency": "USD", "created_at": opened}
        )  # fmt: skip
    if rng.random() < 0.33:
        rows["surveys"].append(
            {"case_id": number, "round": 1, "sent_at": opened, "expires_at": opened,
             "outcome": "satisfied" if status == "recovered" else "unsatisfied",
             "answered_at": opened + timedelta(days=8), "csat": rng.randint(1, 5),
             "nps": rng.randint(0, 10), "consent": "none", "invited": [], "reminders_sent": 0,
             "emailed": True}
        )  # fmt: skip
