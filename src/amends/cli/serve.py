from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from amends.cli import context


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (AMENDS_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (AMENDS_PORT).")] = None,
) -> None:
    """Start the web UI and the API."""
    run_server(host, port)


def run_server(host: str | None = None, port: int | None = None) -> None:
    settings = context.settings()
    host = host or settings.host
    port = port or settings.port
    context.console.print(f"amends is at [bold]http://{host}:{port}[/] (API docs at /docs)")
    uvicorn.run("amends.app:create_app", factory=True, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command()(serve)
