"""The lessons-learned knowledge base on the web: the searchable list, lessons and stories added
from a case, and the lessons of similar cases on the case page (insights/lessons.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, HTTPException, Query, Request, Response, status
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from amends import deps
from amends.cases import follow_up
from amends.insights import lessons
from amends.insights.lessons import LessonRefused
from amends.lib import clock
from amends.store.tables import Case, Consent, FeedbackItem, Lesson, LessonKind, Survey, User
from amends.web.auth import CurrentUser, WebSession
from amends.web.flash import flash
from amends.web.routes import web_router
from amends.web.templating import page

router = web_router()


@router.get("/lessons")
def lessons_page(
    request: Request,
    session: WebSession,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    found = lessons.search(session, q)
    context = {
        "user": user,
        "lessons": found,
        "cases": lessons.cases_of(session, [lesson.id for lesson in found]),
        "q": q,
        "Kind": LessonKind,
        "changeable": {
            lesson.id
            for lesson in found
            if lessons.may_change(lesson, role=user.role, user_id=user.id)
        },
    }
    return page(request, "lessons/list.html", context)


@router.post("/cases/{case_id}/lessons")
def add_lesson(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    title: Annotated[str, Form(max_length=1000)] = "",
    body: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    actor = deps.actor_of(user)
    try:
        lessons.add_lesson(session, case=case, title=title, body=body, actor=actor, now=clock.now())
    except LessonRefused as refused:
        flash(request, "error", f"Not added: {refused}.")
    else:
        flash(request, "ok", "Lesson added to the knowledge base.")
    return _back(case_id)


@router.post("/cases/{case_id}/stories")
def add_story(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    survey_id: Annotated[int, Form()],
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    survey = session.get(Survey, survey_id)
    try:
        if survey is None:
            raise LessonRefused("survey", "no such survey")
        lessons.add_story(
            session, case=case, survey=survey, actor=deps.actor_of(user), now=clock.now()
        )
    except LessonRefused as refused:
        flash(request, "error", f"Not added: {refused}.")
    else:
        flash(request, "ok", "The customer's story is in the knowledge base.")
    return _back(case_id)


@router.post("/lessons/{lesson_id}/edit")
def edit_lesson(
    request: Request,
    lesson_id: int,
    session: WebSession,
    user: CurrentUser,
    title: Annotated[str, Form(max_length=1000)] = "",
    body: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    lesson = _changeable(session, user, lesson_id)
    try:
        lessons.edit_lesson(session, lesson, title=title, body=body, now=clock.now())
    except LessonRefused as refused:
        flash(request, "error", f"Not changed: {refused}.")
    else:
        flash(request, "ok", "Lesson changed.")
    return RedirectResponse(f"/lessons#lesson-{lesson_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/lessons/{lesson_id}/remove")
def remove_lesson(
    request: Request, lesson_id: int, session: WebSession, user: CurrentUser
) -> Response:
    lesson = _changeable(session, user, lesson_id)
    lessons.remove_lesson(session, lesson, deps.actor_of(user))
    flash(request, "ok", f"“{lesson.title}” is out of the knowledge base.")
    return RedirectResponse("/lessons", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/cases/{case_id}/lessons/{lesson_id}/link")
def link_lesson(
    request: Request, case_id: int, lesson_id: int, session: WebSession, user: CurrentUser
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    lesson = session.get(Lesson, lesson_id)
    if lesson is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such lesson")
    lessons.link_lesson(session, lesson, case, deps.actor_of(user))
    flash(request, "ok", f"“{lesson.title}” now also comes from this case.")
    return _back(case_id)


def _changeable(session: Session, user: User, lesson_id: int) -> Lesson:
    lesson = session.get(Lesson, lesson_id)
    if lesson is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such lesson")
    if not lessons.may_change(lesson, role=user.role, user_id=user.id):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "only its author, or a lead and above, may change this"
        )
    return lesson


def lessons_context(session: Session, case: Case, items: list[FeedbackItem]) -> dict[str, Any]:
    """What the case page shows of the knowledge base."""
    text = "\n".join(item.text for item in items)
    surveys = follow_up.surveys_of(session, case.id)
    return {
        "suggestions": lessons.similar(session, case, text),
        "shareable": [s for s in surveys if s.comment and s.consent is not Consent.NONE],
    }


def _back(case_id: int) -> Response:
    return RedirectResponse(f"/cases/{case_id}#lessons", status_code=status.HTTP_303_SEE_OTHER)
