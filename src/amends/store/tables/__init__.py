"""Every table, imported here so Alembic sees the whole metadata."""

from amends.store.tables.case_facts import CaseFact, CaseFactGrant, StaleCaseFact
from amends.store.tables.cases import Case, CaseStatus, Priority, RootCause, TeamCursor
from amends.store.tables.customers import Customer, CustomerIdentity
from amends.store.tables.dashboard_views import DashboardView
from amends.store.tables.items import FeedbackItem
from amends.store.tables.lessons import Lesson, LessonKind, lesson_cases
from amends.store.tables.notifications import (
    Delivery,
    DeliveryStatus,
    NotificationPreference,
    WebhookEndpoint,
)
from amends.store.tables.orders import Order, OrderKind
from amends.store.tables.remedies import (
    ApprovalRequest,
    ApprovalStatus,
    Compensation,
    OfferStatus,
    RemedyOffer,
)
from amends.store.tables.replies import Reply, ReplyRoute, SavedTemplate
from amends.store.tables.review_updates import ReviewUpdate
from amends.store.tables.sources import Source
from amends.store.tables.surveys import Consent, Survey, SurveyOutcome
from amends.store.tables.timeline import TimelineEvent
from amends.store.tables.timers import CaseTimer, TimerKind
from amends.store.tables.triage import ItemTriage, Sentiment
from amends.store.tables.users import ApiToken, Role, User

__all__ = [
    "ApiToken",
    "ApprovalRequest",
    "ApprovalStatus",
    "Case",
    "CaseFact",
    "CaseFactGrant",
    "CaseStatus",
    "CaseTimer",
    "Compensation",
    "Consent",
    "Customer",
    "CustomerIdentity",
    "DashboardView",
    "Delivery",
    "DeliveryStatus",
    "FeedbackItem",
    "ItemTriage",
    "Lesson",
    "LessonKind",
    "NotificationPreference",
    "OfferStatus",
    "Order",
    "OrderKind",
    "Priority",
    "RemedyOffer",
    "Reply",
    "ReplyRoute",
    "ReviewUpdate",
    "Role",
    "RootCause",
    "SavedTemplate",
    "Sentiment",
    "Source",
    "StaleCaseFact",
    "Survey",
    "SurveyOutcome",
    "TeamCursor",
    "TimelineEvent",
    "TimerKind",
    "User",
    "WebhookEndpoint",
    "lesson_cases",
]
