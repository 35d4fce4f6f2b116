from __future__ import annotations

from typing import Annotated

import typer
import uvicorn
from rich.markup import escape

from amends.cases import playbook_set
from amends.cli import context
from amends.config import Settings
from amends.playbooks.examples import configured_folder
from amends.worker.inprocess import InProcessWorker


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (AMENDS_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (AMENDS_PORT).")] = None,
) -> None:
    """Start the web UI and the API."""
    run_server(host, port)


def run_server(host: str | None = None, port: int | None = None) -> None:
    settings = context.settings()
    refuse_invalid_playbooks(settings)
    host = host or settings.host
    port = port or settings.port
    context.console.print(f"amends is at [bold]http://{host}:{port}[/] (API docs at /docs)")
    clock_keeper = InProcessWorker(context.factory(), settings)
    if settings.worker == "inprocess":
        clock_keeper.start()
    try:
        uvicorn.run(
            "amends.app:create_app", factory=True, host=host, port=port, log_level="warning"
        )
    finally:
        clock_keeper.stop()


def refuse_invalid_playbooks(settings: Settings) -> None:
    """Exit with status 2, printing each problem as `file:line:column: field: message`, when
    the configured playbook set has any: the server must not start without a good set."""
    problems = playbook_set.current(settings).problems
    if not problems:
        return
    for problem in problems:
        context.console.print(escape(str(problem)))
    folder = configured_folder(settings)
    context.console.print(
        f"[red]error:[/] the playbooks in {escape(str(folder))} have {len(problems)} "
        "problem(s): fix them (amends playbooks check) or set AMENDS_PLAYBOOKS_DIR"
    )
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.command()(serve)
