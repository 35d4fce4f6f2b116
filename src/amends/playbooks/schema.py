"""The playbook file format as Pydantic models: each key, its default and its rules.

Every model refuses unknown keys. docs/playbooks.md describes every key here; change both
together.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from amends.playbooks.clock import BusinessCalendar, DayHours
from amends.playbooks.durations import uses_days
from amends.playbooks.templates import TEXT_LIMIT as TEMPLATE_LIMIT
from amends.playbooks.templates import problem as template_problem
from amends.playbooks.values import (
    Duration,
    Labels,
    Names,
    OpeningHours,
    TimeZoneName,
    lower_list,
)
from amends.store.tables.cases import Priority
from amends.store.tables.triage import Sentiment


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Bounds(Model):
    """`{min: …, max: …}`, both inclusive; at least one is given."""

    min: Any = None
    max: Any = None

    @model_validator(mode="after")
    def _ordered(self) -> _Bounds:
        low, high = self.min, self.max
        if low is None and high is None:
            raise ValueError("give min, max or both")
        if low is not None and high is not None and low > high:
            raise ValueError(f"min {low} is above max {high}: nothing can match")
        return self


class RiskRange(_Bounds):
    min: int | None = Field(None, ge=0, le=100)
    max: int | None = Field(None, ge=0, le=100)


class RatingRange(_Bounds):
    min: int | None = Field(None, ge=1, le=5)
    max: int | None = Field(None, ge=1, le=5)


class MoneyRange(_Bounds):
    min: Decimal | None = Field(None, ge=0)
    max: Decimal | None = Field(None, ge=0)


class EmotionRule(Model):
    """At least one of the `present` emotions has a probability of `min` or more."""

    present: Names
    min: float = Field(0.5, gt=0, le=1)


class MatchRules(Model):
    """Conditions on an item; all given must hold. None of them means every item matches.
    A fact the item lacks (no rating, no language…) fails the condition on it."""

    channel: Names | None = None
    source: Names | None = None
    category: Names | None = None
    sentiment: Annotated[tuple[Sentiment, ...], Field(min_length=1)] | None = None
    emotions: EmotionRule | None = None
    risk: RiskRange | None = None
    priority: Annotated[tuple[Priority, ...], Field(min_length=1)] | None = None
    rating: RatingRange | None = None
    language: Names | None = None
    segment: Names | None = None
    lifetime_value: MoneyRange | None = None
    keywords: Names | None = None

    _lower = field_validator("sentiment", "priority", mode="before")(lower_list)


class Strategy(enum.StrEnum):
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"


class Assign(Model):
    """The team that gets the case, and how one of its eligible agents is chosen."""

    team: str = Field(min_length=1)
    strategy: Strategy = Strategy.LEAST_LOADED
    skills: Labels = ()  # an agent needs every one
    languages: Labels = ()  # an agent needs at least one, when any are given


class Clock(enum.StrEnum):
    BUSINESS_HOURS = "business_hours"
    CALENDAR = "calendar"


class Weekday(enum.StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


_OFFICE: DayHours = ((9 * 60, 17 * 60),)
DEFAULT_HOURS: dict[Weekday, DayHours] = dict.fromkeys(list(Weekday)[:5], _OFFICE)


class Sla(Model):
    """Response targets, counted on the clock named by `clock`."""

    clock: Clock = Clock.CALENDAR
    timezone: TimeZoneName | None = None
    hours: dict[Weekday, OpeningHours] | None = None
    holidays: tuple[date, ...] = ()
    first_response: Duration
    update_interval: Duration | None = None
    resolution: Duration

    @field_validator("first_response", "update_interval", "resolution", mode="before")
    @classmethod
    def _business_time_in_hours(cls, value: object, info: ValidationInfo) -> object:
        business = info.data.get("clock") is Clock.BUSINESS_HOURS
        if business and isinstance(value, str) and uses_days(value):
            raise ValueError(
                f'"{value}": a day of business hours is not 24 hours; write business '
                'time in hours or minutes, e.g. "16h" for two 8-hour days'
            )
        return value

    @field_validator("hours", "holidays", mode="before")
    @classmethod
    def _only_for_business_hours(cls, value: object, info: ValidationInfo) -> object:
        if info.data.get("clock") is Clock.CALENDAR and value:
            raise ValueError(f"{info.field_name} count only with clock: business_hours")
        return value

    @model_validator(mode="after")
    def _coherent(self) -> Sla:
        if self.clock is Clock.BUSINESS_HOURS and self.timezone is None:
            raise ValueError("clock: business_hours needs a timezone, e.g. Europe/London")
        if self.hours is not None and not any(self.hours.values()):
            raise ValueError("hours: the business must be open on at least one day")
        if self.resolution < self.first_response:
            raise ValueError("resolution is due before first_response")
        return self

    @property
    def calendar(self) -> BusinessCalendar:
        zone = ZoneInfo(self.timezone or "UTC")
        if self.clock is Clock.CALENDAR:
            return BusinessCalendar.always(zone)
        hours = DEFAULT_HOURS if self.hours is None else self.hours
        week = tuple(hours.get(day, ()) for day in Weekday)
        return BusinessCalendar(zone=zone, week=week, holidays=frozenset(self.holidays))


class RemedyKind(enum.StrEnum):
    APOLOGY = "apology"
    REFUND = "refund"
    PARTIAL_CREDIT = "partial_credit"
    REPLACEMENT = "replacement"
    UPGRADE = "upgrade"
    VOUCHER = "voucher"
    EXPEDITED_RESHIPMENT = "expedited_reshipment"
    SENIOR_CALLBACK = "senior_callback"


#: Remedies that cost no money to give, so they take no cap.
WITHOUT_MONEY = frozenset({RemedyKind.APOLOGY, RemedyKind.SENIOR_CALLBACK})


def _cap_per_priority(value: object) -> object:
    """One amount is every priority's cap. A mapping names some priorities; each one left out
    takes the cap of the nearest named priority below it, or the lowest named if none is."""
    if value is None or isinstance(value, bool):
        return value
    if not isinstance(value, dict):
        return dict.fromkeys((p.value for p in Priority), value)
    named = {str(key).lower(): amount for key, amount in value.items()}
    known = [p.value for p in Priority if p.value in named]
    if not known:
        raise ValueError("name at least one priority: low, normal, high, critical")
    below, filled = named[known[0]], dict(named)
    for priority in Priority:
        below = named.get(priority.value, below)
        filled.setdefault(priority.value, below)
    return filled


class Remedy(Model):
    """A remedy this playbook offers, and at most how much of it, by priority."""

    kind: RemedyKind
    cap: dict[Priority, Annotated[Decimal, Field(ge=0)]] | None = None
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    note: str | None = None

    @field_validator("cap", mode="before")
    @classmethod
    def _moneyless(cls, value: object, info: ValidationInfo) -> object:
        if value is not None and info.data.get("kind") in WITHOUT_MONEY:
            raise ValueError(f"{info.data['kind']} costs no money: it takes no cap")
        return _cap_per_priority(value)

    @model_validator(mode="after")
    def _currency_needs_cap(self) -> Remedy:
        if self.currency is not None and self.cap is None:
            raise ValueError("currency is given but there is no cap")
        return self

    def cap_for(self, priority: Priority) -> Decimal | None:
        return None if self.cap is None else self.cap[priority]


class Acknowledge(Model):
    """An automatic first reply. Never for high or critical priority unless `high_priority`
    says so: those customers need a person, and a canned reply reads as indifference."""

    enabled: bool = True
    within: Duration = timedelta(minutes=15)  # calendar time: a machine sends it
    high_priority: bool = False

    def delay_for(self, priority: Priority) -> timedelta | None:
        """How long after arrival the automatic reply goes out, or None for no reply."""
        urgent = priority in (Priority.HIGH, Priority.CRITICAL)
        return self.within if self.enabled and (self.high_priority or not urgent) else None


class ReviewPlatform(enum.StrEnum):
    GOOGLE = "google"
    TRUSTPILOT = "trustpilot"
    TRIPADVISOR = "tripadvisor"
    FACEBOOK = "facebook"
    AMAZON = "amazon"
    GOOGLE_PLAY = "google_play"
    YELP = "yelp"
    APP_STORE = "app_store"

    @property
    def label(self) -> str:
        return PLATFORM_LABELS[self]


PLATFORM_LABELS = {
    ReviewPlatform.GOOGLE: "Google",
    ReviewPlatform.TRUSTPILOT: "Trustpilot",
    ReviewPlatform.TRIPADVISOR: "Tripadvisor",
    ReviewPlatform.FACEBOOK: "Facebook",
    ReviewPlatform.AMAZON: "Amazon",
    ReviewPlatform.GOOGLE_PLAY: "Google Play",
    ReviewPlatform.YELP: "Yelp",
    ReviewPlatform.APP_STORE: "the App Store",
}

#: Platforms whose rules forbid asking customers for reviews by message at all
#: (docs/review-invitations.md): a playbook may only say `none` for them.
NEVER_INVITE = frozenset({ReviewPlatform.YELP, ReviewPlatform.APP_STORE})


class FollowUp(Model):
    """The check-in after the remedy is done (docs/follow-up.md): a personal message with a
    survey link, reminders while unanswered, and closing as "no response" after `close_after`.

    `review_invitations` maps a platform to the page where customers write a review, or to
    `none`. An invitation goes in the check-in itself, so it reaches every customer whose case
    got there, before anyone knows whether they are satisfied: amends never gates reviews.
    """

    enabled: bool = True
    after: Duration = timedelta(days=1)  # after the remedy is done, calendar time
    reminders: tuple[Duration, ...] = (timedelta(days=3),)  # after the check-in
    close_after: Duration = timedelta(days=7)  # after the check-in
    review_invitations: dict[ReviewPlatform, str] = {}

    @field_validator("reminders", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str | int) else value

    @field_validator("review_invitations")
    @classmethod
    def _review_pages(cls, value: dict[ReviewPlatform, str]) -> dict[ReviewPlatform, str]:
        for platform, page in value.items():
            if page == "none":
                continue
            if platform in NEVER_INVITE:
                raise ValueError(
                    f"{platform.value}: its rules forbid asking customers for reviews; write "
                    "none (docs/review-invitations.md)"
                )
            if not page.startswith("https://"):
                raise ValueError(f"{platform.value}: give the review page as an https:// URL")
        return value

    @model_validator(mode="after")
    def _reminders_before_closing(self) -> FollowUp:
        if list(self.reminders) != sorted(self.reminders):
            raise ValueError("reminders: list them in order, earliest first")
        if self.reminders and self.reminders[-1] >= self.close_after:
            raise ValueError("close_after must come after the last reminder")
        return self

    def invitations(self) -> dict[ReviewPlatform, str]:
        """The platforms to invite to, with their review pages."""
        return {p: page for p, page in self.review_invitations.items() if page != "none"}


class EscalationTarget(enum.StrEnum):
    SENIOR_REVIEW = "senior_review"  # the senior-review queue
    TEAM_LEAD = "team_lead"  # the lead of the playbook's team (any lead when it has none)
    MANAGER = "manager"


class SlaTarget(enum.StrEnum):
    FIRST_RESPONSE = "first_response"
    UPDATE_INTERVAL = "update_interval"
    RESOLUTION = "resolution"


class When(Model):
    """One condition: `risk_at_least`, `sla_breached`, `repeat_within_days` with `count`, or
    `unsatisfied` (the customer's follow-up answer)."""

    risk_at_least: int | None = Field(None, ge=0)
    sla_breached: tuple[SlaTarget, ...] | None = None
    repeat_within_days: int | None = Field(None, ge=1)
    count: int | None = Field(None, ge=2)
    unsatisfied: bool | None = None

    @field_validator("sla_breached", mode="before")
    @classmethod
    def _any_target(cls, value: object) -> object:
        if value is True:
            return tuple(SlaTarget)
        if value is False:
            raise ValueError("sla_breached: false never fires; leave the rule out")
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _exactly_one(self) -> When:
        if self.unsatisfied is False:
            raise ValueError("unsatisfied: false never fires; leave the rule out")
        given = [self.risk_at_least, self.sla_breached, self.repeat_within_days, self.unsatisfied]
        if sum(v is not None for v in given) != 1:
            raise ValueError(
                "give exactly one of risk_at_least, sla_breached, repeat_within_days, unsatisfied"
            )
        if self.count is not None and self.repeat_within_days is None:
            raise ValueError("count goes with repeat_within_days")
        return self

    @property
    def repeat_count(self) -> int:
        """Complaints within the window, this one included, that make a repeat."""
        return self.count or 2


def _when(value: object) -> object:
    if value in ("sla_breached", "unsatisfied"):
        return {value: True}
    if isinstance(value, str):
        raise ValueError(
            f'unknown condition "{value}": write sla_breached or unsatisfied, or a mapping '
            "with risk_at_least, sla_breached or repeat_within_days"
        )
    return value


class EscalationRule(Model):
    when: When
    to: EscalationTarget

    _when = field_validator("when", mode="before")(_when)


class ReplyTemplate(Model):
    """A reply agents start from (docs/replies.md#templates); `channel` None fits any."""

    name: str = Field(min_length=1, max_length=100)
    channel: str | None = Field(None, min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=TEMPLATE_LIMIT)

    @field_validator("text")
    @classmethod
    def _renders(cls, value: str) -> str:
        found = template_problem(value)
        if found is not None:
            raise ValueError(f"template {found}")
        return value


class Playbook(Model):
    """One playbook: which items it takes and what happens to their cases."""

    name: str = Field(min_length=1, max_length=200)
    description: str | None = None
    match: MatchRules = MatchRules()
    assign: Assign | None = None
    sla: Sla | None = None  # None: the default playbook's
    remedies: tuple[Remedy, ...] = ()
    acknowledge: Acknowledge = Acknowledge(enabled=False)
    escalate: tuple[EscalationRule, ...] = ()
    templates: tuple[ReplyTemplate, ...] = ()
    follow_up: FollowUp = FollowUp()
    # A person may not settle a case (recovered, not recovered, closed) without its root cause.
    root_cause_required: bool = False

    @field_validator("name")
    @classmethod
    def _stripped(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a playbook needs a name")
        return value.strip()

    @field_validator("remedies")
    @classmethod
    def _each_kind_once(cls, value: tuple[Remedy, ...]) -> tuple[Remedy, ...]:
        kinds = [remedy.kind for remedy in value]
        for kind in set(kinds):
            if kinds.count(kind) > 1:
                raise ValueError(f"{kind} is listed twice")
        return value

    @field_validator("templates")
    @classmethod
    def _each_template_once(cls, value: tuple[ReplyTemplate, ...]) -> tuple[ReplyTemplate, ...]:
        names = [template.name for template in value]
        for name in set(names):
            if names.count(name) > 1:
                raise ValueError(f'template "{name}" is listed twice')
        return value


class Team(Model):
    name: str = Field(min_length=1, max_length=100)
    lead: str | None = None  # who `team_lead` escalations go to: a user's email
    description: str | None = None
