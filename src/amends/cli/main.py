"""The `amends` command: one Typer app, each command group in its own module."""

from __future__ import annotations

import typer

from amends.cli import accounts, db, demo, ingest, model, playbooks, serve, sources, triage

app = typer.Typer(
    name="amends",
    help="amends: turn every complaint into a recovered customer.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
for module in (db, serve, ingest, triage, model, playbooks, accounts, sources, demo):
    module.register(app)


def main() -> None:
    app()
