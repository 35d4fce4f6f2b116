"""The customer's follow-up survey: `/s/{token}`, no login (amends.cases.follow_up).

As with the remedy link, the signed token is the customer's only credential: a token that fails
the signature is a 404, a survey past its time a 410, one already answered shows the thanks
again. The form carries the session's CSRF token like every form of amends, and pages are sent
with `X-Robots-Tag: noindex`. The thanks is the same whatever the answer: it never asks for a
review, so the answer gates nothing (docs/review-invitations.md). A customer who let us share
their comment can take that back from the same link at any time, even after the survey closed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request, Response, status
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from amends import deps
from amends.cases import follow_up, playbook_set
from amends.cases.follow_up import Answer, SurveyClosed, SurveyExpired, SurveyRefused
from amends.config import Settings
from amends.insights import lessons
from amends.lib import clock
from amends.lib.customer_links import LinkInvalid
from amends.store.tables import Consent, Survey, SurveyOutcome
from amends.web.auth import WebSession
from amends.web.routes import web_router
from amends.web.templating import customer_page

router = web_router()

TEMPLATE = "survey/answer.html"
NOT_FOUND = "This link does not work. Check that you copied all of it, or reply to our email."
EXPIRED = "This survey has closed. If something is still wrong, reply to our email."
CSAT = {
    1: "Very dissatisfied",
    2: "Dissatisfied",
    3: "Neither",
    4: "Satisfied",
    5: "Very satisfied",
}


@router.get("/s/{token}")
def survey_page(
    request: Request, token: str, session: WebSession, settings: deps.SettingsDep
) -> Response:
    survey = _survey(session, token, settings)
    if survey is None:
        return _problem(request, NOT_FOUND, status.HTTP_404_NOT_FOUND)
    return _show(request, survey, token)


@router.post("/s/{token}")
def answer(
    request: Request,
    token: str,
    session: WebSession,
    settings: deps.SettingsDep,
    csat: Annotated[str, Form(max_length=2)] = "",
    nps: Annotated[str, Form(max_length=2)] = "",
    comment: Annotated[str, Form(max_length=4000)] = "",
    consent: Annotated[str, Form(max_length=20)] = Consent.NONE.value,
) -> Response:
    survey = _survey(session, token, settings)
    if survey is None:
        return _problem(request, NOT_FOUND, status.HTTP_404_NOT_FOUND)
    given = Answer(
        csat=_number(csat),
        nps=_number(nps),
        comment=comment,
        consent=Consent(consent) if consent in set(Consent) else Consent.NONE,
    )
    playbooks = playbook_set.current(settings)
    try:
        follow_up.answer(session, survey=survey, given=given, playbooks=playbooks, now=clock.now())
    except SurveyExpired:
        return _problem(request, EXPIRED, status.HTTP_410_GONE)
    except SurveyClosed:
        return RedirectResponse(f"/s/{token}", status_code=status.HTTP_303_SEE_OTHER)
    except SurveyRefused as refused:
        return _show(request, survey, token, error=str(refused), code=400, given=given)
    return RedirectResponse(f"/s/{token}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/s/{token}/withdraw")
def withdraw(
    request: Request, token: str, session: WebSession, settings: deps.SettingsDep
) -> Response:
    survey = _survey(session, token, settings)
    if survey is None:
        return _problem(request, NOT_FOUND, status.HTTP_404_NOT_FOUND)
    lessons.withdraw_consent(session, survey, now=clock.now())
    return RedirectResponse(f"/s/{token}", status_code=status.HTTP_303_SEE_OTHER)


def _survey(session: Session, token: str, settings: Settings) -> Survey | None:
    """The survey the link names; None when the token was tampered with or is unknown."""
    try:
        return follow_up.by_token(session, token=token, settings=settings)
    except LinkInvalid:
        return None


def _number(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _show(
    request: Request,
    survey: Survey,
    token: str,
    *,
    error: str = "",
    code: int = status.HTTP_200_OK,
    given: Answer | None = None,
) -> Response:
    if survey.outcome is SurveyOutcome.PENDING and clock.now() >= survey.expires_at:
        return _problem(request, EXPIRED, status.HTTP_410_GONE)
    if survey.outcome is SurveyOutcome.NO_RESPONSE:
        return _problem(request, EXPIRED, status.HTTP_410_GONE)
    context = {
        "survey": survey,
        "state": "open" if survey.outcome is SurveyOutcome.PENDING else "answered",
        "token": token,
        "error": error,
        "csat_labels": CSAT,
        "given": given,
    }
    return _page(request, context, code)


def _problem(request: Request, message: str, code: int) -> Response:
    return _page(request, {"survey": None, "state": "problem", "message": message}, code)


def _page(request: Request, context: dict[str, Any], code: int) -> Response:
    return customer_page(request, TEMPLATE, context, status_code=code)
