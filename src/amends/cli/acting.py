"""Commands that change cases act as a user (`--as EMAIL`), under the rules the server
applies to the web and the API: the user must be active and allowed to work the case."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.accounts.permissions import may_work_case
from amends.cases import queries
from amends.cli import context
from amends.store.tables import Case, User

AsUser = Annotated[
    str, typer.Option("--as", help="Email of the user who acts.", show_default=False)
]


class Refused(Exception):
    """An unknown user or case, or one the user may not touch."""


def fail(message: str) -> typer.Exit:
    """Print `error: message` and give the exit to raise (status 2)."""
    context.console.print(f"[red]error:[/] {escape(message)}")
    return typer.Exit(2)


def acting_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        raise Refused(f"no active user with email {email}")
    return user


def workable_case(session: Session, user: User, case_id: int) -> Case:
    """The case, if `user` may work it: the rule deps.get_case_for_user applies on the server."""
    case = queries.get_case(session, case_id)
    if case is None:
        raise Refused(f"case {case_id} not found")
    if not may_work_case(role=user.role, user_id=user.id, owner_id=case.owner_id):
        raise Refused(f"case {case_id} belongs to someone else; only a lead or above may change it")
    return case
