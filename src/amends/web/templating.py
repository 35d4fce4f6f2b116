"""Render pages and htmx fragments with the headers every amends page carries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from amends import __version__
from amends.cases import clocks, review
from amends.cases.events import EventKind
from amends.cases.states import MEANING
from amends.store.tables import User
from amends.web import csrf, flash, formatting

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
HTMX_VERSION = "2.0.11"
CHART_VERSION = "4.6.1"  # Chart.js, for the dashboard

# Scripts and styles only from our own /static: customer text that slipped past escaping
# could still not run. htmx's own inline indicator styles are turned off in base.html.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # Pages hold customers' words and personal data: keep them out of shared caches and disks.
    "Cache-Control": "no-store",
    # The same URL answers with a page or a fragment, depending on this header.
    "Vary": "HX-Request",
}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        ago=formatting.ago,
        stamp=formatting.stamp,
        past=formatting.past,
        label=formatting.label,
        web_url=formatting.web_url,
        stars=formatting.stars,
        excerpt=formatting.excerpt,
        percent=formatting.percent,
    )
    env.globals.update(
        version=__version__,
        htmx=f"vendor/htmx-{HTMX_VERSION}.min.js",
        chart_js=f"vendor/chart-{CHART_VERSION}.min.js",
        meaning=MEANING,
        Event=EventKind,
        sla_clocks=clocks.sla_clocks,
        most_urgent=clocks.most_urgent,
        may_review=_may_review,
    )
    return env


def _may_review(user: User | None) -> bool:
    """Whether `user` works the senior-review queue: the nav link and the review buttons."""
    return user is not None and review.may_review(user.role)


def _common(request: Request) -> dict[str, Any]:
    return {"csrf_token": csrf.token(request)}


templates = Jinja2Templates(env=_environment(), context_processors=[_common])


def page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """A whole page: base layout, the user's pending messages, security headers."""
    full = {"user": None, "flashes": flash.pop(request), **context}
    return templates.TemplateResponse(request, name, full, status_code=status_code, headers=HEADERS)


def customer_page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """A page for a customer who follows a signed link: no user, and kept out of search
    engines, since the link is their credential."""
    response = page(request, name, {"user": None, **context}, status_code=status_code)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def fragment(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    """A piece of a page for htmx to swap in."""
    return templates.TemplateResponse(request, name, dict(context), headers=HEADERS)


def wants_fragment(request: Request) -> bool:
    """True for htmx's own requests; a history restore needs the whole page."""
    headers = request.headers
    return headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") is None
