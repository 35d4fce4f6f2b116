"""Your notification preferences: which notifications reach you by email and by your webhooks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response, status
from fastapi.responses import RedirectResponse

from amends.notify import endpoints, preferences
from amends.notify.events import PERSONAL
from amends.web.auth import CurrentUser, WebSession
from amends.web.flash import flash
from amends.web.routes import web_router
from amends.web.templating import page

router = web_router()

PAGE = "/me/notifications"


@router.get(PAGE)
def notifications_page(request: Request, session: WebSession, user: CurrentUser) -> Response:
    context = {
        "user": user,
        "preferences": preferences.preferences_for(session, user.id),
        "webhooks": endpoints.visible_endpoints(session, user),
    }
    return page(request, "preferences/notifications.html", context)


@router.post(PAGE)
def save_notifications(
    request: Request,
    session: WebSession,
    user: CurrentUser,
    email: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    webhook: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    """The form lists every notification; a box left unticked is a "no"."""
    for notice in PERSONAL:
        preferences.set_preference(
            session,
            user_id=user.id,
            notice=notice,
            email=notice.value in email,
            webhook=notice.value in webhook,
        )
    flash(request, "ok", "Notification preferences saved.")
    return RedirectResponse(PAGE, status_code=status.HTTP_303_SEE_OTHER)
