from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer

from amends.cli import context
from amends.cli.file_input import FormatOption, MapOption, PresetOption, file_progress
from amends.ingest.importer import ImportRefused, ImportRequest, ImportSummary, run_import
from amends.ingest.mapping import parse_map
from amends.ingest.orders import ORDER_FIELDS, run_orders_import


class Kind(enum.StrEnum):
    FEEDBACK = "feedback"
    ORDERS = "orders"


def import_(
    file: Annotated[Path, typer.Argument(help="The file to import.", show_default=False)],
    source: Annotated[str, typer.Option(help="Name of the source (e.g. 'trustpilot-uk').")],
    format: FormatOption = None,
    preset: PresetOption = "auto",
    map_: MapOption = None,
    kind: Annotated[
        Kind,
        typer.Option(help="feedback, or orders (orders and visits, for repeat business)."),
    ] = Kind.FEEDBACK,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a one-line JSON summary instead of a table.")
    ] = False,
) -> None:
    """Import feedback from a file: deduplicated, customers linked, cases opened. With
    --kind orders, import orders and visits instead (docs/channels.md#orders-and-visits).

    Rows that cannot be imported are written, with their line number and reason, to
    FILE.rejected.<ext> next to the input: fix them there and import that file.
    """
    try:
        if kind is Kind.ORDERS:
            overrides = parse_map(map_ or [], ORDER_FIELDS)
            summary = _run_orders(file, source, format, overrides, show_progress=not as_json)
        else:
            request = ImportRequest(
                path=file,
                source=source,
                preset=preset,
                format=format,
                overrides=parse_map(map_ or []),
            )
            summary = _run(request, show_progress=not as_json)
    except (ImportRefused, ValueError) as error:
        context.console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from error
    if as_json:
        typer.echo(json.dumps(summary.public()))
    else:
        _print(summary)


def _run_orders(
    path: Path,
    source: str,
    format: str | None,
    overrides: dict[str, str],
    *,
    show_progress: bool,
) -> ImportSummary:
    with file_progress(f"Importing orders from {path.name}", show=show_progress) as advance:
        return run_orders_import(
            path,
            source=source,
            factory=context.factory(),
            settings=context.settings(),
            format=format,
            overrides=overrides,
            progress=advance,
        )


def _run(request: ImportRequest, *, show_progress: bool) -> ImportSummary:
    with file_progress(f"Importing {request.path.name}", show=show_progress) as advance:
        return run_import(
            request, factory=context.factory(), settings=context.settings(), progress=advance
        )


def _print(summary: ImportSummary) -> None:
    console = context.console
    console.print(
        f"[bold]{summary.read}[/] read with preset [cyan]{summary.preset}[/] ({summary.format}): "
        f"[green]{summary.imported} imported[/], {summary.duplicates} already there, "
        f"[{'red' if summary.rejected else 'green'}]{summary.rejected} rejected[/]"
    )
    if summary.updated:
        console.print(
            f"{summary.updated} of those already there came back changed: updated reviews"
        )
    if summary.rejected_file:
        console.print(f"Rejected rows, with line and reason: {summary.rejected_file}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
