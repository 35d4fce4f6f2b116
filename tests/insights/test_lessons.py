"""The knowledge base: lessons from cases, stories only with the customer's permission, search,
and the lessons of similar cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from amends.cases.actor import Actor
from amends.insights import lessons
from amends.insights.lessons import LessonRefused
from amends.store.tables import (
    Case,
    Consent,
    Customer,
    LessonKind,
    Role,
    RootCause,
    Survey,
    SurveyOutcome,
    TimelineEvent,
    User,
)

NOW = datetime(2026, 5, 1, 9, tzinfo=UTC)
ANN = Actor(user_id=None, name="Ann")


def _case(session: Session, category: str, **values: object) -> Case:
    case = Case(
        title="t", channel="email", category=category, opened_at=NOW, updated_at=NOW, **values
    )  # type: ignore[arg-type]
    session.add(case)
    session.flush()
    return case


def test_a_lesson_keeps_its_case_category_and_root_cause(session: Session) -> None:
    case = _case(session, "delay", root_cause=RootCause.PARTNER)
    lesson = lessons.add_lesson(
        session,
        case=case,
        title=" Courier misses Friday pickups ",
        body="Book Thursday.",
        actor=ANN,
        now=NOW,
    )
    assert (lesson.title, lesson.category, lesson.root_cause) == (
        "Courier misses Friday pickups",
        "delay",
        RootCause.PARTNER,
    )
    assert lessons.cases_of(session, [lesson.id]) == {lesson.id: [case.id]}
    event = session.query(TimelineEvent).filter_by(kind="case:lesson:added").one()
    assert event.data["lesson_id"] == lesson.id
    with pytest.raises(LessonRefused) as refused:
        lessons.add_lesson(session, case=case, title="", body="x", actor=ANN, now=NOW)
    assert refused.value.field == "title"


def test_search_needs_every_word_and_treats_wildcards_as_text(session: Session) -> None:
    case = _case(session, "delay")
    lessons.add_lesson(
        session,
        case=case,
        title="Courier delays",
        body="Use the depot in Leeds",
        actor=ANN,
        now=NOW,
    )
    lessons.add_lesson(
        session, case=case, title="Refunds take 5 days", body="Say 100% sure", actor=ANN, now=NOW
    )
    assert [found.title for found in lessons.search(session, "leeds COURIER")] == ["Courier delays"]
    assert lessons.search(session, "courier refunds") == []
    assert [found.title for found in lessons.search(session, "100%")] == ["Refunds take 5 days"]
    assert lessons.search(session, "_") == []
    assert len(lessons.search(session, "")) == 2


def test_similar_cases_find_the_lesson_by_words_and_category(session: Session) -> None:
    old = _case(session, "lost_item")
    useful = lessons.add_lesson(
        session, case=old, title="Lost suitcase at the Denver transfer",
        body="Call the Denver baggage office directly; they trace suitcases within a day.",
        actor=ANN, now=NOW,
    )  # fmt: skip
    lessons.add_lesson(
        session, case=_case(session, "billing_and_refunds"), title="Double charges",
        body="Refund the second charge at once.", actor=ANN, now=NOW,
    )  # fmt: skip
    new = _case(session, "lost_item")
    found = lessons.similar(session, new, "My suitcase never arrived in Denver")
    assert [s.lesson.id for s in found] == [useful.id]
    assert found[0].same_category
    # The case's own lessons are not suggested back to it.
    assert lessons.similar(session, old, "suitcase Denver") == []


def test_a_story_only_with_permission_and_a_name_only_when_allowed(session: Session) -> None:
    customer = Customer(name="Grace Thompson")
    session.add(customer)
    session.flush()
    case = _case(session, "delay", customer_id=customer.id)

    def survey(consent: Consent, round_: int) -> Survey:
        answered = Survey(
            case_id=case.id, customer_id=customer.id, round=round_, sent_at=NOW, expires_at=NOW,
            outcome=SurveyOutcome.SATISFIED, csat=5, comment="They fixed it in a day.",
            consent=consent,
        )  # fmt: skip
        session.add(answered)
        session.flush()
        return answered

    with pytest.raises(LessonRefused, match="did not allow"):
        lessons.add_story(session, case=case, survey=survey(Consent.NONE, 1), actor=ANN, now=NOW)
    anonymous = lessons.add_story(
        session, case=case, survey=survey(Consent.ANONYMOUS, 2), actor=ANN, now=NOW
    )
    named = lessons.add_story(
        session, case=case, survey=survey(Consent.NAMED, 3), actor=ANN, now=NOW
    )
    assert anonymous.kind is LessonKind.STORY
    assert "Grace" not in anonymous.body
    assert named.body.endswith("— Grace Thompson")
    # Stories are the customer's words: never offered as a lesson for similar cases.
    assert lessons.similar(session, _case(session, "delay"), "fixed in a day") == []


def test_a_lesson_is_changed_by_its_author_or_a_lead(
    session: Session, alice: User, bob: User
) -> None:
    case = _case(session, "delay")
    author = Actor(user_id=alice.id, name=alice.name)
    lesson = lessons.add_lesson(
        session, case=case, title="Courier delays", body="Book Thursday.", actor=author, now=NOW
    )
    assert lessons.may_change(lesson, role=Role.AGENT, user_id=alice.id)
    assert not lessons.may_change(lesson, role=Role.AGENT, user_id=bob.id)
    assert not lessons.may_change(lesson, role=Role.AGENT, user_id=None)
    assert lessons.may_change(lesson, role=Role.LEAD, user_id=bob.id)
    later = NOW.replace(hour=10)
    lessons.edit_lesson(
        session, lesson, title=" Courier delays on Fridays ", body="Book Wednesday.", now=later
    )
    assert (lesson.title, lesson.body, lesson.updated_at) == (
        "Courier delays on Fridays",
        "Book Wednesday.",
        later,
    )
    with pytest.raises(LessonRefused) as refused:
        lessons.edit_lesson(session, lesson, title="Courier", body=" ", now=later)
    assert refused.value.field == "body"


def test_a_story_is_not_edited_and_only_a_lead_takes_it_down(
    session: Session, alice: User, bob: User
) -> None:
    case = _case(session, "delay")
    survey = Survey(
        case_id=case.id, round=1, sent_at=NOW, expires_at=NOW, outcome=SurveyOutcome.SATISFIED,
        csat=5, comment="Sorted within a day.", consent=Consent.ANONYMOUS,
    )  # fmt: skip
    session.add(survey)
    session.flush()
    ann = Actor(user_id=alice.id, name=alice.name)
    story = lessons.add_story(session, case=case, survey=survey, actor=ann, now=NOW)
    assert not lessons.may_change(story, role=Role.AGENT, user_id=alice.id)
    assert lessons.may_change(story, role=Role.LEAD, user_id=bob.id)
    with pytest.raises(LessonRefused, match="customer's own words"):
        lessons.edit_lesson(session, story, title="x", body="y", now=NOW)
    assert story.body == "Sorted within a day."


def test_a_lesson_gathers_cases_and_its_removal_stays_on_their_timelines(
    session: Session,
) -> None:
    first, second = _case(session, "delay"), _case(session, "delay")
    lesson = lessons.add_lesson(
        session, case=first, title="Courier delays", body="Book Thursday.", actor=ANN, now=NOW
    )
    assert lessons.link_lesson(session, lesson, second, ANN)
    assert not lessons.link_lesson(session, lesson, second, ANN)
    assert lessons.cases_of(session, [lesson.id]) == {lesson.id: [first.id, second.id]}
    # A lesson that applies to a case is not offered on it again.
    assert lessons.similar(session, second, "courier delays thursday") == []

    lesson_id = lesson.id
    assert lessons.remove_lesson(session, lesson, ANN) == [first.id, second.id]
    assert lessons.search(session) == []
    removed = session.query(TimelineEvent).filter_by(kind="case:lesson:removed").all()
    assert sorted(e.case_id for e in removed) == [first.id, second.id]
    assert all(e.data == {"lesson_id": lesson_id, "kind": "lesson", "title": "Courier delays"}
               for e in removed)  # fmt: skip
    assert lessons.cases_of(session, [lesson_id]) == {lesson_id: []}


def test_the_customer_withdraws_their_leave_and_the_story_comes_down(session: Session) -> None:
    case, other = _case(session, "delay"), _case(session, "delay")

    def survey(on: Case, comment: str) -> Survey:
        answered = Survey(
            case_id=on.id, round=1, sent_at=NOW, expires_at=NOW, outcome=SurveyOutcome.SATISFIED,
            csat=5, comment=comment, consent=Consent.NAMED,
        )  # fmt: skip
        session.add(answered)
        session.flush()
        return answered

    given, kept = survey(case, "Sorted within a day."), survey(other, "Quick refund.")
    story = lessons.add_story(session, case=case, survey=given, actor=ANN, now=NOW)
    untouched = lessons.add_story(session, case=other, survey=kept, actor=ANN, now=NOW)
    assert lessons.link_lesson(session, story, other, ANN)  # the story applies elsewhere too
    story_id = story.id

    later = NOW.replace(hour=11)
    assert lessons.withdraw_consent(session, given, now=later) == [story_id]
    assert (given.consent, given.consent_withdrawn_at) == (Consent.NONE, later)
    assert [lesson.id for lesson in lessons.search(session)] == [untouched.id]
    [withdrawn] = session.query(TimelineEvent).filter_by(kind="case:survey:consent_withdrawn")
    assert (withdrawn.case_id, withdrawn.actor) == (case.id, "customer (survey link)")
    assert withdrawn.data == {"survey_id": given.id, "consent": "named", "stories_removed": 1}
    removed = session.query(TimelineEvent).filter_by(kind="case:lesson:removed").all()
    assert sorted(e.case_id for e in removed) == [case.id, other.id]
    with pytest.raises(LessonRefused, match="did not allow"):
        lessons.add_story(session, case=case, survey=given, actor=ANN, now=later)
    # Withdrawing again changes nothing and says nothing more.
    assert lessons.withdraw_consent(session, given, now=later.replace(hour=12)) == []
    assert given.consent_withdrawn_at == later
    assert session.query(TimelineEvent).filter_by(kind=withdrawn.kind).count() == 1
