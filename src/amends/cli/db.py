from __future__ import annotations

import typer

from amends.cli import context
from amends.store import migrate


def init() -> None:
    """Create or upgrade the database to the latest schema (safe to run again)."""
    settings = context.settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.resolved_database_url)
    context.console.print(f"[green]Database ready[/]: {_safe_url(settings.resolved_database_url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def register(app: typer.Typer) -> None:
    app.command()(init)
