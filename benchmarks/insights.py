"""The recovery figures over 1,000,000 cases: how long `amends report` and the dashboard take,
and what keeping the case facts fresh costs.

Rows, each the median of 5 runs after one warm-up (of 2 where the warm-up took over 5 s)
unless said:
- `facts: first build`: working out every case's facts, as after the migration that adds them
  (one run);
- `facts: refresh after 1,000 changes`: a status change on 1,000 cases, then the refresh the
  worker runs every ten seconds (median of 3);
- `report`: the figures of the last 30 days (`amends report --json`); `report by agent`;
- `dashboard <period>`: everything the dashboard page computes for that period (summary, five
  breakdowns, agents, two trends, emerging topics);
- `GET /dashboard?period=…`: the whole page through the app; 90 and 365 days from the warm copy
  the worker keeps (here: the one the warm-up request kept), and 365 days worked out live;
  filtered to one channel, and to a channel and a category, over a year (views the worker works
  out ahead: more cases than `AHEAD_CASES`) from their warm copies; the rare category over 90
  days and a year, and with a channel over a year (fewer cases: not worked out ahead) worked out
  live, with the unfiltered view's copy kept as the worker keeps it; and a channel and a common
  category over 90 days (about 6,000 cases: worked out ahead) as it would be without its copy;
- `worker: every view worked out ahead`: one round of `amends.warm_dashboards` with no copies
  yet (one run);
- peer `bare GROUP BY`: one aggregate over the cases of the last 30 days (count and risk by
  category), the floor a report's figures add to.

The cases span two years, stored about in the order they open: 40 % recovered, 10 % not, the
rest open; each settled case has its status events, a fifth have compensation, a third a survey
answer, 50 agents own them.
"""

from __future__ import annotations

import random
import re
import secrets
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, cast

from fastapi.testclient import TestClient
from sqlalchemy import Engine, Table, delete, func, select
from sqlalchemy.orm import Session

from amends.accounts import service as accounts
from amends.app import create_app
from amends.config import Settings
from amends.insights import dashboard, facts
from amends.insights.metrics import Dimension, Filters, report
from amends.insights.warm import View
from amends.lib import clock
from amends.store.db import make_engine, make_sessionmaker, transaction
from amends.store.tables import (
    Case,
    Compensation,
    Customer,
    DashboardView,
    Role,
    Survey,
    TimelineEvent,
    User,
)
from amends.store.upsert import insert_rows
from amends.worker.rounds import warm_dashboards
from benchmarks import databases

CASES = 1_000_000
PASSWORD = secrets.token_urlsafe(16)  # a throwaway lead, in a throwaway database
SPAN_DAYS = 730
CHANGED = 1_000
SLOW_SECONDS = 5.0
AGENTS = 50
CHUNK = 10_000
CATEGORIES = (
    "delay",
    "billing_and_refunds",
    "damaged_or_defective",
    "staff_attitude",
    "other",
    "policy",
)
#: Each category's share: "policy" is rare, as a real taxonomy's long tail is.
CATEGORY_WEIGHTS = (20, 20, 20, 20, 19, 1)
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
                rows.extend(_measure(backend, engine, cases, url))
            finally:
                engine.dispose()
    return rows


