"""The lessons-learned knowledge base (docs/insights.md#lessons-learned)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy.orm import Session

from amends.accounts.permissions import Action
from amends.api.errors import FORBIDDEN, NOT_FOUND, UNAUTHORIZED, invalid, not_found
from amends.api.schemas.lessons import LessonIn, LessonOut
from amends.deps import ApiUser, SessionDep, actor_of, get_case_for_user, require
from amends.insights import lessons
from amends.insights.lessons import LessonRefused
from amends.lib import clock
from amends.store.tables import Lesson, User

router = APIRouter(tags=["lessons"], responses=UNAUTHORIZED)


@router.get("/lessons", summary="Search the lessons learned")
def search_lessons(
    session: SessionDep,
    user: ApiUser,
    q: Annotated[str, Query(max_length=200, description="Every word must appear.")] = "",
) -> list[LessonOut]:
    """Newest first, at most 50."""
    require(user, Action.READ)
    found = lessons.search(session, q)
    cases = lessons.cases_of(session, [lesson.id for lesson in found])
    return [LessonOut.of(lesson, cases[lesson.id]) for lesson in found]


@router.post(
    "/cases/{case_id}/lessons",
    status_code=status.HTTP_201_CREATED,
    summary="Add what a case taught",
    responses=FORBIDDEN | NOT_FOUND,
)
def add_lesson(case_id: int, body: LessonIn, session: SessionDep, user: ApiUser) -> LessonOut:
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    try:
        lesson = lessons.add_lesson(
            session,
            case=case,
            title=body.title,
            body=body.body,
            actor=actor_of(user),
            now=clock.now(),
        )
    except LessonRefused as refused:
        raise invalid(refused.field, str(refused)) from refused
    return LessonOut.of(lesson, [case.id])


@router.patch(
    "/lessons/{lesson_id}",
    summary="Change a lesson's title and text",
    responses=FORBIDDEN | NOT_FOUND,
)
def edit_lesson(lesson_id: int, body: LessonIn, session: SessionDep, user: ApiUser) -> LessonOut:
    """Its author, or a lead and above. A recovery story is the customer's words: 422."""
    lesson = _changeable(session, user, lesson_id)
    try:
        lessons.edit_lesson(session, lesson, title=body.title, body=body.body, now=clock.now())
    except LessonRefused as refused:
        raise invalid(refused.field, str(refused)) from refused
    return LessonOut.of(lesson, lessons.cases_of(session, [lesson.id])[lesson.id])


@router.delete(
    "/lessons/{lesson_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Take a lesson or story out of the knowledge base",
    responses=FORBIDDEN | NOT_FOUND,
)
def remove_lesson(lesson_id: int, session: SessionDep, user: ApiUser) -> Response:
    """A lesson by its author, or any entry by a lead and above (a story, when the customer
    withdraws their leave). Each case it came from notes the removal on its timeline."""
    lesson = _changeable(session, user, lesson_id)
    lessons.remove_lesson(session, lesson, actor_of(user))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/cases/{case_id}/lessons/{lesson_id}",
    summary="Mark a lesson as applying to this case too",
    responses=FORBIDDEN | NOT_FOUND,
)
def link_lesson(case_id: int, lesson_id: int, session: SessionDep, user: ApiUser) -> LessonOut:
    """Idempotent: linking twice links once."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    lesson = _lesson(session, lesson_id)
    lessons.link_lesson(session, lesson, case, actor_of(user))
    return LessonOut.of(lesson, lessons.cases_of(session, [lesson.id])[lesson.id])


def _lesson(session: Session, lesson_id: int) -> Lesson:
    lesson = session.get(Lesson, lesson_id)
    if lesson is None:
        raise not_found(f"lesson {lesson_id} not found")
    return lesson


def _changeable(session: Session, user: User, lesson_id: int) -> Lesson:
    lesson = _lesson(session, lesson_id)
    if not lessons.may_change(lesson, role=user.role, user_id=user.id):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail="only its author, or a lead and above, may change this entry",
        )
    return lesson
