from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress

from amends import demo as demo_data
from amends.cli import context
from amends.cli.db import init
from amends.cli.serve import refuse_invalid_playbooks, run_server
from amends.demo import history as demo_history


def demo(
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the server after loading.")
    ] = True,
    history: Annotated[
        bool,
        typer.Option(
            "--history/--no-history",
            help="Play most cases out over the last two months, for the dashboard.",
        ),
    ] = True,
) -> None:
    """Load the demo (real CFPB complaints and demo users) and start amends."""
    # The demo's cases are routed by the playbooks: refuse a broken set before loading.
    refuse_invalid_playbooks(context.settings())
    init()
    with Progress(console=context.console) as bar:
        task = bar.add_task("Loading demo complaints", total=None)
        summary = demo_data.load(
            context.factory(),
            context.settings(),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    context.console.print(
        f"Demo data: {summary.imported} complaints imported, {summary.duplicates} already there."
    )
    if history:
        with context.console.status("Playing out two months of recovery work"):
            played = demo_history.play(context.factory(), context.settings())
        if played.cases:
            context.console.print(
                f"Demo history: {played.cases} cases worked, {played.surveys} follow-up "
                f"surveys, {played.recovered} customers recovered."
            )
    lead = demo_data.DEMO_USERS[0]
    context.console.print(
        f"Log in as [bold]{lead.email}[/] with password [bold]{demo_data.DEMO_PASSWORD}[/] "
        f"(also agent@, manager@, admin@demo.amends)."
    )
    if serve:
        run_server()


def register(app: typer.Typer) -> None:
    app.command()(demo)
