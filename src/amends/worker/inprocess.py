"""The worker inside `amends serve`: a thread that runs a round every second.

Enough for one server on SQLite or PostgreSQL. Larger installs run `amends worker` processes
instead (AMENDS_WORKER=off on the servers); the two can also run side by side on PostgreSQL,
since a round takes only timers no one else holds.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.worker.rounds import (
    fire_timers,
    refresh_facts,
    send_notifications,
    warm_dashboards,
    watch_spikes,
    worker_name,
)

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 1.0
SPIKE_SECONDS = 60.0  # how often to look for spikes
FACTS_SECONDS = 10.0  # how often to bring the case facts up to date
WARM_SECONDS = 15.0  # how often to work out one dashboard kept warm, if one is due


class InProcessWorker:
    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        self._factory = factory
        self._settings = settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="amends-worker", daemon=True)
        self._name = f"{worker_name()}:serve"

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        next_watch = next_refresh = next_warm = time.monotonic()
        while not self._stop.is_set():
            try:
                fire_timers(self._factory, self._settings, worker=self._name, seconds=2.0)
                if time.monotonic() >= next_watch:
                    next_watch = time.monotonic() + SPIKE_SECONDS
                    watch_spikes(self._factory)
                if time.monotonic() >= next_refresh:
                    next_refresh = time.monotonic() + FACTS_SECONDS
                    refresh_facts(self._factory)
                if time.monotonic() >= next_warm:
                    # One at a time: a year of figures must not hold up the timers for long.
                    next_warm = time.monotonic() + WARM_SECONDS
                    warm_dashboards(self._factory, self._settings, limit=1)
                send_notifications(self._factory, self._settings, worker=self._name)
            except Exception:  # a bad round must not stop the clock; the next one retries
                log.exception("worker round failed")
            self._stop.wait(INTERVAL_SECONDS)
