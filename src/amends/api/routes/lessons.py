"""The lessons-learned knowledge base (docs/insights.md#lessons-learned)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from amends.accounts.permissions import Action
from amends.api.errors import FORBIDDEN, NOT_FOUND, UNAUTHORIZED, invalid
from amends.api.schemas.lessons import LessonIn, LessonOut
from amends.deps import ApiUser, SessionDep, actor_of, get_case_for_user, require
from amends.insights import lessons
from amends.insights.lessons import LessonRefused
from amends.lib import clock

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
