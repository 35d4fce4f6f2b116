"""Log in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from amends import deps
from amends.accounts import service as accounts
from amends.web.auth import WebSession, log_in, log_out, safe_next
from amends.web.flash import flash
from amends.web.routes import web_router
from amends.web.templating import page

router = web_router()

WRONG = "That email and password do not match an active account."


@router.get("/login")
def login_page(
    request: Request,
    session: WebSession,
    next_url: Annotated[str, Query(alias="next")] = "",
) -> Response:
    if deps.session_user(request, session) is not None:
        return RedirectResponse(safe_next(next_url), status_code=status.HTTP_303_SEE_OTHER)
    return _form(request, next_url=next_url)


@router.post("/login")
def login(
    request: Request,
    session: WebSession,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next_url: Annotated[str, Form(alias="next")] = "",
) -> Response:
    user = accounts.authenticate(session, email=email, password=password)
    if user is None:
        return _form(request, next_url=next_url, email=email, error=WRONG)
    log_in(request, user)
    return RedirectResponse(safe_next(next_url), status_code=status.HTTP_303_SEE_OTHER)


@router.post("/logout")
def logout(request: Request) -> Response:
    log_out(request)
    flash(request, "ok", "You are logged out.")
    return RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)


def _form(request: Request, *, next_url: str, email: str = "", error: str = "") -> Response:
    context = {"next_url": safe_next(next_url), "email": email, "error": error}
    code = status.HTTP_400_BAD_REQUEST if error else status.HTTP_200_OK
    return page(request, "auth/login.html", context, status_code=code)
