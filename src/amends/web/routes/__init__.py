"""Web routes, one module per capability; each builds its router with `WebRoute` and CSRF."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from amends.web import csrf
from amends.web.route import WebRoute


def web_router() -> APIRouter:
    """A router whose pages render errors as pages and whose writes all check the CSRF token."""
    return APIRouter(
        route_class=WebRoute, dependencies=[Depends(csrf.protect)], include_in_schema=False
    )
