from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from amends.web.routes import (
    approvals,
    auth,
    case_actions,
    cases,
    choice,
    dashboard,
    lessons,
    playbooks,
    remedies,
    replies,
    reply_templates,
    review,
    survey,
    timekeeping,
)
from amends.web.routes.preferences import router as preferences_router
from amends.web.templating import STATIC_DIR


def mount(app: FastAPI) -> None:
    """Add every web page, and the static files, to the app."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (
        auth,
        cases,
        case_actions,
        timekeeping,
        playbooks,
        review,
        remedies,
        replies,
        reply_templates,
        approvals,
        choice,
        survey,
        dashboard,
        lessons,
    ):
        app.include_router(module.router)
    app.include_router(preferences_router)
