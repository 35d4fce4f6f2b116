"""Lessons learned, as the API returns and takes them (docs/insights.md#lessons-learned)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from amends.store.tables import Lesson, LessonKind, RootCause


class LessonIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=5000, description="What to do next time.")


class LessonOut(BaseModel):
    id: int
    kind: LessonKind = Field(description="`lesson`, or `story`: a customer's words, with leave.")
    title: str
    body: str
    category: str | None
    root_cause: RootCause | None
    author: str
    created_at: datetime
    case_ids: list[int] = Field(description="The cases it came from.")

    @classmethod
    def of(cls, lesson: Lesson, case_ids: list[int]) -> LessonOut:
        return cls(
            id=lesson.id,
            kind=lesson.kind,
            title=lesson.title,
            body=lesson.body,
            category=lesson.category,
            root_cause=lesson.root_cause,
            author=lesson.author,
            created_at=lesson.created_at,
            case_ids=case_ids,
        )
