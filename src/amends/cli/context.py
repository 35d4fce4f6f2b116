"""What every command needs: settings, a session factory, and a console for people."""

from __future__ import annotations

from functools import lru_cache

from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings, get_settings
from amends.store.db import make_engine, make_sessionmaker

console = Console(stderr=True)


def settings() -> Settings:
    return get_settings()


@lru_cache(maxsize=1)
def factory() -> sessionmaker[Session]:
    return make_sessionmaker(make_engine(settings().resolved_database_url))
