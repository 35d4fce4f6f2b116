"""`amends worker`: the worker's rounds as procrastinate jobs on PostgreSQL (docs/worker.md).

Every worker process runs procrastinate's periodic deferrer, and procrastinate defers each
periodic tick once however many workers run (a unique row per task and second), so the
timers are swept every second by whichever worker is free. A round that outlasts its second
overlaps the next on another worker; FOR UPDATE SKIP LOCKED in the round keeps them from
taking the same timer. A worker killed mid-round loses nothing: its transaction rolls back
and the next tick sweeps those timers again; procrastinate marks the killed worker's job
stalled, and `recover` closes it as failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import procrastinate
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.store.db import make_engine, make_sessionmaker
from amends.worker.rounds import (
    fire_timers,
    refresh_facts,
    send_notifications,
    warm_dashboards,
    watch_spikes,
    worker_name,
)

log = logging.getLogger(__name__)

#: Seconds a worker may go without a heartbeat before its running jobs count as stalled.
STALLED_AFTER = 30


def conninfo(database_url: str) -> str:
    """The libpq connection string of an SQLAlchemy PostgreSQL URL."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(
            "amends worker runs on PostgreSQL; with SQLite, `amends serve` runs the worker "
            "in-process (AMENDS_WORKER=inprocess)"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def build(settings: Settings, *, name: str | None = None) -> procrastinate.App:
    """The procrastinate app with amends' periodic tasks, on the configured database."""
    worker = name or worker_name()
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(settings.resolved_database_url))
    )
    factory = _sessions(settings, worker)
    _register(app, "amends.fire_timers", lambda: _fire(factory, settings, worker))
    _register(app, "amends.send_notifications", lambda: _send(factory, settings, worker))
    _register_spikes(app, factory)
    _register_facts(app, factory)
    _register_warm(app, factory, settings)
    _register_recovery(app)
    return app


def _sessions(settings: Settings, worker: str) -> sessionmaker[Session]:
    engine = make_engine(
        settings.resolved_database_url, connect_args={"application_name": f"amends {worker}"}
    )
    return make_sessionmaker(engine)


def _fire(factory: sessionmaker[Session], settings: Settings, worker: str) -> None:
    done = fire_timers(factory, settings, worker=worker)
    if done.total:
        log.info(
            "fired %d timers (%d reminders, %d breaches, %d escalations, %d moot, "
            "%d acknowledgements, %d follow-ups)",
            done.total,
            done.reminders,
            done.breaches,
            done.escalations,
            done.cancelled,
            done.acknowledged,
            done.followed_up,
        )


def _send(factory: sessionmaker[Session], settings: Settings, worker: str) -> None:
    counts = send_notifications(factory, settings, worker=worker)
    if counts.sent or counts.retrying or counts.dead:
        log.info("notifications: %s", counts.as_dict())


def _register(app: procrastinate.App, task_name: str, work: Callable[[], None]) -> None:
    """`work` as a task deferred every second, at most one waiting at a time."""

    def run(timestamp: int) -> None:
        work()

    task = app.task(name=task_name, queue="amends", queueing_lock=task_name)(run)
    app.periodic(cron="* * * * * *", periodic_id=task_name)(task)


def _register_spikes(app: procrastinate.App, factory: sessionmaker[Session]) -> None:
    @app.periodic(cron="* * * * *", periodic_id="amends.watch_spikes")
    @app.task(name="amends.watch_spikes", queue="amends", queueing_lock="amends.watch_spikes")
    def watch(timestamp: int) -> None:
        """Once a minute, by whichever worker is free: spikes of the last complete hour."""
        found = watch_spikes(factory)
        if found:
            log.info("%d spikes alerted", found)


def _register_facts(app: procrastinate.App, factory: sessionmaker[Session]) -> None:
    @app.periodic(cron="* * * * * */10", periodic_id="amends.refresh_facts")
    @app.task(name="amends.refresh_facts", queue="amends", queueing_lock="amends.refresh_facts")
    def refresh(timestamp: int) -> None:
        """Every ten seconds: the facts of the cases changed since (insights.facts)."""
        done = refresh_facts(factory)
        if done:
            log.info("case facts: %d cases worked out again", done)


def _register_warm(
    app: procrastinate.App, factory: sessionmaker[Session], settings: Settings
) -> None:
    @app.periodic(cron="* * * * *", periodic_id="amends.warm_dashboards")
    @app.task(name="amends.warm_dashboards", queue="amends", queueing_lock="amends.warm_dashboards")
    def rewarm(timestamp: int) -> None:
        """Once a minute: the dashboards of long periods whose warm copy is due (insights.warm)."""
        done = warm_dashboards(factory, settings)
        if done:
            log.info("dashboards kept warm: %d worked out again", done)


def _register_recovery(app: procrastinate.App) -> None:
    @app.periodic(cron="* * * * *", periodic_id="amends.recover")
    @app.task(name="amends.recover", queue="amends", queueing_lock="amends.recover")
    async def recover(timestamp: int) -> None:
        """Close the jobs of workers that stopped sending heartbeats. Their rounds need no
        retry: what they did not commit, the next round does."""
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER)
        for job in stalled:
            log.warning("closing job %s of a stalled worker", job.id)
            await app.job_manager.finish_job(
                job, status=procrastinate.jobs.Status.FAILED, delete_job=False
            )
