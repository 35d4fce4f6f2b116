"""Follow-up after the remedy (docs/follow-up.md): the check-in with a survey link, reminders
while it is unanswered, closing as "no response", and the customer's answer.

The worker calls `follow_up_due` every round. Each step is guarded so that several workers never
do it twice: a check-in moves its case from *remedy done* to *follow-up* with a compare-and-set
(and (case, round) is unique), a reminder bumps the survey's count from the value it read, and
closing moves the survey out of *pending* the same way. Emails go through the outbox in the same
transaction, so a step and its message commit together or not at all."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from amends.cases import reply_basis, service, states
from amends.cases import timers as case_timers
from amends.cases.actor import SYSTEM, Actor
from amends.cases.escalate import escalate_now
from amends.cases.events import EventKind
from amends.cases.playbook_set import PlaybookSet
from amends.cases.replying import NeedsConfirmation, ReplyRefused, ReplyRequest, send_reply
from amends.config import Settings
from amends.lib import customer_links
from amends.notify.events import Notice
from amends.notify.outbox import Note, enqueue_all
from amends.playbooks.escalation import Situation, escalations
from amends.playbooks.schema import FollowUp
from amends.replies.channels import CHANNELS
from amends.replies.draft import check_in
from amends.store.tables import (
    Case,
    CaseStatus,
    Consent,
    ReplyRoute,
    Survey,
    SurveyOutcome,
    TimelineEvent,
    TimerKind,
)

log = logging.getLogger(__name__)

LINK_SALT = "amends.follow-up.survey"
#: The actor of an answer given through the survey link: the customer has no user.
CUSTOMER = Actor(user_id=None, name="customer (survey link)")
COMMENT_LIMIT = 2000


class SurveyRefused(ValueError):
    """The answer cannot be taken as given; `field` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class SurveyExpired(ValueError):
    """The link's time ran out."""


class SurveyClosed(ValueError):
    """The survey was answered already, or closed as no response."""


@dataclass(slots=True)
class FollowedUp:
    """What one round did."""

    checked_in: int = 0
    reminded: int = 0
    unanswered: int = 0

    @property
    def total(self) -> int:
        return self.checked_in + self.reminded + self.unanswered


def satisfied(csat: int | None, nps: int | None) -> bool:
    """CSAT 4–5 or NPS 7–10 (the recovery-rate definition of ../DOMAIN.md)."""
    return (csat is not None and csat >= 4) or (nps is not None and nps >= 7)


def follow_up_due(
    session: Session, *, playbooks: PlaybookSet, settings: Settings, now: datetime, limit: int
) -> FollowedUp:
    """Send the check-ins and reminders due at `now` and close the surveys past their time,
    up to `limit` check-ins, in the caller's transaction."""
    done = FollowedUp()
    for case in _check_ins_due(session, playbooks, now, limit):
        start_follow_up(session, case, playbooks, settings, now)
        done.checked_in += 1
    for survey, case in _pending(session, now):
        if now >= survey.expires_at:
            done.unanswered += close_unanswered(session, survey, case, now)
            continue
        if _remind(session, survey, case, playbooks, settings, now):
            done.reminded += 1
        session.refresh(survey, ["reminders_sent"])
        survey.next_check_at = _next_check(survey, case, playbooks.named(case.playbook).follow_up)
    return done


