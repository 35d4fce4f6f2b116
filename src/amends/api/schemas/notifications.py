"""Notification preferences, outgoing webhooks and the delivery record. A webhook's signing
secret is shown once, when it is created."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from amends.notify.deliveries import shown_recipient
from amends.notify.events import Notice
from amends.notify.preferences import Preference
from amends.store.tables import Delivery, DeliveryStatus, WebhookEndpoint


class PreferencePublic(BaseModel):
    event: Notice
    meaning: str = Field(description="What the notification tells.")
    email: bool
    webhook: bool = Field(description="Sent to your own webhooks.")

    @classmethod
    def of(cls, preference: Preference) -> PreferencePublic:
        return cls(
            event=preference.event,
            meaning=preference.meaning,
            email=preference.email,
            webhook=preference.webhook,
        )


class PreferencesPublic(BaseModel):
    preferences: list[PreferencePublic]


class PreferenceChange(BaseModel):
    event: Notice
    email: bool
    webhook: bool


class PreferencesChange(BaseModel):
    preferences: list[PreferenceChange] = Field(
        description="The notifications to change; those left out keep their choice."
    )


class WebhookPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    events: list[Notice] | None = Field(
        description="null: every notification for people (all but `reply`)."
    )
    shared: bool = Field(description="Belongs to no user: hears every listed notification.")
    created_at: datetime

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> WebhookPublic:
        return cls(
            id=endpoint.id,
            url=endpoint.url,
            events=[Notice(e) for e in endpoint.events] if endpoint.events is not None else None,
            shared=endpoint.user_id is None,
            created_at=endpoint.created_at,
        )


class WebhooksPublic(BaseModel):
    webhooks: list[WebhookPublic]


class WebhookCreate(BaseModel):
    url: str = Field(max_length=2000, description="An http:// or https:// URL.")
    events: list[Notice] | None = Field(
        None,
        description="Omit or null for every notification for people; list `reply` to make "
        "this endpoint a connector that posts replies to customers on their platform.",
    )
    shared: bool = Field(False, description="Admins only: a webhook that belongs to no user.")


class WebhookCreated(WebhookPublic):
    secret: str = Field(
        description="Signs every delivery (X-Amends-Signature). Shown this once: store it now."
    )


class DeliveryPublic(BaseModel):
    id: int
    event: str
    channel: str
    case_id: int | None
    user_id: int | None
    endpoint_id: int | None
    recipient: str = Field(
        description="The email address, or only the scheme and host of a webhook's URL."
    )
    summary: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None
    created_at: datetime

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryPublic:
        return cls(
            id=delivery.id,
            event=delivery.event,
            channel=delivery.channel,
            case_id=delivery.case_id,
            user_id=delivery.user_id,
            endpoint_id=delivery.endpoint_id,
            recipient=shown_recipient(delivery),
            summary=str((delivery.payload or {}).get("summary", "")),
            status=delivery.status,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            sent_at=delivery.sent_at,
            last_error=delivery.last_error,
            created_at=delivery.created_at,
        )


class DeliveriesPublic(BaseModel):
    deliveries: list[DeliveryPublic]
