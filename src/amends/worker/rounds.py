"""One round of the worker's work, whatever runs it: fire the due timers, send the automatic
acknowledgements and the follow-ups, a batch per transaction, until none are left or the round
has run long enough; then send the notifications and replies that are due."""

from __future__ import annotations

import os
import socket
import time

from sqlalchemy.orm import Session, sessionmaker

from amends.cases import playbook_set
from amends.cases.acknowledge import acknowledge_due
from amends.cases.follow_up import follow_up_due
from amends.cases.timekeeping import Fired, fire_due
from amends.config import Settings
from amends.insights import facts, warm
from amends.insights.spike_alerts import watch
from amends.lib import clock
from amends.notify.deliver import DeliveryCounts, deliver_due
from amends.store.db import READ_ONLY, transaction

#: A round stops taking new batches after this long, so a backlog never starves other work.
ROUND_SECONDS = 10.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def fire_timers(
    factory: sessionmaker[Session],
    settings: Settings,
    *,
    seconds: float = ROUND_SECONDS,
    worker: str | None = None,
) -> Fired:
    """Fire due timers until none are due or `seconds` have passed, `worker_batch` per
    transaction: small enough that on SQLite a web request waiting for the write lock waits
    milliseconds, large enough that a backlog drains quickly."""
    batch = settings.worker_batch
    done = Fired()
    name = worker or worker_name()
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        playbooks = playbook_set.current(settings)
        with transaction(factory) as session:
            now = clock.now()
            fired = fire_due(session, playbooks=playbooks, now=now, limit=batch, worker=name)
            fired.acknowledged = acknowledge_due(
                session, playbooks=playbooks, settings=settings, now=now, limit=batch, worker=name
            )
            fired.followed_up = follow_up_due(
                session, playbooks=playbooks, settings=settings, now=now, limit=batch
            ).total
        done += fired
        if fired.total < batch:
            break
    return done


def watch_spikes(factory: sessionmaker[Session]) -> int:
    """Look for spikes in the last complete hour and queue their alerts (insights.spike_alerts);
    how many spikes. Run about once a minute: an alert already queued is not queued again."""
    with transaction(factory) as session:
        return len(watch(session, now=clock.now()))


def refresh_facts(factory: sessionmaker[Session]) -> int:
    """Work out again the facts of the cases changed since the last refresh (insights.facts),
    so the dashboard finds little left to do; how many cases. A round of notes per
    transaction: a backlog (after the upgrade that adds the facts, say) never holds one open
    for long."""
    done = 0
    while True:
        with transaction(factory) as session:
            cases = facts.refresh(session, rounds=1)
        if not cases:
            return done
        done += cases


#: Notifications one round sends at most; the rest wait a second for the next round.
DELIVERIES_PER_ROUND = 100


def send_notifications(
    factory: sessionmaker[Session], settings: Settings, *, worker: str | None = None
) -> DeliveryCounts:
    """Send the notifications that are due, by email or webhook, with retries (notify.deliver)."""
    return deliver_due(
        factory, settings=settings, limit=DELIVERIES_PER_ROUND, worker_name=worker or worker_name()
    )


def warm_dashboards(
    factory: sessionmaker[Session], settings: Settings, *, limit: int | None = None
) -> int:
    """Work out again the dashboards kept warm whose copy is due (insights.warm), the oldest
    first, at most `limit`; how many. Each is read in a session that takes no write lock on
    SQLite, so a year of figures never holds up the writers, and kept in a short transaction."""
    currency = settings.authority_currency
    with transaction(factory) as session:
        views = warm.due(session, now=clock.now(), currency=currency, limit=limit)
    if views:
        refresh_facts(factory)  # so reading the figures has nothing left to write
    engine = factory.kw["bind"]
    for view in views:
        with engine.connect() as conn, Session(conn.execution_options(**{READ_ONLY: True})) as read:
            board = warm.work_out(read, view, now=clock.now())
            read.commit()
        with transaction(factory) as session:
            warm.keep(session, view, board)
    return len(views)
