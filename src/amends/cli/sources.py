from __future__ import annotations

from typing import Annotated

import typer

from amends.cli import context
from amends.ingest import sources as service
from amends.store.db import transaction

sources = typer.Typer(
    help="Manage webhook sources and their signing secrets.", no_args_is_help=True
)


@sources.command("create")
def create(
    name: Annotated[
        str, typer.Argument(help="Source name, sent as X-Amends-Source.", show_default=False)
    ],
    channel: Annotated[str, typer.Option(help="Default channel of its items.")] = "other",
) -> None:
    """Create a webhook source and print its signing secret."""
    try:
        with transaction(context.factory()) as session:
            source = service.create_source(session, name=name, channel=channel)
    except service.SourceError as error:
        context.console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from error
    typer.echo(source.webhook_secret)


@sources.command("list")
def list_() -> None:
    """List webhook sources (secrets are not shown)."""
    with transaction(context.factory()) as session:
        for source in service.list_sources(session):
            typer.echo(f"{source.name}\t{source.channel}")


def register(app: typer.Typer) -> None:
    app.add_typer(sources, name="sources")
