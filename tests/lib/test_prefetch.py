import threading
from collections.abc import Iterator

import pytest

from amends.lib.prefetch import ahead


def test_it_yields_every_item_in_order() -> None:
    with ahead(iter(range(1000)), depth=3) as items:
        assert list(items) == list(range(1000))


def test_it_runs_the_source_in_another_thread() -> None:
    def where() -> Iterator[str]:
        yield threading.current_thread().name

    with ahead(where()) as items:
        assert list(items) != [threading.current_thread().name]


def test_it_raises_the_sources_error_in_the_consumer() -> None:
    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("row 2 is broken")

    with ahead(failing()) as items, pytest.raises(ValueError, match="row 2 is broken"):
        list(items)


def test_leaving_early_stops_the_thread_and_closes_the_source() -> None:
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            number = 0
            while True:
                yield number
                number += 1
        finally:
            closed.set()

    with ahead(endless(), depth=2) as items:
        assert next(items) == 0
    assert closed.is_set()
    assert not any(t.name == "amends-prefetch" for t in threading.enumerate())
