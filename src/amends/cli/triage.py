from __future__ import annotations

import json
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.progress import Progress

from amends.cli import context
from amends.ingest.formats import guess_format
from amends.ingest.rescore import rescore
from amends.ingest.triage_file import TRIAGE_FORMATS, sniff_format, triage_records

_SPOOL_BYTES = 64 * 1024 * 1024


def triage_command(
    file: Annotated[
        Path | None,
        typer.Argument(help="CSV, JSON Lines or JSON file; standard input when omitted."),
    ] = None,
    text_column: Annotated[str, typer.Option(help="The column holding the text.")] = "text",
    model: Annotated[
        Path | None,
        typer.Option(help="A category model from `amends model train --output`."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Where to write JSON Lines; standard output when omitted.")
    ] = None,
    format: Annotated[
        str | None,
        typer.Option("--format", help=f"One of: {', '.join(TRIAGE_FORMATS)}. Default: guessed."),
    ] = None,
    rescore: Annotated[
        bool,
        typer.Option(
            "--rescore",
            help="Instead of a file: triage every stored item again (after a model "
            "change) and update their cases.",
        ),
    ] = False,
) -> None:
    """Triage each row of a file: sentiment, emotions, category, language, PII, risk.

    Prints one JSON object per row, in the file's order. Columns `channel`, `rating` and
    `author_reach`, when present, feed the risk score. Nothing is stored.
    """
    if rescore:
        if file is not None:
            context.console.print("[red]error:[/] --rescore reads the database, not FILE")
            raise typer.Exit(2)
        _rescore()
        return
    with ExitStack() as stack:
        stream = stack.enter_context(file.open("rb")) if file else _spooled_stdin(stack)
        fmt = format or (guess_format(file) if file else None) or _sniff(stream)
        out = stack.enter_context(output.open("w", encoding="utf-8")) if output else sys.stdout
        size = file.stat().st_size if file else None
        _write(stream, out, fmt, text_column, model or context.settings().category_model, size)


def _sniff(stream: IO[bytes]) -> str:
    head = stream.read(64)
    stream.seek(0)
    return sniff_format(head)


def _spooled_stdin(stack: ExitStack) -> IO[bytes]:
    """Standard input copied to a seekable buffer: readers look at the start of a file twice."""
    spool = stack.enter_context(tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES))  # noqa: SIM115
    shutil.copyfileobj(sys.stdin.buffer, spool)
    spool.seek(0)
    return spool


def _write(
    stream: IO[bytes],
    out: IO[str],
    fmt: str,
    text_column: str,
    model: Path | None,
    size: int | None,
) -> None:
    with Progress(console=context.console, transient=True) as bar:
        task = bar.add_task("Triaging", total=size)
        try:
            workers = context.settings().import_workers
            results = triage_records(
                stream, fmt, text_column=text_column, model=model, workers=workers
            )
            for result in results:
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
                if size:
                    bar.update(task, completed=min(stream.tell(), size))
        except ValueError as error:
            context.console.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from error


def _rescore() -> None:
    with Progress(console=context.console) as bar:
        task = bar.add_task("Rescoring stored items", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        summary = rescore(context.factory(), context.settings(), progress=advance)
    context.console.print(f"Triaged {summary.items} items again; updated {summary.cases} cases.")


def register(app: typer.Typer) -> None:
    app.command("triage")(triage_command)
