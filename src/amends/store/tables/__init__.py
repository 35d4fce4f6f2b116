"""Every table, imported here so Alembic sees the whole metadata."""

from amends.store.tables.cases import Case, CaseStatus, Priority, TeamCursor
from amends.store.tables.customers import Customer, CustomerIdentity
from amends.store.tables.items import FeedbackItem
from amends.store.tables.sources import Source
from amends.store.tables.timeline import TimelineEvent
from amends.store.tables.triage import ItemTriage, Sentiment
from amends.store.tables.users import ApiToken, Role, User

__all__ = [
    "ApiToken",
    "Case",
    "CaseStatus",
    "Customer",
    "CustomerIdentity",
    "FeedbackItem",
    "ItemTriage",
    "Priority",
    "Role",
    "Sentiment",
    "Source",
    "TeamCursor",
    "TimelineEvent",
    "User",
]
