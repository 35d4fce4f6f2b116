"""One-time messages shown on the next page, kept in the session across a POST-redirect-GET."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import Request

SESSION_KEY = "flash"

Kind = Literal["ok", "error"]


@dataclass(frozen=True, slots=True)
class Flash:
    kind: Kind
    text: str


def flash(request: Request, kind: Kind, text: str) -> None:
    pending = request.session.setdefault(SESSION_KEY, [])
    pending.append([kind, text])


def pop(request: Request) -> list[Flash]:
    pending = request.session.pop(SESSION_KEY, [])
    return [Flash(kind=kind, text=text) for kind, text in pending if kind in ("ok", "error")]
