"""Triage's reading of texts in worker processes, while the importer stores earlier batches.

Reading a text (the models, its language, personal data, risk cues: `triage.service.read`) is
nearly all of an import's CPU time and needs nothing from the database, while storing a batch
needs little CPU. So worker processes read the next batches as the importing process stores
this one, and every core works. The workers are started by a fork server, not forked from the
importer: the importer runs threads (the prefetch thread, a web server), and a fork copies any
lock one of them holds (so a script that imports needs the `if __name__ == "__main__":` guard
of any Python program that starts processes). Should the workers die, the importer reads the
remaining batches itself.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from amends.triage import service

log = logging.getLogger(__name__)
B = TypeVar("B")


@dataclass(frozen=True, slots=True)
class Pending:
    """A batch's texts being read in a worker."""

    texts: list[str]
    future: Future[list[service.Reading]]

    def readings(self) -> dict[str, service.Reading] | None:
        """The readings by text, once the worker is done; its error, if reading failed; None
        if the worker died (the caller then reads the texts itself)."""
        try:
            return dict(zip(self.texts, self.future.result(), strict=True))
        except BrokenProcessPool:
            log.warning("a reading worker died; this import reads its texts in-process")
            return None


class ReadAhead:
    """A pool of `workers` processes that read batches with the given category model, started
    at the first batch submitted (an import of one batch never starts one)."""

    def __init__(self, workers: int, category_model: Path | None) -> None:
        self.workers = workers
        self.category_model = category_model
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, texts: Sequence[str]) -> Pending | None:
        """Start reading `texts`; None when the workers are gone (read them in-process)."""
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_worker,
                initargs=(self.category_model, os.getpid()),
            )
        unique = list(dict.fromkeys(texts))
        try:
            return Pending(unique, self.pool.submit(_read, unique, self.category_model))
        except BrokenProcessPool:
            return None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def read_ahead(workers: int, category_model: Path | None) -> Iterator[ReadAhead | None]:
    """A ReadAhead for the block, or None when `workers` is under 2 (read in-process)."""
    if workers < 2:
        yield None
        return
    reader = ReadAhead(workers, category_model)
    try:
        yield reader
    finally:
        reader.close()


def read_in_order(
    batches: Iterable[B],
    texts: Callable[[B], list[str]],
    *,
    workers: int,
    category_model: Path | None,
) -> Generator[tuple[B, dict[str, service.Reading] | None], None, None]:
    """Each batch with its texts' readings, in order, the workers reading up to two batches
    each ahead. The first batch comes with None (read it in-process while the workers start on
    the next), as does any batch the workers could not take."""
    with read_ahead(workers, category_model) as reader:
        waiting: deque[tuple[B, Pending | None]] = deque()
        for number, batch in enumerate(batches):
            pending = reader.submit(texts(batch)) if reader and number > 0 else None
            waiting.append((batch, pending))
            while len(waiting) > 2 * workers or (len(waiting) > 1 and waiting[0][1] is None):
                yield _ready(waiting.popleft())
        while waiting:
            yield _ready(waiting.popleft())


def _ready(waiting: tuple[B, Pending | None]) -> tuple[B, dict[str, service.Reading] | None]:
    batch, pending = waiting
    return batch, pending.readings() if pending else None


def _start_worker(category_model: Path | None, importer: int) -> None:
    """Leave with the importer; load the models while it parses and stores its first batch."""
    _exit_with(importer)
    service.read(["warm up"], category_model=category_model)


def _exit_with(importer: int) -> None:
    """End this worker when the importer ends, however it ends.

    A worker killed with its importer (`kill -9`, out of memory) would otherwise wait for work
    for ever: the queue it reads stays open in the other workers, and every worker holds the
    importer's output open too, so whoever waits for that output waits for ever as well.
    """

    def watch() -> None:
        try:
            ended = os.pidfd_open(importer)  # readable once the process has ended
        except (AttributeError, OSError):  # not Linux 5.3 or later: ask every second
            while _alive(importer):
                time.sleep(1)
        else:
            select.select([ended], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="amends-exit-with-importer", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _read(texts: list[str], category_model: Path | None) -> list[service.Reading]:
    return service.read(texts, category_model=category_model)
