"""The `amends` command: one Typer app, each command group in its own module."""

from __future__ import annotations

import typer

from amends.cli import (
    accounts,
    cases,
    db,
    demo,
    ingest,
    model,
    playbooks,
    reply,
    report,
    root_causes,
    serve,
    sources,
    topics,
    triage,
    worker,
)
from amends.cli.notifications import register as register_notifications
from amends.cli.remedies import register as register_remedies

app = typer.Typer(
    name="amends",
    help="amends: turn every complaint into a recovered customer.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
for module in (
    db,
    serve,
    worker,
    ingest,
    triage,
    cases,
    model,
    playbooks,
    reply,
    report,
    root_causes,
    accounts,
    sources,
    topics,
    demo,
):
    module.register(app)
register_notifications(app)
register_remedies(app)


def main() -> None:
    app()
