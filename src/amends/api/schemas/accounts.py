"""Users and API tokens. Password and token hashes never leave the server."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from amends.store.tables import Role


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: Role
    is_active: bool
    created_at: datetime
    team: str | None = Field(None, description="The team playbooks assign the user's cases by.")
    skills: list[str] | None = None
    languages: list[str] | None = Field(None, description="ISO 639-1 codes, e.g. `en`.")


class UsersPublic(BaseModel):
    users: list[UserPublic]


class UserCreate(BaseModel):
    # Not EmailStr: self-hosted teams sign in with addresses like ann@support.corp.local.
    email: str = Field(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    name: str = Field(min_length=1, max_length=200)
    role: Role = Role.AGENT
    password: str | None = Field(
        None, max_length=1000, description="At least 8 characters; omit for a token-only user."
    )


class TeamMembership(BaseModel):
    team: str | None = Field(None, max_length=100, description="A team of teams.yaml; null: none.")
    skills: list[str] = Field(default_factory=list, max_length=50)
    languages: list[str] = Field(default_factory=list, max_length=50)


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    prefix: str = Field(description="The token's first characters, to recognise it by.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokensPublic(BaseModel):
    tokens: list[TokenPublic]


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="What the token is for.")
    user_id: int | None = Field(None, description="Whose token it is; default: yours.")


class TokenCreated(TokenPublic):
    token: str = Field(description="The token itself. Shown this once; only its hash is kept.")
