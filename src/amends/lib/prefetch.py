"""Run a generator in a background thread, a few items ahead of its consumer.

An import spends about half its time parsing rows in Python and half waiting for the database;
psycopg and sqlite3 release the GIL while they wait, so parsing the next batch meanwhile
overlaps the two.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")
_POLL_SECONDS = 0.1


class _Done:
    pass


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Producer(Generic[T]):
    def __init__(self, source: Iterator[T], depth: int) -> None:
        self.source = source
        self.queue: queue.Queue[T | _Done | _Failed] = queue.Queue(maxsize=depth)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="amends-prefetch", daemon=True)

    def _run(self) -> None:
        """Any error, even KeyboardInterrupt, goes to the consumer, which re-raises it."""
        try:
            for item in self.source:
                if not self._put(item):
                    return
        except BaseException as error:
            self._put(_Failed(error))
            return
        finally:
            _close(self.source)
        self._put(_Done())

    def _put(self, item: T | _Done | _Failed) -> bool:
        while not self.stopped.is_set():
            try:
                self.queue.put(item, timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def items(self) -> Iterator[T]:
        while True:
            item = self.queue.get()
            if isinstance(item, _Done):
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item


def _close(source: Iterator[object]) -> None:
    """Close a generator in the thread that ran it, so its `finally` and `with` blocks run."""
    close = getattr(source, "close", None)
    if close is not None:
        close()


@contextmanager
def ahead(source: Iterator[T], depth: int = 2) -> Iterator[Iterator[T]]:
    """Yield `source`'s items, produced up to `depth` ahead in another thread.

    Leaving the block stops and joins the thread, so the caller may then close whatever
    `source` reads from.
    """
    producer = _Producer(source, depth)
    producer.thread.start()
    try:
        yield producer.items()
    finally:
        producer.stopped.set()
        producer.thread.join()
