"""A worked history for the demo: most demo cases are played out over the last two months, as a
team would have worked them, through the same capabilities the web, API and CLI call (first
replies, remedies, compensation, root causes, follow-up surveys and their answers, lessons),
each step at the time it happened. So the dashboard and `amends report` have something true to
show the moment the demo starts. Seeded: the same demo, loaded on the same day, gets the
same history. The customers, their lifetime values and the demo shop's orders are made up.

Played once: a demo whose cases already have surveys is left as it is."""

from __future__ import annotations

import random
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from amends.cases import approvals, follow_up, playbook_set, reply_basis, root_cause, service
from amends.cases.actor import Actor
from amends.cases.compensation import AboveAuthority, RemedyRefused, grant
from amends.cases.events import EventKind
from amends.cases.playbook_set import PlaybookSet
from amends.cases.replying import ReplyRequest, send_reply
from amends.config import Settings
from amends.insights.lessons import add_lesson
from amends.lib import clock
from amends.replies.draft import draft
from amends.store.db import transaction
from amends.store.tables import (
    Case,
    CaseStatus,
    CaseTimer,
    Consent,
    Customer,
    CustomerIdentity,
    FeedbackItem,
    Order,
    OrderKind,
    ReplyRoute,
    RootCause,
    Survey,
    SurveyOutcome,
    TimelineEvent,
    User,
)

#: Who the timeline says played the history: the demo's simulated events are marked so.
SIMULATED = Actor(user_id=None, name="demo history (simulated)")
#: The demo shop's customer accounts: how the orders name customers.
SHOP = "shop"
#: The share of demo cases given a history; the rest stay new, for the inbox.
SHARE = 0.6
DAYS = 60
SEED = 7
#: Lessons the demo team wrote, by category: our own words, not the complaints'.
LESSONS = {
    "billing_and_refunds": (
        "Say when the refund will show",
        "Customers call back when a refund is 'processed' but not visible. Name the day it "
        "will appear on their statement and check it has.",
    ),
    "booking_or_account_access": (
        "Unlock the account before explaining",
        "Restore access first, then explain what happened; customers locked out read nothing "
        "else until they are back in.",
    ),
    "policy": (
        "Explain the rule, then what we can do",
        "Quoting a policy alone reads as a refusal. Give the reason in one line and the best "
        "option that remains.",
    ),
    "staff_attitude": (
        "A call from the team lead within a day",
        "Complaints about how someone was treated calm down fastest with a personal call, "
        "not another email.",
    ),
}


@dataclass(slots=True)
class Played:
    cases: int = 0
    recovered: int = 0
    surveys: int = 0


def play(factory: sessionmaker[Session], settings: Settings, *, seed: int = SEED) -> Played:
    """Give the demo's cases their history, unless they have one."""
    played = Played()
    with transaction(factory) as session:
        if session.scalar(select(exists().where(Survey.id.is_not(None)))):
            return played
        team = list(session.scalars(select(User).where(User.email.like("%@demo.amends"))))
        case_ids = list(session.scalars(select(Case.id).order_by(Case.id)))
    workers = [u for u in team if u.role.value in ("agent", "lead")]
    deciders = [u for u in team if u.role.value in ("lead", "manager")]
    if not workers or not case_ids:
        return played
    rng = random.Random(seed)
    chosen = [case_id for case_id in case_ids if rng.random() < SHARE]
    playbooks = playbook_set.current(settings)
    now = clock.now()
    for case_id in chosen:
        with transaction(factory) as session:
            _one(session, case_id, rng, (workers, deciders), playbooks, settings, now, played)
    with transaction(factory) as session:
        _lessons(session, workers[0], now)
    return played


def _one(
    session: Session,
    case_id: int,
    rng: random.Random,
    team: tuple[list[User], list[User]],
    playbooks: PlaybookSet,
    settings: Settings,
    now: datetime,
    played: Played,
) -> None:
    workers, deciders = team
    opened = now - timedelta(days=rng.uniform(2, DAYS))
    _move_back(session, case_id, opened)
    case = session.get_one(Case, case_id)
    with clock.frozen(opened):
        note = {"note": "the demo's history of this case is simulated"}
        service.record(
            session, case_id=case_id, kind=EventKind.DEMO_SIMULATED, actor=SIMULATED, data=note
        )
    owner = rng.choice(workers)
    person = Actor(user_id=owner.id, name=owner.name)
    at = opened + timedelta(minutes=rng.lognormvariate(4.5, 1.0))
    played.cases += 1
    _give_customer(session, case, rng)
    with clock.frozen(at):
        service.assign(session=session, case=case, owner_id=owner.id, actor=person)
        _first_reply(session, case, person, playbooks, settings, at)
        service.transition(session=session, case=case, to=CaseStatus.INVESTIGATING, actor=person)
    at += timedelta(hours=rng.uniform(1, 60))
    if at >= now:
        return
    with clock.frozen(at):
        if rng.random() < 0.3:
            _compensate(session, case, owner, rng, settings, deciders)
        if rng.random() < 0.7:
            cause = rng.choice(list(RootCause))
            root_cause.set_root_cause(session, case=case, cause=cause, note="", actor=person)
        service.transition(session=session, case=case, to=CaseStatus.REMEDY_DONE, actor=person)
    at += timedelta(days=1, minutes=1)
    if at >= now:
        return
    with clock.frozen(at):
        survey = follow_up.start_follow_up(session, case, playbooks, settings, at)
    played.surveys += 1
    _answer(session, case, survey, rng, playbooks, at, now, played)


