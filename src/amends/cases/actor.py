from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did something: a user, or the system (`user_id=None`) under a descriptive name."""

    user_id: int | None
    name: str


SYSTEM = Actor(user_id=None, name="amends")
