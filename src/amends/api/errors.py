"""The error shapes the API answers with, and the OpenAPI entries that document them.

Errors other than 422 carry `{"detail": "<message>"}`. A 422 carries FastAPI's list of
`{"loc", "msg", "type"}` plus `field`, the failing field spelled as a client writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import HTTPException, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel


class ErrorOut(BaseModel):
    detail: str


def _documented(code: int, description: str) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorOut, "description": description}}


UNAUTHORIZED = _documented(401, "No valid API token (Authorization: Bearer <token>).")
FORBIDDEN = _documented(403, "The token's user may not do this.")
NOT_FOUND = _documented(404, "No such resource.")
CONFLICT = _documented(409, "The change conflicts with the resource's current state.")


def field_name(loc: Sequence[str | int]) -> str:
    """`("items", 2, "rating")` → `items[2].rating`."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def problem(
    loc: Sequence[str | int], msg: str, kind: str = "value_error", *, where: str = "body"
) -> dict[str, Any]:
    """One 422 entry; `loc` is relative to `where` (`body` or `query`)."""
    return {"loc": [where, *loc], "field": field_name(loc) or where, "msg": msg, "type": kind}


def unprocessable(problems: list[dict[str, Any]]) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=problems)


def invalid(field: str, msg: str) -> HTTPException:
    """A 422 for one body field the capability refused."""
    return unprocessable([problem([field], msg)])


def conflict(msg: str) -> HTTPException:
    return HTTPException(status.HTTP_409_CONFLICT, detail=msg)


def not_found(msg: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=msg)


async def validation_error(request: Request, exc: Exception) -> Response:
    """FastAPI's own 422 with `field` added to each entry, as the API's other 422s have.

    Only under /api: the web pages keep FastAPI's default.
    """
    assert isinstance(exc, RequestValidationError)
    if not request.url.path.startswith("/api"):
        return await request_validation_exception_handler(request, exc)
    problems = [_with_field(error) for error in exc.errors()]
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"detail": jsonable_encoder(problems)},
    )


def _with_field(error: Any) -> dict[str, Any]:
    loc = list(error.get("loc", ()))
    where, rest = (
        (loc[0], loc[1:])
        if loc and loc[0] in ("body", "query", "path", "header")
        else ("body", loc)
    )
    return {**error, "field": field_name(rest) or str(where)}