def _give_customer(session: Session, case: Case, rng: random.Random) -> None:
    """The CFPB complaints name no consumer: a played case gets a customer of its own, with a
    made-up lifetime value, so retained value and ROI have something to weigh."""
    if case.customer_id is not None:
        return
    customer = Customer(lifetime_value=Decimal(rng.randrange(50, 3000)))
    session.add(customer)
    session.flush()
    session.add(CustomerIdentity(customer_id=customer.id, kind=SHOP, value=_account(case)))
    case.customer_id = customer.id
    session.flush()


def _account(case: Case) -> str:
    return f"acct-{case.id}"


def _comes_back(
    session: Session, case: Case, rng: random.Random, recovered: datetime, now: datetime
) -> None:
    """Half the recovered customers order again within three weeks (the demo shop's orders)."""
    ordered = recovered + timedelta(days=rng.uniform(1, 21))
    if rng.random() >= 0.5 or ordered >= now:
        return
    session.add(
        Order(
            source="demo-shop",
            dedupe_key=f"demo-{case.id}",
            external_id=f"demo-{case.id}",
            kind=OrderKind.ORDER,
            identity_kind=SHOP,
            identity_value=_account(case),
            ordered_at=ordered,
            amount=Decimal(rng.randrange(20, 400)),
            currency="USD",
            raw="{}",
        )
    )


def _first_reply(
    session: Session,
    case: Case,
    person: Actor,
    playbooks: PlaybookSet,
    settings: Settings,
    at: datetime,
) -> None:
    """The built-in draft, posted by the agent: checked, kept, and the first response."""
    facts = reply_basis.basis(session, case, playbooks=playbooks, settings=settings).facts
    request = ReplyRequest(
        text=draft(facts).text,
        channel=facts.channel.name,
        route=ReplyRoute.POSTED,
        confirmed=True,
        source="built-in",
    )
    send_reply(
        session,
        case=case,
        actor=person,
        request=request,
        playbooks=playbooks,
        settings=settings,
        now=at,
    )


def _answer(
    session: Session,
    case: Case,
    survey: Survey,
    rng: random.Random,
    playbooks: PlaybookSet,
    sent: datetime,
    now: datetime,
    played: Played,
) -> None:
    answered = sent + timedelta(hours=rng.uniform(2, 96))
    if rng.random() < 0.3 or answered >= min(now, survey.expires_at):
        closing = survey.expires_at
        if closing < now:
            with clock.frozen(closing):
                follow_up.close_unanswered(session, survey, case, closing)
        return
    happy = rng.random() < 0.78
    csat = rng.choice((4, 5, 5)) if happy else rng.choice((1, 2, 3))
    nps = rng.choice((7, 8, 9, 10, 10)) if happy else rng.randrange(0, 7)
    consent = rng.choice((Consent.NONE, Consent.NONE, Consent.ANONYMOUS)) if happy else Consent.NONE
    given = follow_up.Answer(
        csat=csat,
        nps=nps,
        comment="Thank you for sorting it out." if happy and consent is not Consent.NONE else "",
        consent=consent,
    )
    with clock.frozen(answered):
        outcome = follow_up.answer(
            session, survey=survey, given=given, playbooks=playbooks, now=answered
        )
    if outcome is SurveyOutcome.SATISFIED:
        played.recovered += 1
        _comes_back(session, case, rng, answered, now)


def _compensate(
    session: Session,
    case: Case,
    owner: User,
    rng: random.Random,
    settings: Settings,
    deciders: list[User],
) -> None:
    """A grant: mostly within the owner's authority; now and then a larger one that a lead or
    manager approves or refuses, with a reason. A playbook that offers no such remedy for the
    case simply gets none."""
    kind, amount = rng.choice(
        (("voucher", 15), ("voucher", 25), ("partial_credit", 20), ("refund", 80))
    )
    with suppress(RemedyRefused):
        outcome = grant(
            session=session,
            case=case,
            user=owner,
            kind=kind,
            amount=Decimal(amount),
            settings=settings,
        )
        approval = outcome.approval
        able = [u for u in deciders if u.id != owner.id]
        if approval is None or not able:
            return
        decider = rng.choice(able)
        with suppress(AboveAuthority):
            if rng.random() < 0.75:
                approvals.approve(
                    session=session, approval=approval, user=decider, settings=settings
                )
            else:
                reason = "A voucher fits this case better; offer that instead."
                approvals.refuse(
                    session=session,
                    approval=approval,
                    user=decider,
                    reason=reason,
                    settings=settings,
                )


def _move_back(session: Session, case_id: int, opened: datetime) -> None:
    """Put the case, its items, its timeline and its clocks at `opened`, as if it came then.
    In Python, row by row: a case has a handful, and SQLite has no date arithmetic on them."""
    case = session.get_one(Case, case_id)
    delta = opened - case.opened_at
    case.opened_at = case.updated_at = case.created_at = opened
    for name in ("first_response_due_at", "resolution_due_at"):
        value = getattr(case, name)
        if value is not None:
            setattr(case, name, value + delta)
    for item in session.scalars(select(FeedbackItem).where(FeedbackItem.case_id == case_id)):
        item.received_at += delta
    for event in session.scalars(select(TimelineEvent).where(TimelineEvent.case_id == case_id)):
        event.at += delta
    for timer in session.scalars(select(CaseTimer).where(CaseTimer.case_id == case_id)):
        timer.due_at += delta
    session.flush()


def _lessons(session: Session, author: User, now: datetime) -> None:
    actor = Actor(user_id=author.id, name=author.name)
    for category, (title, body) in LESSONS.items():
        case = session.scalar(
            select(Case)
            .where(Case.category == category, Case.root_cause.is_not(None))
            .order_by(Case.id)
            .limit(1)
        )
        if case is not None:
            add_lesson(session, case=case, title=title, body=body, actor=actor, now=now)
