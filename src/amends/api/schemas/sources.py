"""Webhook sources. The signing secret is shown once, when the source is created."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class SourcePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    channel: str
    created_at: datetime


class SourcesPublic(BaseModel):
    sources: list[SourcePublic]


class SourceCreate(BaseModel):
    name: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$",
        description="Sent as X-Amends-Source: letters, digits, `.`, `_` and `-`.",
    )
    channel: str = Field(
        "other",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$",
        description="The channel of its items when an item does not say.",
    )


class SourceCreated(SourcePublic):
    secret: str = Field(
        description="The HMAC signing secret. Shown this once; keep it in your sender's vault."
    )
