from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from amends.lib import clock
from amends.store.base import Base, BigId, IdMixin


class TimelineEvent(IdMixin, Base):
    """Append-only history of a case. `kind` is a tag such as `case:status:change`."""

    __tablename__ = "timeline_events"
    __table_args__ = (Index("ix_timeline_events_case_id_id", "case_id", "id"),)

    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    actor_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=clock.now)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
