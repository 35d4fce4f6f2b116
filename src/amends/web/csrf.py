"""CSRF protection for the web pages: one random token per session, checked on every write.

The token lives in the signed session cookie. Forms carry it as a hidden field and htmx sends it
as a header (set once on <body>), so a page from another site, which can neither read the cookie
nor our pages, cannot produce it.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request, status

SESSION_KEY = "csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def token(request: Request) -> str:
    """The session's token, created on first use."""
    current = request.session.get(SESSION_KEY)
    if not isinstance(current, str) or not current:
        current = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = current
    return current


def rotate(request: Request) -> str:
    """A fresh token, for a new login: a token seen before it is worth nothing after."""
    request.session.pop(SESSION_KEY, None)
    return token(request)


async def protect(request: Request) -> None:
    """Dependency: refuse an unsafe request whose token is missing or wrong with 403."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(SESSION_KEY)
    sent = request.headers.get(HEADER) or await _form_token(request)
    if not isinstance(expected, str) or not expected or not sent:
        raise _refused()
    if not hmac.compare_digest(expected.encode(), sent.encode()):
        raise _refused()


async def _form_token(request: Request) -> str:
    if not request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return ""
    value = (await request.form()).get(FIELD)
    return value if isinstance(value, str) else ""


def _refused() -> HTTPException:
    return HTTPException(
        status.HTTP_403_FORBIDDEN,
        detail="This form has expired or did not come from amends. Reload the page and try again.",
    )