def _check_ins_due(
    session: Session, playbooks: PlaybookSet, now: datetime, limit: int
) -> list[Case]:
    """Cases whose check-in is due, locked. A case whose remedy is done waits on a follow-up
    timer (`timers.wait_for_follow_up`); when it comes due, the playbook says when the check-in
    is: a later one moves the timer there, so each waiting case is looked at about twice, not
    every round. A case that moved on, or whose playbook no longer follows up, has its timer
    cancelled; one another transaction holds is tried next round."""
    waiting = case_timers.take_due(session, TimerKind.FOLLOW_UP, now=now, limit=limit)
    if not waiting:
        return []
    ids = [timer.case_id for timer in waiting]
    locked = select(Case).where(Case.id.in_(ids)).with_for_update(skip_locked=True)
    cases = {case.id: case for case in session.scalars(locked)}
    done_at = _remedies_done_at(session, ids)
    due = []
    for timer in waiting:
        case = cases.get(timer.case_id)
        if case is None:
            continue
        plan = playbooks.named(case.playbook).follow_up
        at = done_at.get(case.id)
        if case.status is not CaseStatus.REMEDY_DONE or not plan.enabled or at is None:
            timer.cancelled_at = now
        elif now < at + plan.after:
            timer.due_at = at + plan.after
        else:
            timer.fired_at = now
            due.append(case)
    return sorted(due, key=lambda case: case.id)


def _remedies_done_at(session: Session, case_ids: Sequence[int]) -> dict[int, datetime]:
    """When each case last reached *remedy done*."""
    query = (
        select(TimelineEvent.case_id, func.max(TimelineEvent.at))
        .where(
            TimelineEvent.case_id.in_(case_ids),
            TimelineEvent.kind == EventKind.STATUS_CHANGED.value,
            TimelineEvent.data["to"].as_string() == CaseStatus.REMEDY_DONE.value,
        )
        .group_by(TimelineEvent.case_id)
    )
    return dict(session.execute(query).all())


def start_follow_up(
    session: Session, case: Case, playbooks: PlaybookSet, settings: Settings, now: datetime
) -> Survey:
    """Open the case's next survey, move it to follow-up, and send the check-in (or say why
    not); the survey."""
    plan = playbooks.named(case.playbook).follow_up
    earlier = session.scalar(select(func.max(Survey.round)).where(Survey.case_id == case.id))
    survey = Survey(
        case_id=case.id,
        customer_id=case.customer_id,
        round=(earlier or 0) + 1,
        sent_at=now,
        # Whole seconds: the link signs the expiry as a Unix time.
        expires_at=(now + plan.close_after).replace(microsecond=0),
    )
    session.add(survey)
    session.flush()
    service.transition(session=session, case=case, to=CaseStatus.FOLLOW_UP, actor=SYSTEM)
    platforms = {} if _invited_before(session, case.id) else plan.invitations()
    invitations = [(p.label, page) for p, page in platforms.items()]
    reply_id = _send(session, case, survey, playbooks, settings, now, invitations=invitations)
    if reply_id is not None:
        survey.emailed = True
        survey.invited = [p.value for p in platforms]
    survey.next_check_at = _next_check(survey, case, plan)
    data: dict[str, object] = {
        "survey_id": survey.id,
        "round": survey.round,
        "sent": reply_id is not None,
        "reply_id": reply_id,
        "invited": survey.invited,
        "expires_at": survey.expires_at.isoformat(),
    }
    if reply_id is None:
        data["reason"] = "amends has no email address for this customer: send them the link"
    service.record(session, case_id=case.id, kind=EventKind.SURVEY_SENT, actor=SYSTEM, data=data)
    return survey


def _invited_before(session: Session, case_id: int) -> bool:
    """One review invitation per case: a check-in after a reopening does not ask again."""
    invited = session.scalars(select(Survey.invited).where(Survey.case_id == case_id))
    return any(invited)


def _send(
    session: Session,
    case: Case,
    survey: Survey,
    playbooks: PlaybookSet,
    settings: Settings,
    now: datetime,
    *,
    invitations: Sequence[tuple[str, str]] = (),
    reminder: int = 0,
) -> int | None:
    """Email the check-in (or reminder) into the customer's thread; the reply's id, or None
    when amends has no address or the checker refused the text."""
    basis = reply_basis.basis(session, case, playbooks=playbooks, settings=settings)
    if basis.email is None:
        return None
    facts = basis.on(CHANNELS["email"]).facts
    until = f"{survey.expires_at:%d %B}"
    text = check_in(
        facts, link=link(survey, settings), invitations=invitations, reminder=reminder, until=until
    ).text
    request = ReplyRequest(text=text, channel="email", route=ReplyRoute.EMAIL, source="follow-up")
    try:
        sent = send_reply(
            session,
            case=case,
            actor=SYSTEM,
            request=request,
            playbooks=playbooks,
            settings=settings,
            now=now,
            automatic=True,
        )
    except (NeedsConfirmation, ReplyRefused) as refused:
        log.warning("case %s: the follow-up was not sent: %s", case.id, refused)
        return None
    return sent.reply.id


