from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, CreatedMixin, IdMixin


class Source(IdMixin, CreatedMixin, Base):
    """A named feed that may post to the webhook, with the secret its requests are signed with.

    The secret is kept as given (HMAC needs it), readable only by admins.
    """

    __tablename__ = "sources"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    channel: Mapped[str] = mapped_column(String(40))
    webhook_secret: Mapped[str] = mapped_column(String(200))
