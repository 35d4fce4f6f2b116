"""Each user's choice, per notice, of email and webhooks. No row means both (the default)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from amends.notify.events import MEANING, PERSONAL, Notice
from amends.store.tables import NotificationPreference


@dataclass(frozen=True, slots=True)
class Preference:
    event: Notice
    meaning: str
    email: bool
    webhook: bool


def preferences_for(session: Session, user_id: int) -> list[Preference]:
    """Every notice a person may choose, in Notice order, with the choice in force."""
    stored = {
        row.event: row
        for row in session.scalars(
            select(NotificationPreference)
            .where(NotificationPreference.user_id == user_id)
            .execution_options(populate_existing=True)
        )
    }
    return [_effective(notice, stored.get(notice.value)) for notice in PERSONAL]


def _effective(notice: Notice, row: NotificationPreference | None) -> Preference:
    return Preference(
        event=notice,
        meaning=MEANING[notice],
        email=True if row is None else row.email,
        webhook=True if row is None else row.webhook,
    )


def set_preference(
    session: Session, *, user_id: int, notice: Notice, email: bool, webhook: bool
) -> Preference:
    """Store one choice; an upsert, so two saves at once cannot clash on the first row."""
    values = {"user_id": user_id, "event": notice.value, "email": email, "webhook": webhook}
    session.execute(_upsert(session).values(**values))
    return Preference(event=notice, meaning=MEANING[notice], email=email, webhook=webhook)


def _upsert(session: Session) -> Insert:
    keys = ["user_id", "event"]
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(NotificationPreference)
        return pg.on_conflict_do_update(index_elements=keys, set_=_chosen(pg.excluded))
    lite = sqlite.insert(NotificationPreference)
    return lite.on_conflict_do_update(index_elements=keys, set_=_chosen(lite.excluded))


def _chosen(excluded: ReadOnlyColumnCollection[str, Any]) -> dict[str, Any]:
    return {"email": excluded["email"], "webhook": excluded["webhook"]}
