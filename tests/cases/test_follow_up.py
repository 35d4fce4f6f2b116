"""Follow-up after the remedy: the check-in with its survey link goes out once when due, with the
same review invitation for everyone; an answer recovers or reopens the case; reminders, then
"no response"; links that are tampered with, expired or used."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases import follow_up, offers, playbook_set, service
from amends.cases.actor import Actor
from amends.cases.follow_up import (
    Answer,
    SurveyClosed,
    SurveyExpired,
    SurveyRefused,
    follow_up_due,
)
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.insights.metrics import Filters, report
from amends.lib.customer_links import LinkInvalid
from amends.store.tables import (
    Case,
    CaseStatus,
    CaseTimer,
    Consent,
    Delivery,
    Reply,
    Survey,
    SurveyOutcome,
    TimelineEvent,
    TimerKind,
    User,
)
from tests.playbooks.helpers import folder_with

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DONE = OPENED + timedelta(days=1)
GOOGLE = "https://g.page/r/example/review"
PLAYBOOKS = f"""\
playbooks:
  - name: Care
    match: {{source: care}}
    assign: {{team: care}}
    sla: {{first_response: 10h, resolution: 50h}}
    escalate:
      - {{when: unsatisfied, to: team_lead}}
    follow_up:
      after: 1d
      reminders: [2d, 4d]
      close_after: 6d
      review_invitations: {{google: "{GOOGLE}", yelp: none}}
