"""Who is looking at the page: the login session, and the redirect to /login when there is none."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from amends import deps
from amends.store.tables import User
from amends.web import csrf

HOME = "/cases"

# Function scope: the transaction commits before the response is sent, so the GET a browser
# makes after a POST-redirect always sees what the POST wrote.
WebSession = Annotated[Session, Depends(deps.get_db, scope="function")]


class LoginRequired(Exception):
    """Raised by pages that need a user; turned into a redirect to /login by `WebRoute`."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def current_user(request: Request, session: WebSession) -> User:
    user = deps.session_user(request, session)
    if user is None:
        raise LoginRequired(_here(request))
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def log_in(request: Request, user: User) -> None:
    """Start a fresh session for `user`: nothing from the anonymous session survives."""
    request.session.clear()
    request.session[deps.SESSION_USER_KEY] = user.id
    csrf.rotate(request)


def log_out(request: Request) -> None:
    request.session.clear()


def safe_next(target: str | None) -> str:
    """`target` if it is a path on this site, else the inbox: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return HOME
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return HOME
    return target
