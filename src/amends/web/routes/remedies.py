"""Remedies on the case page: grant compensation, offer remedies, record the customer's choice.

The panel is its own page, `/cases/{id}/remedies`, which the case page loads into place with
htmx. Each change answers with a redirect back to the case and a message. Authority is checked
by amends.cases, as for the API and the command line.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import Form, Request, Response, status
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from amends import deps
from amends.accounts import service as accounts
from amends.accounts.permissions import may_work_case
from amends.cases import approvals, compensation, offers, service, states
from amends.cases.compensation import AboveAuthority, RemedyRefused
from amends.cases.offers import OfferClosed, OfferExpired, OptionIn
from amends.config import Settings
from amends.playbooks.authority import AuthorityLimits
from amends.playbooks.schema import RemedyKind
from amends.store.tables import Case, OfferStatus, RemedyOffer, User
from amends.web.auth import CurrentUser, WebSession
from amends.web.flash import flash
from amends.web.routes import web_router
from amends.web.templating import fragment, page, wants_fragment

router = web_router()

VALID_DAYS = (1, 3, 7, 14, 30)
SHOWN_OFFERS = 5


@router.get("/cases/{case_id}/remedies")
def panel(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
) -> Response:
    case = deps.get_case_for_user(session, user, case_id)
    context = _panel_context(session, user=user, case=case, settings=settings)
    if wants_fragment(request):
        return fragment(request, "cases/_remedies_panel.html", context)
    return page(request, "cases/remedies.html", context)


def _panel_context(
    session: Session, *, user: User, case: Case, settings: Settings
) -> dict[str, Any]:
    authority = AuthorityLimits.from_settings(settings)
    catalogue = compensation.catalogue(case, settings)
    granted = compensation.for_case(session, case.id)
    return {
        "user": user,
        "case": case,
        "may_work": may_work_case(role=user.role, user_id=user.id, owner_id=case.owner_id),
        "catalogue": [(remedy, remedy.cap_for(case.priority)) for remedy in catalogue],
        "kinds": [remedy.kind for remedy in catalogue] or list(RemedyKind),
        "limit": authority.limit(user.role),
        "my_kinds": sorted(authority.kinds_of(user.role)),
        "currency": settings.authority_currency,
        "granted": granted,
        "totals": compensation.totals(granted),
        "pending": approvals.requests(session, case_id=case.id),
        "offers": [_offer_view(o, settings) for o in offers.for_case(session, case.id)],
        "shown_offers": SHOWN_OFFERS,
        "valid_days": VALID_DAYS,
        "users": {person.id: person for person in accounts.list_users(session)},
    }


def _offer_view(offer: RemedyOffer, settings: Settings) -> dict[str, Any]:
    current = offers.status_of(offer)
    is_open = current is OfferStatus.OPEN
    return {
        "offer": offer,
        "status": current,
        "options": offers.options_of(offer),
        "link": offers.link(offer, settings) if is_open else None,
    }


@router.post("/cases/{case_id}/compensation")
def grant(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    kind: Annotated[str, Form()] = "",
    amount: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=compensation.NOTE_LIMIT)] = "",
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    try:
        outcome = compensation.grant(
            session=session,
            case=case,
            user=user,
            kind=kind,
            amount=amount.strip() or "0",
            note=note,
            settings=settings,
        )
    except RemedyRefused as exc:
        flash(request, "error", f"Not granted: {exc}.")
        return _back(case_id)
    if outcome.compensation is not None:
        what = compensation.Grant.of(outcome.compensation).describe()
        flash(request, "ok", f"Granted: {what}.")
    elif outcome.approval is not None:
        role = outcome.approval.required_role
        flash(
            request,
            "ok",
            f"Above your authority: sent to a {role} for approval "
            f"(request #{outcome.approval.id}).",
        )
    return _back(case_id)


@router.post("/cases/{case_id}/offers")
def make_offer(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    kind: Annotated[list[str] | None, Form()] = None,
    amount: Annotated[list[str] | None, Form()] = None,
    note: Annotated[list[str] | None, Form()] = None,
    valid_days: Annotated[str, Form()] = "7",
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    options = _options(kind or [], amount or [], note or [])
    days = int(valid_days) if valid_days.isdigit() and int(valid_days) in VALID_DAYS else 7
    try:
        offers.make_offer(
            session=session,
            case=case,
            user=user,
            options=options,
            settings=settings,
            valid_for=timedelta(days=days),
        )
    except (RemedyRefused, AboveAuthority) as exc:
        flash(request, "error", f"Not offered: {exc}.")
    except (states.IllegalTransition, service.ConcurrentChange) as exc:
        flash(request, "error", f"Not offered: {exc}.")
    else:
        flash(request, "ok", f"Offered {len(options)} remedies. Send the customer the link below.")
    return _back(case_id)


def _options(kinds: list[str], amounts: list[str], notes: list[str]) -> list[OptionIn]:
    """The form's rows, in order; a row without a kind is left out."""
    rows = []
    for index, kind in enumerate(kinds):
        if not kind.strip():
            continue
        amount = amounts[index].strip() if index < len(amounts) else ""
        note = notes[index] if index < len(notes) else ""
        rows.append(OptionIn(kind.strip(), amount or "0", note))
    return rows


@router.post("/cases/{case_id}/offers/{offer_id}/choice")
def record_choice(
    request: Request,
    case_id: int,
    offer_id: int,
    session: WebSession,
    user: CurrentUser,
    option: Annotated[str, Form()] = "",
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    offer = session.get(RemedyOffer, offer_id)
    if offer is None or offer.case_id != case.id:
        flash(request, "error", f"Not recorded: case #{case.id} has no offer #{offer_id}.")
        return _back(case_id)
    index = int(option) if option.isdigit() else -1
    try:
        offers.choose(
            session=session, offer=offer, index=index, via="agent", actor=deps.actor_of(user)
        )
    except (RemedyRefused, OfferClosed, OfferExpired, service.ConcurrentChange) as exc:
        flash(request, "error", f"Not recorded: {exc}.")
    else:
        flash(request, "ok", "The customer's choice is recorded; the remedy is accepted.")
    return _back(case_id)


def _back(case_id: int) -> Response:
    url = f"/cases/{case_id}#remedies"
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)
