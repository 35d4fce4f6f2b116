"""`amends root-causes export`: the cases of one root cause, as CSV or to the webhooks of the
teams that fix it (docs/insights.md#root-causes)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from amends.cli import context
from amends.cli.acting import fail
from amends.cli.report import period_filters
from amends.insights import root_causes
from amends.store.db import transaction
from amends.store.tables import RootCause

app = typer.Typer(help="Root causes: export a cause's cases for the team that fixes it.")


@app.command("export")
def export(
    cause: Annotated[RootCause, typer.Argument(help="process, training, policy, product, …")],
    period: Annotated[str, typer.Option(help="Cases opened in the last: 30d, 12w.")] = "90d",
    channel: Annotated[str | None, typer.Option(help="Only cases from this channel.")] = None,
    category: Annotated[str | None, typer.Option(help="Only cases of this category.")] = None,
    team: Annotated[str | None, typer.Option(help="Only this team's cases.")] = None,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Write the cases to this CSV file (- for stdout).")
    ] = None,
    webhook: Annotated[
        bool,
        typer.Option(
            "--webhook", help="Send them to the shared webhooks that list root_cause_export."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one line of JSON.")] = False,
) -> None:
    """Write the cases as CSV, send them by webhook, or both; print how many."""
    if csv_file is None and not webhook:
        raise fail("say where the cases go: --csv FILE, --webhook, or both")
    filters = period_filters(period, channel=channel, category=category, team=team)
    with transaction(context.factory()) as session:
        rows = root_causes.cases_with(session, cause, filters)
        sent = root_causes.send(session, cause, rows, filters) if webhook else 0
    if webhook and not sent:
        context.console.print(
            "[yellow]No shared webhook lists root_cause_export: add one with "
            "amends webhooks add URL --event root_cause_export.[/]"
        )
    if csv_file is not None:
        _write(rows, csv_file)
    summary = {"root_cause": cause.value, "cases": len(rows), "webhooks": sent}
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        context.console.print(f"{len(rows)} cases with the root cause {cause.value}.")


def _write(rows: list[root_causes.CauseCase], path: Path) -> None:
    if str(path) == "-":
        root_causes.write_csv(rows, sys.stdout)
        return
    with path.open("w", encoding="utf-8", newline="") as out:
        root_causes.write_csv(rows, out)


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="root-causes")
