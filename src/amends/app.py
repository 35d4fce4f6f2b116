"""Build the ASGI application: the JSON API under /api, the web pages everywhere else."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from amends import __version__
from amends.api import router as api_router
from amends.config import Settings, get_settings
from amends.store.db import make_engine, make_sessionmaker
from amends.triage import service as triage
from amends.web import router as web_router


def create_app(
    settings: Settings | None = None, factory: sessionmaker[Session] | None = None
) -> FastAPI:
    settings = settings or get_settings()
    if factory is None:
        factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    app = FastAPI(
        lifespan=_warm_triage,
        title="amends",
        version=__version__,
        summary="Service recovery: turn every complaint into a recovered customer.",
        docs_url="/docs",
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.sessionmaker = factory
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie="amends_session",
        max_age=int(timedelta(hours=settings.session_max_age_hours).total_seconds()),
        same_site="lax",
        https_only=settings.env != "dev",
    )
    api_router.mount(app)
    web_router.mount(app)
    return app


@asynccontextmanager
async def _warm_triage(app: FastAPI) -> AsyncIterator[None]:
    """Load the triage models and compile its patterns (about 0.4 s) while the server starts,
    not in the first request that brings feedback."""
    settings: Settings = app.state.settings
    threading.Thread(
        target=triage.read,
        args=(["warm up"],),
        kwargs={"category_model": settings.category_model},
        name="amends-warm-triage",
        daemon=True,
    ).start()
    yield
