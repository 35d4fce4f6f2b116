"""The route class of every page: errors become pages, a missing login becomes a redirect.

Kept to the web routes (not an app-wide exception handler) so the JSON API keeps its own errors.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from amends.web.auth import LoginRequired
from amends.web.templating import page, wants_fragment

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class WebRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired as exc:
                return to_login(request, exc.next_url)
            except HTTPException as exc:
                return error_page(request, exc.status_code, str(exc.detail), exc.headers)
            except RequestValidationError:
                message = "That request was incomplete or malformed. Go back and try again."
                return error_page(request, status.HTTP_422_UNPROCESSABLE_CONTENT, message)

        return guarded


def to_login(request: Request, next_url: str) -> Response:
    url = "/login?" + urlencode({"next": next_url})
    if wants_fragment(request):
        # htmx would swap a redirected login page into the list; make it load the page instead.
        return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def error_page(
    request: Request, code: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    context = {"code": code, "message": message}
    response = page(request, "errors/error.html", context, status_code=code)
    response.headers.update(headers or {})
    return response
