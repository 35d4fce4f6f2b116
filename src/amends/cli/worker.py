"""`amends worker`: keep time in a separate process, on PostgreSQL (docs/worker.md)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.markup import escape

from amends.cli import context
from amends.worker import engine
from amends.worker.rounds import worker_name


def worker(
    name: Annotated[
        str | None, typer.Option(help="This worker's name in logs and on fired timers.")
    ] = None,
) -> None:
    """Fire SLA reminders, breaches and escalations, and send notifications, as a separate
    process. Run as many as you like on PostgreSQL; set AMENDS_WORKER=off on the servers."""
    settings = context.settings()
    chosen = name or worker_name()
    try:
        app = engine.build(settings, name=chosen)
    except ValueError as error:
        context.console.print(f"[red]error:[/] {escape(str(error))}")
        raise typer.Exit(2) from error
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    context.console.print(f"worker [bold]{escape(chosen)}[/] started; Ctrl+C stops it")
    app.run_worker(name=chosen, delete_jobs="successful", install_signal_handlers=True)


def register(app: typer.Typer) -> None:
    app.command()(worker)
