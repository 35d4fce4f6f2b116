"""Who you are, and (admins only) users and API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlalchemy.orm import Session

from amends.accounts import service as accounts
from amends.accounts import teams
from amends.accounts.permissions import Action
from amends.api.errors import (
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHORIZED,
    conflict,
    invalid,
    not_found,
)
from amends.api.schemas.accounts import (
    TeamMembership,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    TokensPublic,
    UserCreate,
    UserPublic,
    UsersPublic,
)
from amends.deps import ApiUser, SessionDep, require
from amends.store.tables import User

router = APIRouter(tags=["accounts"], responses=UNAUTHORIZED)
_ADMIN = FORBIDDEN


@router.get("/me", summary="Who the token belongs to")
def me(user: ApiUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.get("/users", summary="List users", responses=_ADMIN)
def list_users(session: SessionDep, user: ApiUser) -> UsersPublic:
    require(user, Action.USERS_MANAGE)
    return UsersPublic(users=[UserPublic.model_validate(u) for u in accounts.list_users(session)])


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    responses=_ADMIN | CONFLICT,
)
def create_user(new: UserCreate, session: SessionDep, user: ApiUser) -> UserPublic:
    """409 when the email is taken; 422 when the password is empty or too short."""
    require(user, Action.USERS_MANAGE)
    try:
        created = accounts.create_user(
            session, email=new.email, name=new.name, role=new.role, password=new.password
        )
    except accounts.EmailTaken as exc:
        raise conflict(str(exc)) from exc
    except accounts.AccountError as exc:
        raise invalid(exc.field, str(exc)) from exc
    return UserPublic.model_validate(created)


@router.put(
    "/users/{user_id}/team",
    summary="Put a user in a team",
    responses=_ADMIN | NOT_FOUND,
)
def set_team(
    user_id: int, membership: TeamMembership, session: SessionDep, user: ApiUser
) -> UserPublic:
    """The team, skills and languages playbooks assign cases by (docs/playbooks.md); a team
    that teams.yaml does not name still saves, but no playbook assigns to it."""
    require(user, Action.USERS_MANAGE)
    member = session.get(User, user_id)
    if member is None:
        raise not_found(f"user {user_id} not found")
    teams.join(
        session,
        user=member,
        team=membership.team,
        skills=membership.skills,
        languages=membership.languages,
    )
    return UserPublic.model_validate(member)


@router.get("/tokens", summary="List API tokens", responses=_ADMIN)
def list_tokens(session: SessionDep, user: ApiUser) -> TokensPublic:
    """Every token, revoked ones too; never the tokens themselves."""
    require(user, Action.TOKENS_MANAGE)
    tokens = accounts.list_tokens(session)
    return TokensPublic(tokens=[TokenPublic.model_validate(t) for t in tokens])


@router.post(
    "/tokens", status_code=status.HTTP_201_CREATED, summary="Create an API token", responses=_ADMIN
)
def create_token(new: TokenCreate, session: SessionDep, user: ApiUser) -> TokenCreated:
    """The response holds the token, this once; store it now."""
    require(user, Action.TOKENS_MANAGE)
    owner = user if new.user_id is None else _active_user(session, new.user_id)
    row, token = accounts.create_token(session, user=owner, name=new.name)
    return TokenCreated(**TokenPublic.model_validate(row).model_dump(), token=token)


def _active_user(session: Session, user_id: int) -> User:
    found = session.get(User, user_id)
    if found is None or not found.is_active:
        raise invalid("user_id", f"no active user with id {user_id}")
    return found


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API token",
    responses=_ADMIN | NOT_FOUND,
)
def revoke_token(token_id: int, session: SessionDep, user: ApiUser) -> Response:
    require(user, Action.TOKENS_MANAGE)
    if not accounts.revoke_token(session, token_id):
        raise not_found(f"token {token_id} not found or already revoked")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
