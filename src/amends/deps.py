"""FastAPI dependencies shared by the API and the web pages: sessions, users, scoped getters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.orm import Session, sessionmaker

from amends.accounts import service as accounts
from amends.accounts.permissions import Action, can, may_work_case
from amends.cases import queries
from amends.cases.actor import Actor
from amends.config import Settings
from amends.store.tables import Case, User

SESSION_USER_KEY = "user_id"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with factory() as session, session.begin():
        yield session


# "function" scope: commit before the response is sent, so a 2xx means the write is stored.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def bearer_user(request: Request, session: SessionDep) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    user = accounts.user_for_token(session, token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="a valid API token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


def session_user(request: Request, session: SessionDep) -> User | None:
    """The logged-in web user, or None."""
    user_id = request.session.get(SESSION_USER_KEY)
    if not isinstance(user_id, int):
        return None
    user = session.get(User, user_id)
    return user if user is not None and user.is_active else None


ApiUser = Annotated[User, Depends(bearer_user)]
WebUser = Annotated[User | None, Depends(session_user)]


def actor_of(user: User) -> Actor:
    return Actor(user_id=user.id, name=user.name)


def require(user: User, action: Action) -> None:
    if not can(user.role, action):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"role {user.role.value!r} may not {action.value}",
        )


def get_case_for_user(session: Session, user: User, case_id: int, *, write: bool = False) -> Case:
    """The one way the web and the API reach a case: 404 if absent, 403 if the user may not."""
    case = queries.get_case(session, case_id)
    if case is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"case {case_id} not found")
    if write and not may_work_case(role=user.role, user_id=user.id, owner_id=case.owner_id):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"case {case_id} belongs to someone else; only a lead or above may change it",
        )
    return case
