"""Feedback in and out: the signed webhook, token-authenticated ingest, and reading items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, status

from amends.accounts.permissions import Action
from amends.api.errors import (
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHORIZED,
    ErrorOut,
    not_found,
    problem,
    unprocessable,
)
from amends.api.schemas.feedback import (
    FeedbackDetail,
    FeedbackPage,
    FeedbackReceipt,
    Received,
    body_schema,
    parse_feedback,
)
from amends.cases import history, queries
from amends.config import Settings
from amends.deps import ApiUser, SessionDep, SettingsDep, require
from amends.ingest import pipeline, sources
from amends.lib import clock
from amends.store.tables import Source

#: Largest body the webhook reads: it must hash all of it before it knows who sent it.
MAX_BODY_BYTES = 5 * 1024 * 1024
#: Where token-authenticated ingest files items that name no source.
API_SOURCE = "api"
API_CHANNEL = "other"

webhook = APIRouter(tags=["webhook"])
router = APIRouter(prefix="/feedback", tags=["feedback"], responses=UNAUTHORIZED)

_BAD_SIGNATURE = HTTPException(
    status.HTTP_401_UNAUTHORIZED,
    detail=(
        "missing or invalid webhook signature: send X-Amends-Source, X-Amends-Timestamp (unix "
        "seconds, within the tolerance) and X-Amends-Signature: sha256=<HMAC-SHA256 of "
        '"<timestamp>.<body>" with the source\'s secret>'
    ),
    headers={"WWW-Authenticate": 'Amends-Signature realm="webhook"'},
)


async def read_body(request: Request) -> bytes:
    """The raw body, refused with 413 past MAX_BODY_BYTES without reading the rest."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _too_large()
    return bytes(body)


BodyDep = Annotated[bytes, Depends(read_body)]


def _too_large() -> HTTPException:
    return HTTPException(
        status.HTTP_413_CONTENT_TOO_LARGE, detail=f"the body exceeds {MAX_BODY_BYTES} bytes"
    )


def _signed_source(
    session: SessionDep,
    settings: Settings,
    *,
    name: str,
    timestamp: str,
    signature: str,
    body: bytes,
) -> Source:
    source = sources.get_source(session, name) if name else None
    # hmac.compare_digest refuses non-ASCII str with TypeError; such a header is just wrong.
    verified = signature.isascii() and sources.verify_request(
        source,
        timestamp=timestamp,
        body=body,
        signature=signature,
        now=clock.now().timestamp(),
        tolerance=settings.webhook_tolerance_seconds,
    )
    if not verified or source is None:
        raise _BAD_SIGNATURE
    return source


def _ingest(
    session: SessionDep,
    settings: Settings,
    *,
    received: Sequence[Received],
    source: str,
    channel: str,
) -> FeedbackReceipt:
    items = [
        entry.item.to_item(source=source, channel=channel, raw=entry.raw) for entry in received
    ]
    outcome = pipeline.process(session, items, settings)
    opened = (outcome.case_ids.get(item_id) for item_id in outcome.item_ids)
    return FeedbackReceipt(
        received=len(items),
        imported=outcome.imported,
        duplicates=outcome.duplicates,
        items=outcome.item_ids,
        cases=list(dict.fromkeys(case_id for case_id in opened if case_id is not None)),
    )


@webhook.post(
    "/api/feedback",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Receive signed feedback",
    openapi_extra={"requestBody": body_schema()},
    responses={401: {"model": ErrorOut, "description": "Unsigned, badly signed or stale."}},
)
def receive_webhook(
    session: SessionDep,
    settings: SettingsDep,
    body: BodyDep,
    x_amends_source: Annotated[str, Header(description="The source's name.")] = "",
    x_amends_timestamp: Annotated[str, Header(description="Unix time in seconds.")] = "",
    x_amends_signature: Annotated[str, Header(description="`sha256=<hex HMAC>`.")] = "",
) -> FeedbackReceipt:
    """Store one item or a batch sent by a registered source, signed with its secret.

    The signature is checked before the body is read as JSON; nothing is stored unless it
    holds. Sending the same item again (same `external_id`) stores it once.
    """
    source = _signed_source(
        session,
        settings,
        name=x_amends_source,
        timestamp=x_amends_timestamp,
        signature=x_amends_signature,
        body=body,
    )
    received = parse_feedback(body)
    return _ingest(session, settings, received=received, source=source.name, channel=source.channel)


@router.get("", summary="List feedback items")
def list_feedback(
    session: SessionDep,
    user: ApiUser,
    source: str | None = None,
    channel: str | None = None,
    case_id: int | None = None,
    cursor: Annotated[
        int | None, Query(ge=1, description="`next_cursor` of the last page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_PAGE)] = 50,
) -> FeedbackPage:
    """Newest stored first."""
    require(user, Action.READ)
    filters = history.ItemFilter(source=source, channel=channel, case_id=case_id)
    page = history.list_items(session, filters, cursor=cursor, limit=limit)
    return FeedbackPage.model_validate(page, from_attributes=True)


@router.get("/{item_id}", summary="Read a feedback item", responses=NOT_FOUND)
def get_feedback(item_id: int, session: SessionDep, user: ApiUser) -> FeedbackDetail:
    require(user, Action.READ)
    item = history.get_item(session, item_id)
    if item is None:
        raise not_found(f"feedback item {item_id} not found")
    return FeedbackDetail.model_validate(item)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send feedback with a token",
    openapi_extra={"requestBody": body_schema()},
    responses=FORBIDDEN,
)
def create_feedback(
    session: SessionDep,
    settings: SettingsDep,
    user: ApiUser,
    body: BodyDep,
    source: Annotated[
        str | None, Query(description="A registered source to file the items under.")
    ] = None,
) -> FeedbackReceipt:
    """The webhook's body, authenticated by token instead of a signature.

    Items are filed under `source` when given, else under the source `api`.
    """
    require(user, Action.FEEDBACK_CREATE)
    name, channel = _named_source(session, source)
    received = parse_feedback(body)
    return _ingest(session, settings, received=received, source=name, channel=channel)


def _named_source(session: SessionDep, name: str | None) -> tuple[str, str]:
    if name is None:
        return API_SOURCE, API_CHANNEL
    found = sources.get_source(session, name)
    if found is None:
        raise unprocessable([problem(["source"], f"no source named {name!r}", where="query")])
    return found.name, found.channel
