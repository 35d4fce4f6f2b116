"""`amends playbooks`: check a playbook folder before amends uses it; explain a case's playbook;
simulate what a set would do with a file of past items."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from amends.cases import playbook_set, queries
from amends.cases.explain import CaseExplanation, describe, explain_case
from amends.cases.playbook_set import PlaybookSet
from amends.cases.simulate import Report, Simulation, Staff, staff
from amends.cli import context, simulation_view
from amends.cli.file_input import FormatOption, MapOption, PresetOption, file_progress
from amends.config import Settings
from amends.ingest.importer import ImportRefused, ImportRequest
from amends.ingest.mapping import parse_map
from amends.ingest.replay import Counts, replay
from amends.playbooks.authority import AuthorityLimits
from amends.playbooks.check import CheckResult, check
from amends.playbooks.default import default_playbook
from amends.playbooks.durations import format_duration
from amends.playbooks.examples import configured_folder
from amends.playbooks.schema import Clock, Playbook, Sla
from amends.store.db import READ_ONLY, make_engine
from amends.triage.category import load_model
from amends.triage.linear import ModelFileError

playbooks = typer.Typer(
    help="Check the playbooks (routing, SLAs, remedies), explain a case's, try them on a file.",
    no_args_is_help=True,
)


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


@playbooks.command("explain")
def explain_command(
    case_id: Annotated[int, typer.Argument(help="The case's id.", show_default=False)],
) -> None:
    """Show which playbook a case fell under and why.

    Prints the playbook, team and due times stored when the case was opened, then matches
    the facts of its riskiest item against the playbooks in use now, printing each condition
    of each playbook tried, held (✓) or not (✗).
    """
    settings = context.settings()
    with context.factory()() as session:
        case = queries.get_case(session, case_id)
        if case is None:
            context.console.print(f"[red]error:[/] case {case_id} not found")
            raise typer.Exit(2)
        found = explain_case(session=session, case=case, settings=settings)
        lines = _explained(found)
    if found.problems:
        context.console.print(
            f"[yellow]warning:[/] the playbook folder has {len(found.problems)} problem(s) and "
            "is not in use; the case is explained with the last good set "
            "(see amends playbooks check)"
        )
    for line in lines:
        typer.echo(_plain(line))


def _explained(found: CaseExplanation) -> list[str]:
    case, routed = found.case, found.routed or {}
    where = f" ({routed['origin']})" if routed.get("origin") else " (built in)"
    stored = f'"{case.playbook}"{where}' if case.playbook else "none (opened before playbooks)"
    lines = [
        f"Case #{case.id}: {case.title}",
        f"Playbook: {stored}",
        f"Team: {case.team or 'none'}",
        f"First response due: {_stamp(case.first_response_due_at)}",
        f"Resolution due: {_stamp(case.resolution_due_at)}",
        "",
    ]
    if found.item is None or found.facts is None or found.explanation is None:
        return [*lines, "The case has no feedback item to match."]
    lines.append(f"Why: item #{found.item.id}, the riskiest ({', '.join(describe(found.facts))})")
    lines.extend(found.explanation.lines())
    if found.changed:
        lines.append(
            f'Today the item falls under "{found.matches_now}", not "{case.playbook}": the '
            "playbooks, its triage or the customer changed since the case was opened."
        )
    return lines


def _stamp(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "none"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(line: str) -> str:
    """Customer text without the control characters a terminal would act on."""
    return _CONTROL.sub("\ufffd", line)


@playbooks.command("simulate")
def simulate_command(
    file: Annotated[
        Path,
        typer.Option(
            "--from", help="A file of past items, as `amends import` reads it.", show_default=False
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            help="The items' source, for playbooks that match on it. Default: the file's "
            "name without extension.",
            show_default=False,
        ),
    ] = None,
    format: FormatOption = None,
    preset: PresetOption = "auto",
    map_: MapOption = None,
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir", help="Playbook folder to try. Default: the one in use.", show_default=False
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
) -> None:
    """Run a file of past items through the playbooks without writing anything.

    Reads and triages the file as `amends import` would, opens no case, and prints how many
    cases each playbook and team would get, the expected load per agent (team members from
    the database, when it has any), how many cases would be escalated, and to whom, and how
    many would get an automatic acknowledgement.
    """
    settings = context.settings()
    current = _set_to_try(settings, directory)
    try:
        request = ImportRequest(
            path=file,
            source=source or file.stem,
            preset=preset,
            format=format,
            overrides=parse_map(map_ or []),
        )
        people = _staff(settings, list(current.teams))
        report, counts = _simulate(request, settings, current, people, show_progress=not as_json)
    except (ImportRefused, ValueError) as error:
        context.console.print(f"[red]error:[/] {escape(str(error))}")
        raise typer.Exit(2) from error
    if as_json:
        typer.echo(json.dumps({**asdict(counts), **report.public()}, ensure_ascii=False))
    else:
        simulation_view.show(report, counts)


def _set_to_try(settings: Settings, directory: Path | None) -> PlaybookSet:
    """The set in use, or the one in `directory`; exits 2 when it has problems."""
    chosen = settings.model_copy(update={"playbooks_dir": directory}) if directory else settings
    found = playbook_set.current(chosen)
    if found.problems:
        for problem in found.problems:
            context.console.print(escape(str(problem)))
        context.console.print(
            f"[red]error:[/] the playbooks in {escape(str(found.folder))} have "
            f"{len(found.problems)} problem(s); fix them first (amends playbooks check)"
        )
        raise typer.Exit(2)
    return found


def _staff(settings: Settings, teams: list[str]) -> Staff:
    """The teams' members from the database, read only; none when there is no database yet."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        return Staff()
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        with (
            engine.connect() as conn,
            Session(conn.execution_options(**{READ_ONLY: True})) as session,
        ):
            return staff(session, teams)
    except SQLAlchemyError:
        return Staff()
    finally:
        engine.dispose()


def _simulate(
    request: ImportRequest,
    settings: Settings,
    current: PlaybookSet,
    people: Staff,
    *,
    show_progress: bool,
) -> tuple[Report, Counts]:
    counts = Counts()
    simulation = Simulation(current, people)
    with file_progress(f"Simulating {request.path.name}", show=show_progress) as advance:
        for batch in replay(request, settings=settings, counts=counts, progress=advance):
            simulation.add(batch)
    return simulation.report(), counts


def register(app: typer.Typer) -> None:
    app.add_typer(playbooks, name="playbooks")
