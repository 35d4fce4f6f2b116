"""Your notification preferences and webhooks; the dead letters (managers and above)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status

from amends.api.errors import (
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHORIZED,
    conflict,
    invalid,
    not_found,
)
from amends.api.schemas.notifications import (
    DeliveriesPublic,
    DeliveryPublic,
    PreferencePublic,
    PreferencesChange,
    PreferencesPublic,
    WebhookCreate,
    WebhookCreated,
    WebhookPublic,
    WebhooksPublic,
)
from amends.deps import ApiUser, SessionDep
from amends.lib import clock
from amends.notify import deliveries, endpoints, preferences
from amends.notify.access import NotifyAction, can
from amends.store.tables import DeliveryStatus, User

router = APIRouter(tags=["notifications"], responses=UNAUTHORIZED)


def _require(user: User, action: NotifyAction) -> None:
    if not can(user.role, action):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=f"role {user.role.value!r} may not {action.value}"
        )


@router.get("/me/notifications", summary="Your notification preferences")
def my_preferences(session: SessionDep, user: ApiUser) -> PreferencesPublic:
    """Every notification, with whether it reaches you by email and by your webhooks."""
    found = preferences.preferences_for(session, user.id)
    return PreferencesPublic(preferences=[PreferencePublic.of(p) for p in found])


@router.put("/me/notifications", summary="Change your notification preferences")
def change_preferences(
    change: PreferencesChange, session: SessionDep, user: ApiUser
) -> PreferencesPublic:
    for one in change.preferences:
        preferences.set_preference(
            session, user_id=user.id, notice=one.event, email=one.email, webhook=one.webhook
        )
    return my_preferences(session, user)


@router.get("/webhooks", summary="List webhooks")
def list_webhooks(session: SessionDep, user: ApiUser) -> WebhooksPublic:
    """Your own active webhooks; for admins, the shared ones too. Secrets are not shown."""
    found = endpoints.visible_endpoints(session, user)
    return WebhooksPublic(webhooks=[WebhookPublic.of(e) for e in found])


@router.post(
    "/webhooks",
    status_code=status.HTTP_201_CREATED,
    summary="Add a webhook",
    responses=FORBIDDEN,
)
def create_webhook(new: WebhookCreate, session: SessionDep, user: ApiUser) -> WebhookCreated:
    """The response holds the signing secret, this once. A shared webhook needs an admin."""
    if new.shared:
        _require(user, NotifyAction.SHARED_WEBHOOKS)
    events = None if new.events is None else [e.value for e in new.events]
    try:
        endpoint = endpoints.create_endpoint(
            session, url=new.url, events=events, user_id=None if new.shared else user.id
        )
    except endpoints.EndpointError as exc:
        raise invalid(exc.field, str(exc)) from exc
    return WebhookCreated(**WebhookPublic.of(endpoint).model_dump(), secret=endpoint.secret)


@router.delete(
    "/webhooks/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a webhook",
    responses=FORBIDDEN | NOT_FOUND,
)
def delete_webhook(webhook_id: int, session: SessionDep, user: ApiUser) -> Response:
    """Deactivates it: it gets nothing more, and its queued deliveries are dead-lettered."""
    try:
        endpoint = endpoints.endpoint_for_user(session, user, webhook_id)
    except endpoints.EndpointNotFound as exc:
        raise not_found(str(exc)) from exc
    except endpoints.EndpointForbidden as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=str(exc)) from exc
    endpoints.deactivate(endpoint)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/deliveries", summary="List deliveries", responses=FORBIDDEN)
def list_deliveries(
    session: SessionDep,
    user: ApiUser,
    only: Annotated[
        DeliveryStatus | None, Query(alias="status", description="`dead`: the dead letters.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DeliveriesPublic:
    """Newest first. Managers and admins."""
    _require(user, NotifyAction.DELIVERIES)
    found = deliveries.list_deliveries(session, status=only, limit=limit)
    return DeliveriesPublic(deliveries=[DeliveryPublic.of(d) for d in found])


@router.post(
    "/deliveries/{delivery_id}/retry",
    summary="Send a dead delivery again",
    responses=FORBIDDEN | NOT_FOUND | CONFLICT,
)
def retry_delivery(delivery_id: int, session: SessionDep, user: ApiUser) -> DeliveryPublic:
    """Queued now with all its tries ahead; 409 unless it is dead. Managers and admins."""
    _require(user, NotifyAction.DELIVERIES)
    try:
        delivery = deliveries.retry(session, delivery_id=delivery_id, now=clock.now())
    except deliveries.DeliveryNotFound as exc:
        raise not_found(str(exc)) from exc
    except deliveries.NotDead as exc:
        raise conflict(str(exc)) from exc
    return DeliveryPublic.of(delivery)
