"""`amends playbooks`: check a playbook folder before amends uses it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from amends.cli import context
from amends.config import Settings
from amends.playbooks.authority import AuthorityLimits
from amends.playbooks.check import CheckResult, check
from amends.playbooks.default import default_playbook
from amends.playbooks.durations import format_duration
from amends.playbooks.examples import configured_folder
from amends.playbooks.schema import Clock, Playbook, Sla
from amends.triage.category import load_model
from amends.triage.linear import ModelFileError

playbooks = typer.Typer(help="Check the playbooks: routing, SLAs, remedies.", no_args_is_help=True)


@playbooks.command("check")
def check_command(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Playbook folder. Default: AMENDS_PLAYBOOKS_DIR, or the shipped e-commerce set.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of text.")
    ] = False,
) -> None:
    """Check every playbook file in a folder: form, teams, categories, caps, shadowed rules.

    Prints each problem as `file:line:column: field: message` and exits 1 when there is
    any; prints a summary of the playbooks, in match order, and exits 0 when there is none.
    """
    settings = context.settings()
    folder = directory or configured_folder(settings)
    try:
        result = check(
            folder,
            categories=_categories(settings),
            authority=AuthorityLimits.from_settings(settings),
        )
    except NotADirectoryError as error:
        context.console.print(f"[red]error:[/] {escape(str(error))}")
        raise typer.Exit(2) from error
    if as_json:
        typer.echo(json.dumps(_public(result), ensure_ascii=False))
    elif result.ok:
        _summary(result, default_playbook(settings))
    else:
        for problem in result.problems:
            typer.echo(str(problem))
    if not result.ok:
        raise typer.Exit(1)


def _categories(settings: Settings) -> tuple[str, ...] | None:
    """The labels of the configured custom category model; None for the built-in taxonomy."""
    if settings.category_model is None:
        return None
    try:
        return tuple(load_model(settings.category_model).labels)
    except (ModelFileError, OSError) as error:
        context.console.print(f"[red]error:[/] AMENDS_CATEGORY_MODEL: {escape(str(error))}")
        raise typer.Exit(2) from error


def _public(result: CheckResult) -> dict[str, object]:
    return {
        "ok": result.ok,
        "problems": [problem.public() for problem in result.problems],
        "playbooks": len(result.playbooks),
    }


def _summary(result: CheckResult, default: Playbook) -> None:
    table = Table(
        "Playbook, in match order", "Where", "Team", "Clock", "First response", "Resolution"
    )
    for compiled in result.playbooks:
        origin = compiled.origin
        where = f"{Path(origin.file).name}:{origin.line}" if origin else ""
        table.add_row(*_row(compiled.playbook, where, default))
    table.add_row(*_row(default, "built in", default))
    out = Console(soft_wrap=True)
    out.print(table)
    files, teams = len(result.load.files), len(result.load.teams)
    out.print(f"{len(result.playbooks)} playbooks, {teams} teams, {files} files: no problems.")


def _row(playbook: Playbook, where: str, default: Playbook) -> tuple[str, ...]:
    team = playbook.assign.team if playbook.assign else "—"
    return (
        escape(playbook.name),
        escape(where),
        escape(team),
        *_targets(playbook.sla or default.sla),
    )


def _targets(sla: Sla | None) -> tuple[str, str, str]:
    if sla is None:
        return "—", "—", "—"
    calendar = sla.clock is Clock.CALENDAR
    return (
        sla.clock.value.replace("_", " "),
        format_duration(sla.first_response, days=calendar),
        format_duration(sla.resolution, days=calendar),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(playbooks, name="playbooks")
