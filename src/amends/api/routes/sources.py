"""Webhook sources (admins only): who may post to /api/feedback, and with which secret."""

from __future__ import annotations

from fastapi import APIRouter, status

from amends.accounts.permissions import Action
from amends.api.errors import CONFLICT, FORBIDDEN, UNAUTHORIZED, conflict
from amends.api.schemas.sources import SourceCreate, SourceCreated, SourcePublic, SourcesPublic
from amends.deps import ApiUser, SessionDep, require
from amends.ingest import sources

router = APIRouter(prefix="/sources", tags=["sources"], responses=UNAUTHORIZED | FORBIDDEN)


@router.get("", summary="List webhook sources")
def list_sources(session: SessionDep, user: ApiUser) -> SourcesPublic:
    """Secrets are not shown."""
    require(user, Action.SOURCES_MANAGE)
    found = sources.list_sources(session)
    return SourcesPublic(sources=[SourcePublic.model_validate(s) for s in found])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a webhook source",
    responses=CONFLICT,
)
def create_source(new: SourceCreate, session: SessionDep, user: ApiUser) -> SourceCreated:
    """The response holds the signing secret, this once."""
    require(user, Action.SOURCES_MANAGE)
    try:
        source = sources.create_source(session, name=new.name, channel=new.channel)
    except sources.SourceError as exc:
        raise conflict(str(exc)) from exc
    public = SourcePublic.model_validate(source).model_dump()
    return SourceCreated(**public, secret=source.webhook_secret)
