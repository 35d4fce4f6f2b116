from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import select

from amends.accounts import service, teams
from amends.cli import context
from amends.store.db import transaction
from amends.store.tables import Role, User

users = typer.Typer(help="Manage the people who use amends.", no_args_is_help=True)
tokens = typer.Typer(help="Manage API tokens.", no_args_is_help=True)


@users.command("create")
def create_user(
    email: Annotated[str, typer.Argument(help="Login email.", show_default=False)],
    role: Annotated[Role, typer.Option(help="agent, lead, manager or admin.")] = Role.AGENT,
    name: Annotated[str, typer.Option(help="Display name (default: the email).")] = "",
    password: Annotated[
        str | None,
        typer.Option(help="Password for the web UI; asked for when omitted.", show_default=False),
    ] = None,
) -> None:
    """Create a user with a role."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with transaction(context.factory()) as session:
            user = service.create_user(
                session, email=email, name=name or email, role=role, password=password
            )
    except ValueError as error:
        context.console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from error
    context.console.print(f"Created {user.role.value} [bold]{user.email}[/] (id {user.id})")


@users.command("list")
def list_users() -> None:
    """List users, their roles and teams."""
    with transaction(context.factory()) as session:
        for user in service.list_users(session):
            state = "" if user.is_active else " (inactive)"
            team = user.team or "-"
            typer.echo(f"{user.id}\t{user.role.value}\t{user.email}\t{user.name}{state}\t{team}")


@users.command("team")
def set_team(
    email: Annotated[str, typer.Argument(help="The user's login email.", show_default=False)],
    team: Annotated[
        str, typer.Option(help="A team of teams.yaml; empty takes the user out of any team.")
    ],
    skill: Annotated[
        list[str] | None, typer.Option(help="A skill playbooks may require (repeat it).")
    ] = None,
    language: Annotated[
        list[str] | None, typer.Option(help="A language the user answers in, e.g. en (repeat it).")
    ] = None,
) -> None:
    """Put a user in a team, with the skills and languages playbooks assign by."""
    with transaction(context.factory()) as session:
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            context.console.print(f"[red]error:[/] no user with email {email}")
            raise typer.Exit(2)
        teams.join(session, user=user, team=team, skills=skill or (), languages=language or ())
        said = f"team {user.team}" if user.team else "no team"
        extras = ", ".join([*(user.skills or []), *(user.languages or [])])
    context.console.print(f"{user.email}: {said}" + (f" ({extras})" if extras else ""))


@tokens.command("create")
def create_token(
    email: Annotated[str, typer.Argument(help="The user the token acts as.", show_default=False)],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
) -> None:
    """Create an API token for a user and print it (it is shown only once)."""
    with transaction(context.factory()) as session:
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            context.console.print(f"[red]error:[/] no user with email {email}")
            raise typer.Exit(2)
        _, token = service.create_token(session, user=user, name=name)
    typer.echo(token)


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="users")
    app.add_typer(tokens, name="tokens")
