"""The lessons-learned knowledge base (docs/insights.md#lessons-learned): what a case taught,
written by the people who worked it, and recovery stories in the customer's own words when
they allowed it; searchable, and offered to agents on similar new cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel
from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from amends.accounts.permissions import Action, can
from amends.cases.actor import Actor
from amends.cases.events import EventKind
from amends.cases.follow_up import CUSTOMER
from amends.cases.service import record
from amends.store.tables import (
    Case,
    Consent,
    Customer,
    Lesson,
    LessonKind,
    Role,
    Survey,
    lesson_cases,
)

TITLE_LIMIT = 200
BODY_LIMIT = 5000
#: Lessons weighed for "similar cases", newest first: enough for a team's knowledge base.
CANDIDATES = 500
#: A lesson of the case's own category counts as this much more similar.
SAME_CATEGORY = 0.2
#: Below this, a lesson is not offered.
MIN_SIMILARITY = 0.1


class LessonRefused(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Suggestion:
    lesson: Lesson
    similarity: float  # 0–1.2: text similarity, plus SAME_CATEGORY for the same category
    same_category: bool


def add_lesson(
    session: Session, *, case: Case, title: str, body: str, actor: Actor, now: datetime
) -> Lesson:
    """A lesson from `case`, with its category and root cause; on the case's timeline."""
    lesson = Lesson(
        kind=LessonKind.LESSON,
        title=_checked("title", title, TITLE_LIMIT),
        body=_checked("body", body, BODY_LIMIT),
        category=case.category,
        root_cause=case.root_cause,
        author_id=actor.user_id,
        author=actor.name,
        updated_at=now,
    )
    return _keep(session, lesson, case, actor)


def add_story(
    session: Session, *, case: Case, survey: Survey, actor: Actor, now: datetime
) -> Lesson:
    """The customer's survey comment as a recovery story, only as they allowed: without their
    name, or with it."""
    if survey.case_id != case.id or not survey.comment:
        raise LessonRefused("survey", "this survey has no comment on this case")
    if survey.consent is Consent.NONE:
        raise LessonRefused("survey", "the customer did not allow their comment to be shared")
    by = _customer_name(session, case) if survey.consent is Consent.NAMED else None
    title = f"Recovery story: {(case.category or 'a case').replace('_', ' ')}"
    lesson = Lesson(
        kind=LessonKind.STORY,
        title=title,
        body=survey.comment + (f"\n\n— {by}" if by else ""),
        category=case.category,
        root_cause=case.root_cause,
        author_id=actor.user_id,
        author=actor.name,
        updated_at=now,
        survey_id=survey.id,
    )
    return _keep(session, lesson, case, actor)


def withdraw_consent(session: Session, survey: Survey, *, now: datetime) -> list[int]:
    """The customer takes back their leave to share their survey comment: it is no longer
    shared, and every recovery story quoting it leaves the knowledge base (each removal on the
    case's timeline, by the customer). The stories' ids; nothing when there was no leave."""
    if survey.consent is Consent.NONE:
        return []
    given = survey.consent
    survey.consent = Consent.NONE
    survey.consent_withdrawn_at = now
    stories = session.scalars(
        select(Lesson).where(Lesson.survey_id == survey.id).order_by(Lesson.id)
    ).all()
    removed = [story.id for story in stories]
    data = {"survey_id": survey.id, "consent": given.value, "stories_removed": len(removed)}
    record(
        session,
        case_id=survey.case_id,
        kind=EventKind.CONSENT_WITHDRAWN,
        actor=CUSTOMER,
        data=data,
    )
    for story in stories:
        remove_lesson(session, story, CUSTOMER)
    return removed


def may_change(lesson: Lesson, *, role: Role, user_id: int | None) -> bool:
    """A lesson's author may change or remove it; leads and above may change or remove any
    entry, and take a story down when the customer withdraws their leave."""
    if can(role, Action.LESSONS_CURATE):
        return True
    return lesson.kind is LessonKind.LESSON and user_id is not None and lesson.author_id == user_id


def edit_lesson(
    session: Session, lesson: Lesson, *, title: str, body: str, now: datetime
) -> Lesson:
    """A lesson's new title and text. A story is the customer's own words: it is kept as they
    gave it, or removed."""
    if lesson.kind is LessonKind.STORY:
        raise LessonRefused(
            "kind", "a recovery story is the customer's own words: it is not edited"
        )
    lesson.title = _checked("title", title, TITLE_LIMIT)
    lesson.body = _checked("body", body, BODY_LIMIT)
    lesson.updated_at = now
    session.flush()
    return lesson


