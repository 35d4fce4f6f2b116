"""The REST API (JSON). Thin: every route calls a capability."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPBearer

from amends.api.errors import validation_error
from amends.api.routes import (
    accounts,
    cases,
    customers,
    feedback,
    lessons,
    playbooks,
    remedies,
    replies,
    review,
    sources,
    surveys,
    timekeeping,
)
from amends.api.routes.notifications import router as notifications_router

PREFIX = "/api/v1"

# Authentication is done by deps.ApiUser; this only lets OpenAPI and /docs show the scheme.
_bearer = HTTPBearer(auto_error=False, description="An API token: `amends tokens create`.")


def mount(app: FastAPI) -> None:
    """Add every API route to the app."""
    app.add_exception_handler(RequestValidationError, validation_error)
    app.include_router(feedback.webhook)
    v1 = APIRouter(prefix=PREFIX, dependencies=[Depends(_bearer)])
    for module in (
        feedback,
        cases,
        timekeeping,
        customers,
        accounts,
        sources,
        remedies,
        playbooks,
        review,
        replies,
        surveys,
        lessons,
    ):
        v1.include_router(module.router)
    v1.include_router(notifications_router)
    app.include_router(v1)