def _measure(backend: str, engine: Engine, cases: int, url: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def row(what: str, seconds: float) -> None:
        rows.append({"database": backend, "what": what, "cases": cases, "ms": seconds * 1000})

    row("facts: first build", _timed(engine, facts.refresh))
    databases.analyze(url)
    row(f"facts: refresh after {CHANGED:,} changes", _refresh_after_changes(engine, cases))
    end = clock.now() + timedelta(minutes=1)

    def last(days: int) -> Filters:
        return Filters(start=end - timedelta(days=days), end=end)

    jobs: dict[str, Callable[[Session], object]] = {
        "report (30 days)": lambda s: report(s, last(30), currency="USD"),
        "report by agent (30 days)": lambda s: report(
            s, last(30), by=Dimension.AGENT, currency="USD"
        ),
        **{
            f"dashboard ({days} days)": partial(_dashboard, filters=last(days))
            for days in (7, 30, 90, 365)
        },
        "peer: bare GROUP BY (30 days)": lambda s: s.execute(
            select(Case.category, func.count(), func.sum(Case.risk))
            .where(Case.opened_at >= end - timedelta(days=30))
            .group_by(Case.category)
        ).all(),
    }
    for name, job in jobs.items():
        row(name, _median(engine, job))
    row("GET /dashboard?period=30d, in-process HTTP", _page(url, 30))
    for days in (90, 365):
        row(f"GET /dashboard?period={days}d, warm copy", _page(url, days))
    row("GET /dashboard?period=365d, worked out live", _page(url, 365, warm=False))
    one, two = f"channel={CHANNELS[0]}", f"channel={CHANNELS[0]}&category={CATEGORIES[0]}"
    for days, filters in ((90, one), (365, one), (365, two)):
        row(f"GET /dashboard?period={days}d&{filters}, warm copy", _page(url, days, filters))
    rare = f"category={CATEGORIES[-1]}"
    small = ((90, rare), (365, rare), (365, f"channel={CHANNELS[0]}&{rare}"), (90, two))
    for days, filters in small:
        row(
            f"GET /dashboard?period={days}d&{filters}, worked out live",
            _page(url, days, filters, warm=False),
        )
    seconds, views = _warm_round(url)
    row(f"worker: every view worked out ahead ({views} views, one run)", seconds)
    return rows


def _warm_round(url: str) -> tuple[float, int]:
    """One round of the worker's `amends.warm_dashboards` with no copies kept yet."""
    engine = make_engine(url)
    try:
        factory = make_sessionmaker(engine)
        with transaction(factory) as session:
            session.execute(delete(DashboardView))
        started = time.perf_counter()
        views = warm_dashboards(factory, Settings(database_url=url, worker="off", env="dev"))
        return time.perf_counter() - started, views
    finally:
        engine.dispose()


def _page(url: str, days: int, filters: str = "", *, warm: bool = True) -> float:
    """The whole page as a lead gets it: the ASGI app with its session, authentication,
    queries and template, through Starlette's test client (no network); median of 5 after a
    warm-up. A long period is shown from the copy the warm-up kept (insights/warm.py), unless
    `warm` is False: then the view's copy is dropped before each request, so each works it out
    (a filtered view with the unfiltered view's copy at hand, as the worker keeps it)."""
    settings = Settings(database_url=url, worker="off", env="dev")
    engine = make_engine(url)
    lead = f"lead-{secrets.token_hex(4)}@bench.example"
    try:
        factory = make_sessionmaker(engine)
        with transaction(factory) as session:
            accounts.create_user(
                session, email=lead, name="Lead", role=Role.LEAD, password=PASSWORD
            )
        with TestClient(create_app(settings, factory)) as client:
            token = _csrf(client.get("/login").text)
            client.post("/login", data={"email": lead, "password": PASSWORD, "csrf_token": token})
            times = []
            kept = []
            if filters:  # the unfiltered view's copy stays, as the worker keeps it
                client.get(f"/dashboard?period={days}d")
                kept = [DashboardView.key != View(days, "USD").key]
            for attempt in range(6):
                if not warm:
                    with transaction(factory) as session:
                        session.execute(delete(DashboardView).where(*kept))
                started = time.perf_counter()
                query = f"period={days}d" + (f"&{filters}" if filters else "")
                response = client.get(f"/dashboard?{query}", follow_redirects=False)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise RuntimeError(f"/dashboard answered {response.status_code}")
                if attempt:
                    times.append(elapsed)
            return statistics.median(times)
    finally:
        engine.dispose()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if found is None:
        raise RuntimeError("the login page has no CSRF field")
    return found.group(1)


def _dashboard(session: Session, *, filters: Filters) -> object:
    return dashboard.build(session, filters, currency="USD")


def _timed(engine: Engine, job: Callable[[Session], object]) -> float:
    with Session(engine) as session, session.begin():
        started = time.perf_counter()
        job(session)
        return time.perf_counter() - started


def _refresh_after_changes(engine: Engine, cases: int) -> float:
    rng = random.Random(7)
    times = []
    for _ in range(3):
        changed = rng.sample(range(1, cases + 1), CHANGED)
        events = [
            {"case_id": number, "kind": "case:status:change", "actor": "bench",
             "at": clock.now(), "data": {"from": "x", "to": "reopened"}}
            for number in changed
        ]  # fmt: skip
        with Session(engine) as session, session.begin():
            insert_rows(session, cast(Table, TimelineEvent.__table__), events)
        times.append(_timed(engine, facts.refresh))
    return statistics.median(times)


def _median(engine: Engine, job: Callable[[Session], object]) -> float:
    """The median of 5 runs after a warm-up; of 2 when the warm-up took over 5 s."""
    times = []
    runs = 5
    for attempt in range(runs + 1):
        with Session(engine) as session:
            started = time.perf_counter()
            job(session)
            elapsed = time.perf_counter() - started
        if attempt:
            times.append(elapsed)
        elif elapsed > SLOW_SECONDS:
            runs = 2
        if len(times) == runs:
            break
    return statistics.median(times)


def _seed(engine: Engine, cases: int) -> None:
    rng = random.Random(42)
    now = clock.now()
    with Session(engine) as session, session.begin():
        agents = [
            User(email=f"agent{n}@bench.example", name=f"Agent {n}", role="agent")
            for n in range(AGENTS)
        ]
        session.add_all(agents)
        session.flush()
        agent_ids = [a.id for a in agents]
        customer_ids = list(range(1, cases // 2 + 1))
        customers = [
            {"id": n, "name": f"C{n}", "lifetime_value": Decimal(rng.randint(20, 2000)),
             "created_at": now}
            for n in customer_ids
        ]  # fmt: skip
        insert_rows(session, cast(Table, Customer.__table__), customers)
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
            # Cases are stored about in the order they open, as in a running install.
            age = timedelta(minutes=SPAN_DAYS * 24 * 60 * (cases - number) / cases)
            opened = now - age - timedelta(minutes=rng.randrange(60))
            _one(rng, number, opened, agent_ids, customer_ids, rows)
        with Session(engine) as session, session.begin():
            for name, table in tables.items():
                if rows[name]:
                    insert_rows(session, table, rows[name])


def _one(
    rng: random.Random,
    number: int,
    opened: datetime,
    agent_ids: list[int],
    customer_ids: list[int],
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    roll = rng.random()
    status = "recovered" if roll < 0.4 else "not_recovered" if roll < 0.5 else "investigating"
    answered = opened + timedelta(minutes=rng.randrange(5, 600))
    rows["cases"].append(
        {
            "id": number,
            "title": f"Case {number}",
            "channel": rng.choice(CHANNELS),
            "category": rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0],
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
