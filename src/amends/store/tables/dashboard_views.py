"""Dashboards of long periods worked out ahead and kept (docs/insights.md#dashboards-kept-warm)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base


class DashboardView(Base):
    """One dashboard as it was at `computed_at`: a period and filters, with everything the page
    shows as JSON (`insights.warm`). `viewed_at` is when someone last opened it: views nobody
    opens are dropped, the others kept warm by the worker."""

    __tablename__ = "dashboard_views"

    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    days: Mapped[int]
    channel: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(200))
    team: Mapped[str | None] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    computed_at: Mapped[datetime] = mapped_column(index=True)
    viewed_at: Mapped[datetime]
    payload: Mapped[str] = mapped_column(Text)
