"""The lessons-learned knowledge base: what a case taught, and the recovery stories customers
allowed to be told."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, CreatedMixin, IdMixin, value_enum
from amends.store.tables.cases import RootCause


class LessonKind(enum.StrEnum):
    LESSON = "lesson"  # what the team learned: written by a person
    STORY = "story"  # a customer's own words, with their permission (anonymous or named)


#: Which cases a lesson came from; a lesson may gather several.
lesson_cases = Table(
    "lesson_cases",
    Base.metadata,
    Column("lesson_id", BigId, ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True),
    Column("case_id", BigId, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
)


class Lesson(IdMixin, CreatedMixin, Base):
    __tablename__ = "lessons"

    kind: Mapped[LessonKind] = mapped_column(value_enum(LessonKind, "lesson_kind"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(60), index=True)
    root_cause: Mapped[RootCause | None] = mapped_column(value_enum(RootCause, "root_cause"))
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="SET NULL")
    )
    author: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]
    # The survey a story quotes: withdrawing its leave takes the story down.
    survey_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("surveys.id", ondelete="SET NULL"), index=True
    )
