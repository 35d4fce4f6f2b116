"""What every command needs: settings, a session factory, and a console for people."""

from __future__ import annotations

from functools import lru_cache

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings, SettingsError, get_settings
from amends.store.db import make_engine, make_sessionmaker

console = Console(stderr=True, soft_wrap=True)


def settings() -> Settings:
    """The settings, or a message naming the variables to fix and exit status 2."""
    try:
        return get_settings()
    except SettingsError as error:
        console.print(f"[red]error:[/] {escape(str(error))}")
        raise typer.Exit(2) from error


@lru_cache(maxsize=1)
def factory() -> sessionmaker[Session]:
    return make_sessionmaker(make_engine(settings().resolved_database_url))
