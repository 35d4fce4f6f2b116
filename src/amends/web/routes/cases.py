"""The inbox and the case page."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import Request, Response, status
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from amends import deps
from amends.accounts import service as accounts
from amends.accounts.permissions import Action, can, may_work_case
from amends.cases import follow_up, history, playbook_set, queries, states
from amends.cases.explain import explain_case
from amends.store.tables import Case, CaseStatus, Priority, RootCause, Sentiment, User
from amends.web import triage
from amends.web.auth import CurrentUser, WebSession
from amends.web.inbox import OWNERS, SORTS, InboxQuery
from amends.web.routes import web_router
from amends.web.routes.lessons import lessons_context
from amends.web.templating import fragment, page, wants_fragment

router = web_router()

HISTORY_LIMIT = 20


@router.get("/")
def home() -> Response:
    return RedirectResponse("/cases?status=open", status_code=status.HTTP_303_SEE_OTHER)


@router.get("/cases")
def inbox(request: Request, session: WebSession, user: CurrentUser) -> Response:
    query = InboxQuery.from_params(request.query_params)
    context = _list_context(session, user, query)
    if wants_fragment(request):
        return fragment(request, "cases/_list.html", context)
    choices = {
        "statuses": list(CaseStatus),
        "priorities": list(Priority),
        "channels": queries.channels(session),
        "owners": OWNERS,
        "categories": queries.categories(session),
        "sentiments": list(Sentiment),
        "emotions": queries.emotions(session),
        "sorts": SORTS,
    }
    return page(request, "cases/inbox.html", {**context, **choices, "user": user})


def _list_context(session: Session, user: User, query: InboxQuery) -> dict[str, Any]:
    filters = query.to_filter(user.id)
    found = queries.list_cases(session, filters, cursor=query.cursor, order=query.sort)
    by_status = queries.count_by_status(session, replace(filters, status=()))
    customer_ids = {case.customer_id for case in found.cases if case.customer_id is not None}
    return {
        "query": query,
        "page": found,
        "matching": queries.count_cases(session, filters),
        "by_status": [(s, by_status[s]) for s in CaseStatus if by_status.get(s)],
        "all_count": sum(by_status.values()),
        "open_count": sum(n for s, n in by_status.items() if s in states.OPEN),
        "customers": queries.customer_names(session, customer_ids),
        "users": _users(session),
    }


@router.get("/cases/{case_id}")
def case_page(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
) -> Response:
    case = deps.get_case_for_user(session, user, case_id)
    context = _case_context(session, user, case)
    context["why"] = explain_case(session=session, case=case, settings=settings)
    context["root_causes"] = list(RootCause)
    playbook = playbook_set.current(settings).named(case.playbook)
    context["root_cause_required"] = playbook.root_cause_required
    context["surveys"] = [
        (survey, follow_up.link(survey, settings))
        for survey in follow_up.surveys_of(session, case.id)
    ]
    context |= lessons_context(session, case, context["items"])
    return page(request, "cases/case.html", context)


def _case_context(session: Session, user: User, case: Case) -> dict[str, Any]:
    users = _users(session)
    items = queries.case_items(session, case.id)
    return {
        "user": user,
        "case": case,
        "items": items,
        "panels": triage.panels(items),
        "riskiest": triage.riskiest(items),
        "events": queries.timeline(session, case.id),
        "users": users,
        "assignees": [person for person in users.values() if person.is_active],
        "allowed": states.allowed(case.status),
        "may_work": may_work_case(role=user.role, user_id=user.id, owner_id=case.owner_id),
        "may_assign_others": can(user.role, Action.CASE_ASSIGN_OTHERS),
        **_customer_context(session, case),
    }


def _customer_context(session: Session, case: Case) -> dict[str, Any]:
    found = (
        history.customer_history(session, case.customer_id)
        if case.customer_id is not None
        else None
    )
    if found is None:
        return {"customer": None, "identities": [], "other_items": [], "other_cases": []}
    return {
        "customer": found.customer,
        "identities": found.identities,
        "other_items": [i for i in found.items if i.case_id != case.id][:HISTORY_LIMIT],
        "other_cases": [c for c in found.cases if c.id != case.id][:HISTORY_LIMIT],
    }


def _users(session: Session) -> dict[int, User]:
    return {person.id: person for person in accounts.list_users(session)}
