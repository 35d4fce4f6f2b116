"""What every command that reads a feedback file shares: its options and its progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import DownloadColumn, Progress, TimeRemainingColumn

from amends.cli import context
from amends.ingest.formats import FORMATS
from amends.ingest.registry import PRESETS

FormatOption = Annotated[
    str | None,
    typer.Option("--format", help=f"One of: {', '.join(FORMATS)}. Default: from the file name."),
]
PresetOption = Annotated[
    str, typer.Option(help=f"One of: auto, {', '.join(PRESETS)}. auto looks at the file.")
]
MapOption = Annotated[
    list[str] | None,
    typer.Option("--map", help="FIELD=COLUMN, our field from the named column. Repeatable."),
]


@contextmanager
def file_progress(title: str, *, show: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress bar in bytes of the file read; yields the callback that moves it."""
    columns = (*Progress.get_default_columns()[:-1], DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=context.console, disable=not show) as bar:
        task = bar.add_task(title, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