def link_lesson(session: Session, lesson: Lesson, case: Case, actor: Actor) -> bool:
    """Mark a lesson as applying to `case` too (on its timeline); False if it already did."""
    linked = session.scalar(
        select(lesson_cases.c.lesson_id).where(
            lesson_cases.c.lesson_id == lesson.id, lesson_cases.c.case_id == case.id
        )
    )
    if linked is not None:
        return False
    session.execute(insert(lesson_cases).values(lesson_id=lesson.id, case_id=case.id))
    data = {"lesson_id": lesson.id, "kind": lesson.kind.value, "title": lesson.title}
    record(session, case_id=case.id, kind=EventKind.LESSON_LINKED, actor=actor, data=data)
    return True


def remove_lesson(session: Session, lesson: Lesson, actor: Actor) -> list[int]:
    """Take an entry out of the knowledge base; each case it came from keeps a line on its
    timeline that it was removed, and by whom. The cases, in order."""
    case_ids = cases_of(session, [lesson.id])[lesson.id]
    data = {"lesson_id": lesson.id, "kind": lesson.kind.value, "title": lesson.title}
    for case_id in case_ids:
        record(session, case_id=case_id, kind=EventKind.LESSON_REMOVED, actor=actor, data=data)
    session.delete(lesson)
    session.flush()
    return case_ids


def search(session: Session, text: str = "", *, limit: int = 50) -> list[Lesson]:
    """Lessons whose title or body holds every word of `text` (any case), newest first."""
    query = select(Lesson)
    for word in text.lower().split()[:10]:
        pattern = f"%{_escape(word)}%"
        query = query.where(
            or_(
                func.lower(Lesson.title).like(pattern, escape="\\"),
                func.lower(Lesson.body).like(pattern, escape="\\"),
            )
        )
    return list(session.scalars(query.order_by(Lesson.id.desc()).limit(limit)))


def cases_of(session: Session, lesson_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {lesson_id: [] for lesson_id in lesson_ids}
    if not lesson_ids:
        return found
    query = select(lesson_cases.c.lesson_id, lesson_cases.c.case_id).where(
        lesson_cases.c.lesson_id.in_(lesson_ids)
    )
    for lesson_id, case_id in session.execute(query.order_by(lesson_cases.c.case_id)):
        found[lesson_id].append(case_id)
    return found


def similar(session: Session, case: Case, text: str, *, limit: int = 3) -> list[Suggestion]:
    """The lessons (not stories) most like the case: TF-IDF cosine between the customer's
    words and each lesson, plus a bonus for the same category. Lessons from this case are
    left out: the agent wrote them."""
    own = select(lesson_cases.c.lesson_id).where(lesson_cases.c.case_id == case.id)
    candidates = list(
        session.scalars(
            select(Lesson)
            .where(Lesson.kind == LessonKind.LESSON, Lesson.id.not_in(own))
            .order_by(Lesson.id.desc())
            .limit(CANDIDATES)
        )
    )
    if not candidates:
        return []
    scores = _text_similarity(text, [f"{lesson.title}\n{lesson.body}" for lesson in candidates])
    found = []
    for lesson, score in zip(candidates, scores, strict=True):
        same = case.category is not None and lesson.category == case.category
        total = score + (SAME_CATEGORY if same else 0.0)
        if total >= MIN_SIMILARITY:
            found.append(Suggestion(lesson, round(total, 3), same))
    found.sort(key=lambda s: (-s.similarity, -s.lesson.id))
    return found[:limit]


def _text_similarity(text: str, documents: list[str]) -> list[float]:
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([text, *documents])
    except ValueError:  # nothing but stop words
        return [0.0] * len(documents)
    return [float(value) for value in linear_kernel(matrix[0:1], matrix[1:]).ravel()]


def _keep(session: Session, lesson: Lesson, case: Case, actor: Actor) -> Lesson:
    session.add(lesson)
    session.flush()
    session.execute(insert(lesson_cases).values(lesson_id=lesson.id, case_id=case.id))
    data = {"lesson_id": lesson.id, "kind": lesson.kind.value, "title": lesson.title}
    record(session, case_id=case.id, kind=EventKind.LESSON_ADDED, actor=actor, data=data)
    return lesson


def _checked(field: str, value: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise LessonRefused(field, f"a lesson needs a {field}")
    if len(text) > limit:
        raise LessonRefused(field, f"a {field} has at most {limit} characters")
    return text


def _customer_name(session: Session, case: Case) -> str | None:
    if case.customer_id is None:
        return None
    customer = session.get(Customer, case.customer_id)
    return customer.name if customer else None


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