"""


@pytest.fixture
def care(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"playbooks_dir": folder_with(tmp_path, PLAYBOOKS)})


def _remedied(
    session: Session, settings: Settings, owner: User | None = None, **fields: object
) -> Case:
    """A case opened at OPENED whose remedy was done at DONE."""
    values: dict[str, object] = {
        "source": "care",
        "channel": "email",
        "text": "My parcel arrived broken and nobody answers.",
        "raw": "{}",
        "rating": 2,
        "email": "ann@example.com",
        "author": "Ann Smith",
    } | fields
    with time_machine.travel(OPENED, tick=False):
        outcome = pipeline.process(session, [ItemIn(**values)], settings)  # type: ignore[arg-type]
    case = session.get_one(Case, outcome.case_ids[outcome.item_ids[0]])
    actor = Actor(user_id=None, name="test")
    with time_machine.travel(DONE, tick=False):
        if owner is not None:
            service.assign(session=session, case=case, owner_id=owner.id, actor=actor)
        for to in (CaseStatus.INVESTIGATING, CaseStatus.REMEDY_DONE):
            service.transition(session=session, case=case, to=to, actor=actor)
    session.commit()
    return case


def _round(session: Session, settings: Settings, at: datetime) -> follow_up.FollowedUp:
    playbooks = playbook_set.current(settings)
    with time_machine.travel(at, tick=False):
        done = follow_up_due(session, playbooks=playbooks, settings=settings, now=at, limit=100)
    session.commit()
    return done


def _answer(
    session: Session, settings: Settings, survey: Survey, given: Answer, at: datetime
) -> SurveyOutcome:
    playbooks = playbook_set.current(settings)
    with time_machine.travel(at, tick=False):
        outcome = follow_up.answer(session, survey=survey, given=given, playbooks=playbooks, now=at)
    session.commit()
    return outcome


def _events(session: Session, case: Case, kind: str) -> list[TimelineEvent]:
    query = select(TimelineEvent).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == kind
    )
    return list(session.scalars(query.order_by(TimelineEvent.id)))


def test_the_check_in_goes_out_once_when_due(session: Session, care: Settings) -> None:
    case = _remedied(session, care)
    assert _round(session, care, DONE + timedelta(hours=23)).checked_in == 0
    assert _round(session, care, DONE + timedelta(days=1)).checked_in == 1
    assert _round(session, care, DONE + timedelta(days=1, minutes=1)).checked_in == 0

    session.refresh(case)
    assert case.status is CaseStatus.FOLLOW_UP
    survey = session.scalars(select(Survey)).one()
    assert (survey.round, survey.outcome, survey.invited) == (1, SurveyOutcome.PENDING, ["google"])
    assert survey.expires_at == DONE + timedelta(days=7)
    reply = session.scalars(select(Reply)).one()
    assert (reply.recipient, reply.source) == ("ann@example.com", "follow-up")
    assert follow_up.link(survey, care) in reply.text
    assert f"on Google: {GOOGLE}" in reply.text
    assert "Yelp" not in reply.text
    assert "Ann" in reply.text
    [sent] = _events(session, case, "case:survey:sent")
    assert sent.data["sent"] is True
    assert sent.data["reply_id"] == reply.id


def _follow_up_timers(session: Session, case: Case) -> list[CaseTimer]:
    query = select(CaseTimer).where(
        CaseTimer.case_id == case.id, CaseTimer.kind == TimerKind.FOLLOW_UP
    )
    return list(session.scalars(query.order_by(CaseTimer.id)))


def test_a_waiting_case_sleeps_until_its_check_in(session: Session, care: Settings) -> None:
    case = _remedied(session, care)
    [timer] = _follow_up_timers(session, case)
    assert timer.due_at == DONE  # the playbook is read when the worker first looks

    _round(session, care, DONE + timedelta(minutes=1))
    session.refresh(timer)
    assert (timer.due_at, timer.fired_at) == (DONE + timedelta(days=1), None)

    _round(session, care, DONE + timedelta(days=1))
    session.refresh(timer)
    assert timer.fired_at == DONE + timedelta(days=1)


def test_a_case_that_moved_on_is_not_followed_up(session: Session, care: Settings) -> None:
    case = _remedied(session, care)
    actor = Actor(user_id=None, name="test")
    with time_machine.travel(DONE + timedelta(hours=2), tick=False):
        service.transition(session=session, case=case, to=CaseStatus.RECOVERED, actor=actor)
    session.commit()
    assert _round(session, care, DONE + timedelta(days=2)).checked_in == 0
    [timer] = _follow_up_timers(session, case)
    assert timer.fired_at is None
    assert timer.cancelled_at is not None
    assert session.scalars(select(Survey)).all() == []


def test_every_customer_gets_the_same_invitation_before_anyone_answers(
    session: Session, care: Settings
) -> None:
    happy = _remedied(session, care)
    unhappy = _remedied(session, care, email="bo@example.com", author="Bo", text="Broken again!")
    _round(session, care, DONE + timedelta(days=1))
    texts = {r.case_id: r.text for r in session.scalars(select(Reply))}
    line = f"If you'd like to, you're welcome to share how this went on Google: {GOOGLE}"
    assert line in texts[happy.id]
    assert line in texts[unhappy.id]


def test_a_satisfied_answer_recovers_the_case_once(session: Session, care: Settings) -> None:
    case = _remedied(session, care)
    _round(session, care, DONE + timedelta(days=1))
    survey = session.scalars(select(Survey)).one()
    answered = DONE + timedelta(days=2)
    given = Answer(csat=5, nps=9, comment="Sorted, thanks", consent=Consent.ANONYMOUS)
    assert _answer(session, care, survey, given, answered) is SurveyOutcome.SATISFIED

    session.refresh(case)
    session.refresh(survey)
    assert case.status is CaseStatus.RECOVERED
    assert (survey.csat, survey.nps, survey.comment, survey.consent) == (
        5,
        9,
        "Sorted, thanks",
        Consent.ANONYMOUS,
    )
    [event] = _events(session, case, "case:survey:answered")
    assert event.actor == "customer (survey link)"
    with pytest.raises(SurveyClosed):
        _answer(session, care, survey, Answer(csat=1, nps=None), answered)
    # No reminders once answered.
    assert _round(session, care, DONE + timedelta(days=4)).reminded == 0


def test_an_unsatisfied_answer_reopens_escalates_and_tells_the_owner(
    session: Session, care: Settings, alice: User, bob: User
) -> None:
    case = _remedied(session, care, owner=alice)
    _round(session, care, DONE + timedelta(days=1))
    survey = session.scalars(select(Survey)).one()
    outcome = _answer(session, care, survey, Answer(csat=2, nps=3), DONE + timedelta(days=2))
    assert outcome is SurveyOutcome.UNSATISFIED

    session.refresh(case)
    assert case.status is CaseStatus.REOPENED
    assert case.escalated_to == "team_lead"
    [escalated] = _events(session, case, "case:escalated")
    assert escalated.data["reason"] == "the customer is not satisfied"
    told = {(d.event, d.user_id) for d in session.scalars(select(Delivery))}
    assert ("unsatisfied", alice.id) in told
    assert ("escalated", bob.id) in told
    moves = [e.data["to"] for e in _events(session, case, "case:status:change")]
    assert moves[-2:] == ["not_recovered", "reopened"]
    # The answer is an outcome: the case counts as not recovered while it is worked again.
    period = Filters(start=OPENED, end=DONE + timedelta(days=3))
    [figures] = report(session, period, currency="USD")
    assert (figures.recovered, figures.not_recovered, figures.recovery_rate) == (0, 1, 0.0)


def test_satisfied_means_csat_four_or_nps_seven() -> None:
    assert follow_up.satisfied(4, None)
    assert follow_up.satisfied(None, 7)
    assert follow_up.satisfied(2, 8)
    assert not follow_up.satisfied(3, 6)
    assert not follow_up.satisfied(None, None)


def test_reminders_then_no_response_closes_the_case(session: Session, care: Settings) -> None:
    case = _remedied(session, care)
    checked_in = DONE + timedelta(days=1)
    _round(session, care, checked_in)
    assert _round(session, care, checked_in + timedelta(days=1)).reminded == 0
    assert _round(session, care, checked_in + timedelta(days=2)).reminded == 1
    assert _round(session, care, checked_in + timedelta(days=3)).reminded == 0
    assert _round(session, care, checked_in + timedelta(days=4)).reminded == 1
    assert _round(session, care, checked_in + timedelta(days=5)).total == 0
    closed = _round(session, care, checked_in + timedelta(days=6))
    assert (closed.reminded, closed.unanswered) == (0, 1)

    session.refresh(case)
    survey = session.scalars(select(Survey)).one()
    assert case.status is CaseStatus.CLOSED
    assert (survey.outcome, survey.reminders_sent) == (SurveyOutcome.NO_RESPONSE, 2)
    replies = list(session.scalars(select(Reply).order_by(Reply.id)))
    assert len(replies) == 3
    assert all(follow_up.link(survey, care) in r.text for r in replies)
    assert len({r.text for r in replies}) == 3
    assert [e.data["reminder"] for e in _events(session, case, "case:survey:reminded")] == [1, 2]
    assert len(_events(session, case, "case:survey:no_response")) == 1
    with pytest.raises(SurveyExpired):
        _answer(session, care, survey, Answer(csat=5, nps=None), checked_in + timedelta(days=6))


def test_a_pending_survey_is_looked_at_when_a_reminder_or_its_expiry_comes(
    session: Session, care: Settings
) -> None:
    _remedied(session, care)
    checked_in = DONE + timedelta(days=1)
    _round(session, care, checked_in)
    survey = session.scalars(select(Survey)).one()
    expiry = survey.expires_at
    seen = [survey.next_check_at]
    for days in (2, 4):
        _round(session, care, checked_in + timedelta(days=days))
        session.refresh(survey)
        seen.append(survey.next_check_at)
    assert seen == [checked_in + timedelta(days=2), checked_in + timedelta(days=4), expiry]


def test_a_survey_pending_at_the_upgrade_is_looked_at_once(
    session: Session, care: Settings
) -> None:
    _remedied(session, care)
    checked_in = DONE + timedelta(days=1)
    _round(session, care, checked_in)
    survey = session.scalars(select(Survey)).one()
    survey.next_check_at = None  # as the upgrade that brought the column leaves it
    session.commit()
    assert _round(session, care, checked_in + timedelta(days=3)).reminded == 1
    session.refresh(survey)
    assert survey.next_check_at == checked_in + timedelta(days=4)


def test_without_an_email_the_link_waits_for_the_agent(session: Session, care: Settings) -> None:
    case = _remedied(session, care, email=None, channel="chat")
    _round(session, care, DONE + timedelta(days=1))
    _round(session, care, DONE + timedelta(days=4))
    session.refresh(case)
    assert case.status is CaseStatus.FOLLOW_UP
    survey = session.scalars(select(Survey)).one()
    assert (survey.invited, survey.reminders_sent) == ([], 0)
    assert survey.next_check_at == survey.expires_at  # no reminders to send
    assert session.scalars(select(Reply)).all() == []
    [sent] = _events(session, case, "case:survey:sent")
    assert sent.data["sent"] is False
    assert "send them the link" in sent.data["reason"]


def test_answers_are_checked(session: Session, care: Settings) -> None:
    _remedied(session, care)
    _round(session, care, DONE + timedelta(days=1))
    survey = session.scalars(select(Survey)).one()
    at = DONE + timedelta(days=2)
    for given, field in (
        (Answer(csat=None, nps=None), "csat"),
        (Answer(csat=6, nps=None), "csat"),
        (Answer(csat=None, nps=11), "nps"),
        (Answer(csat=3, nps=None, comment="x" * 2001), "comment"),
    ):
        with pytest.raises(SurveyRefused) as refused:
            _answer(session, care, survey, given, at)
        assert refused.value.field == field
    session.refresh(survey)
    assert survey.outcome is SurveyOutcome.PENDING


def test_a_link_names_its_survey_and_nothing_else(session: Session, care: Settings) -> None:
    _remedied(session, care)
    _round(session, care, DONE + timedelta(days=1))
    survey = session.scalars(select(Survey)).one()
    token = follow_up.token(survey, care)
    assert follow_up.by_token(session, token=token, settings=care).id == survey.id
    for bad in (token[:-2] + "xx", "nonsense", ""):
        with pytest.raises(LinkInvalid):
            follow_up.by_token(session, token=bad, settings=care)
    other_secret = care.model_copy(
        update={"secret_key": SecretStr("another-secret-of-32-characters!!")}
    )
    with pytest.raises(LinkInvalid):
        follow_up.by_token(session, token=token, settings=other_secret)
    # A token for a remedy offer of the same id is worthless here (the salts differ).
    offer_token = offers.customer_links.token(
        care.secret_key.get_secret_value(), offers.LINK_SALT, survey.id, survey.expires_at
    )
    with pytest.raises(LinkInvalid):
        follow_up.by_token(session, token=offer_token, settings=care)


def test_a_playbook_may_turn_follow_up_off(
    session: Session, settings: Settings, tmp_path: Path
) -> None:
    off = PLAYBOOKS.replace("      after: 1d\n", "      enabled: false\n      after: 1d\n")
    quiet = settings.model_copy(update={"playbooks_dir": folder_with(tmp_path, off)})
    case = _remedied(session, quiet)
    assert _round(session, quiet, DONE + timedelta(days=30)).total == 0
    session.refresh(case)
    assert case.status is CaseStatus.REMEDY_DONE


def test_a_case_that_comes_back_is_checked_in_again_but_invited_once(
    session: Session, care: Settings
) -> None:
    case = _remedied(session, care)
    _round(session, care, DONE + timedelta(days=1))
    first = session.scalars(select(Survey)).one()
    _answer(session, care, first, Answer(csat=1, nps=None), DONE + timedelta(days=2))
    actor = Actor(user_id=None, name="test")
    again = DONE + timedelta(days=3)
    with time_machine.travel(again, tick=False):
        session.refresh(case)
        for to in (CaseStatus.INVESTIGATING, CaseStatus.REMEDY_DONE):
            service.transition(session=session, case=case, to=to, actor=actor)
    session.commit()
    assert _round(session, care, again + timedelta(days=1)).checked_in == 1
    second = session.scalars(select(Survey).where(Survey.round == 2)).one()
    assert (first.invited, second.invited) == (["google"], [])
    last = session.scalars(select(Reply).order_by(Reply.id.desc())).first()
    assert last is not None
    assert follow_up.link(second, care) in last.text
    assert GOOGLE not in last.text
