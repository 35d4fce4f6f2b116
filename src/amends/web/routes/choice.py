"""The customer's page for choosing a remedy: `/r/{token}`, no login.

The signed token in the URL is the customer's only credential (amends.cases.offers): a token
that fails the signature is a 404, an offer past its time a 410. The form still carries the
session's CSRF token, as every form of amends does, so another site cannot post a choice
through the customer's browser. Pages are sent with `X-Robots-Tag: noindex`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request, Response, status
from fastapi.responses import RedirectResponse

from amends import deps
from amends.cases import offers
from amends.cases.compensation import RemedyRefused
from amends.cases.offers import OfferClosed, OfferExpired
from amends.lib.customer_links import LinkInvalid
from amends.store.tables import OfferStatus, RemedyOffer
from amends.web.auth import WebSession
from amends.web.routes import web_router
from amends.web.templating import customer_page

router = web_router()

TEMPLATE = "choice/offer.html"
NOT_FOUND = "This link does not work. Check that you copied all of it, or ask us for a new one."
EXPIRED = "This offer has expired. Reply to our last message and we will make you a new one."
CLOSED = "This offer is no longer open: it was answered or replaced. Reply to our last message."
#: The status code each state of an offer is shown with.
CODES = {
    OfferStatus.OPEN: status.HTTP_200_OK,
    OfferStatus.CHOSEN: status.HTTP_200_OK,
    OfferStatus.EXPIRED: status.HTTP_410_GONE,
    OfferStatus.WITHDRAWN: status.HTTP_410_GONE,
}


@router.get("/r/{token}")
def offer_page(
    request: Request, token: str, session: WebSession, settings: deps.SettingsDep
) -> Response:
    try:
        offer = offers.by_token(session, token=token, settings=settings)
    except LinkInvalid:
        return _problem(request, NOT_FOUND, status.HTTP_404_NOT_FOUND)
    return _show(request, offer, token)


@router.post("/r/{token}")
def choose(
    request: Request,
    token: str,
    session: WebSession,
    settings: deps.SettingsDep,
    option: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    try:
        offer = offers.by_token(session, token=token, settings=settings)
    except LinkInvalid:
        return _problem(request, NOT_FOUND, status.HTTP_404_NOT_FOUND)
    index = int(option) if option.isdigit() else -1
    try:
        offers.choose(session=session, offer=offer, index=index, via="link", actor=offers.CUSTOMER)
    except OfferExpired:
        return _problem(request, EXPIRED, status.HTTP_410_GONE)
    except OfferClosed:
        return _problem(request, CLOSED, status.HTTP_409_CONFLICT)
    except RemedyRefused:
        error = "Pick one of the options, then press the button."
        return _show(request, offer, token, error=error, code=status.HTTP_400_BAD_REQUEST)
    return RedirectResponse(f"/r/{token}", status_code=status.HTTP_303_SEE_OTHER)


def _show(
    request: Request, offer: RemedyOffer, token: str, *, error: str = "", code: int | None = None
) -> Response:
    current = offers.status_of(offer)
    context = {
        "offer": offer,
        "state": current.value,
        "options": offers.options_of(offer),
        "token": token,
        "error": error,
        "message": {OfferStatus.EXPIRED: EXPIRED, OfferStatus.WITHDRAWN: CLOSED}.get(current),
    }
    return _page(request, context, code or CODES[current])


def _problem(request: Request, message: str, code: int) -> Response:
    return _page(request, {"offer": None, "state": "problem", "message": message}, code)


def _page(request: Request, context: dict[str, Any], code: int) -> Response:
    return customer_page(request, TEMPLATE, context, status_code=code)