def _pending(session: Session, now: datetime) -> list[tuple[Survey, Case]]:
    """The pending surveys due a look: a reminder or the expiry may have come."""
    query = (
        select(Survey, Case)
        .join(Case, Case.id == Survey.case_id)
        .where(
            Survey.outcome == SurveyOutcome.PENDING,
            or_(Survey.next_check_at <= now, Survey.next_check_at.is_(None)),
        )
        .order_by(Survey.id)
    )
    return [(survey, case) for survey, case in session.execute(query)]


def _next_check(survey: Survey, case: Case, plan: FollowUp) -> datetime:
    """When the survey next needs the worker: its next reminder while one is left and the case
    waits for the answer, else its expiry."""
    count = survey.reminders_sent
    waiting = survey.emailed and case.status is CaseStatus.FOLLOW_UP
    if waiting and count < len(plan.reminders):
        return min(survey.expires_at, survey.sent_at + plan.reminders[count])
    return survey.expires_at


def _remind(
    session: Session,
    survey: Survey,
    case: Case,
    playbooks: PlaybookSet,
    settings: Settings,
    now: datetime,
) -> bool:
    """Send the next reminder when it is due and the case still waits for the answer."""
    plan: FollowUp = playbooks.named(case.playbook).follow_up
    count = survey.reminders_sent
    waiting = survey.emailed and case.status is CaseStatus.FOLLOW_UP
    if not waiting or count >= len(plan.reminders):
        return False
    if now < survey.sent_at + plan.reminders[count]:
        return False
    taken = session.execute(
        update(Survey)
        .where(
            Survey.id == survey.id,
            Survey.reminders_sent == count,
            Survey.outcome == SurveyOutcome.PENDING,
        )
        .values(reminders_sent=count + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return False
    reply_id = _send(session, case, survey, playbooks, settings, now, reminder=count + 1)
    data = {"survey_id": survey.id, "reminder": count + 1, "sent": reply_id is not None}
    service.record(
        session, case_id=case.id, kind=EventKind.SURVEY_REMINDED, actor=SYSTEM, data=data
    )
    return reply_id is not None


def close_unanswered(session: Session, survey: Survey, case: Case, now: datetime) -> int:
    """No answer by the survey's expiry: "no response", counted apart from the outcomes. The
    case closes if it was still waiting for the answer."""
    if not _settle(session, survey, {"outcome": SurveyOutcome.NO_RESPONSE}):
        return 0
    data = {"survey_id": survey.id, "reminders": survey.reminders_sent}
    service.record(
        session, case_id=case.id, kind=EventKind.SURVEY_UNANSWERED, actor=SYSTEM, data=data
    )
    if case.status is CaseStatus.FOLLOW_UP:
        service.transition(session=session, case=case, to=CaseStatus.CLOSED, actor=SYSTEM)
    return 1


def _settle(session: Session, survey: Survey, values: dict[str, object]) -> bool:
    """Move the survey out of *pending*, unless someone else already did."""
    result = session.execute(
        update(Survey)
        .where(Survey.id == survey.id, Survey.outcome == SurveyOutcome.PENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.expire(survey)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    csat: int | None
    nps: int | None
    comment: str = ""
    consent: Consent = Consent.NONE


def answer(
    session: Session,
    *,
    survey: Survey,
    given: Answer,
    playbooks: PlaybookSet,
    now: datetime,
) -> SurveyOutcome:
    """Take the customer's answer, once. Satisfied: the case is recovered. Not satisfied: the
    case is reopened, escalated as its playbook says, and its owner told."""
    comment = _checked(given)
    if now >= survey.expires_at:
        raise SurveyExpired("this survey has closed")
    outcome = (
        SurveyOutcome.SATISFIED if satisfied(given.csat, given.nps) else SurveyOutcome.UNSATISFIED
    )
    values = {
        "outcome": outcome,
        "answered_at": now,
        "csat": given.csat,
        "nps": given.nps,
        "comment": comment or None,
        "consent": given.consent if comment else Consent.NONE,
    }
    if not _settle(session, survey, values):
        raise SurveyClosed("this survey was already answered or has closed")
    case = session.get_one(Case, survey.case_id)
    data = {k: v for k, v in values.items() if k != "answered_at"} | {"survey_id": survey.id}
    service.record(
        session, case_id=case.id, kind=EventKind.SURVEY_ANSWERED, actor=CUSTOMER, data=data
    )
    if outcome is SurveyOutcome.SATISFIED:
        _move(session, case, CaseStatus.RECOVERED)
    else:
        _unsatisfied(session, case, playbooks, now)
    return outcome


def _checked(given: Answer) -> str:
    if given.csat is None and given.nps is None:
        raise SurveyRefused("csat", "answer at least one of the two questions")
    if given.csat is not None and not 1 <= given.csat <= 5:
        raise SurveyRefused("csat", "satisfaction is from 1 to 5")
    if given.nps is not None and not 0 <= given.nps <= 10:
        raise SurveyRefused("nps", "the recommendation score is from 0 to 10")
    comment = given.comment.strip()
    if len(comment) > COMMENT_LIMIT:
        raise SurveyRefused("comment", f"a comment has at most {COMMENT_LIMIT} characters")
    return comment


def _move(session: Session, case: Case, to: CaseStatus) -> None:
    """Move the case if it may go there from where it is (an agent may have moved it since)."""
    if to in states.TRANSITIONS[case.status]:
        service.transition(session=session, case=case, to=to, actor=CUSTOMER)


def _unsatisfied(session: Session, case: Case, playbooks: PlaybookSet, now: datetime) -> None:
    """Not recovered, as the customer said, then reopened to try again: the outcome is on the
    timeline (the recovery rate counts it) and the work goes on."""
    _move(session, case, CaseStatus.NOT_RECOVERED)
    _move(session, case, CaseStatus.REOPENED)
    rules = [r for r in playbooks.named(case.playbook).escalate if r.when.unsatisfied]
    fired = escalations(rules, Situation(now=now, risk=case.risk, unsatisfied=True))
    if fired:
        escalate_now(
            session, case=case, escalations=fired, actor=SYSTEM, teams=playbooks.teams, now=now
        )
    if case.owner_id is not None:
        note = Note(
            notice=Notice.UNSATISFIED,
            case_id=case.id,
            user_ids=[case.owner_id],
            summary=f"Case {case.id}: the customer is not satisfied and the case is reopened",
            data={"case_id": case.id},
            key=f"unsatisfied:case:{case.id}:{now.isoformat()}",
        )
        enqueue_all(session, [note])


def token(survey: Survey, settings: Settings) -> str:
    secret = settings.secret_key.get_secret_value()
    return customer_links.token(secret, LINK_SALT, survey.id, survey.expires_at)


def link(survey: Survey, settings: Settings) -> str:
    """The customer's survey page, under AMENDS_PUBLIC_URL."""
    return f"{settings.public_url.rstrip('/')}/s/{token(survey, settings)}"


def by_token(session: Session, *, token: str, settings: Settings) -> Survey:
    """The survey a link names: LinkInvalid when the token was tampered with or is unknown."""
    secret = settings.secret_key.get_secret_value()
    return customer_links.find(session, Survey, secret=secret, salt=LINK_SALT, token=token)


def surveys_of(session: Session, case_id: int) -> list[Survey]:
    """The case's surveys, newest first."""
    query = select(Survey).where(Survey.case_id == case_id).order_by(Survey.round.desc())
    return list(session.scalars(query))
