"""When the worker next looks at each pending survey (its next reminder, else its expiry), so a
round reads the surveys that need it, not every pending one. None means at once: the surveys
pending at the upgrade are looked at in the next round, which sets their time.

Revision ID: f2c4e6a8b0d1
Revises: e5b7a9c1d3f2
Create Date: 2026-12-05 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import amends.store.base

revision: str = "f2c4e6a8b0d1"
down_revision: str | None = "e5b7a9c1d3f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PENDING = "outcome = 'pending'"


def upgrade() -> None:
    op.add_column(
        "surveys",
        sa.Column("next_check_at", amends.store.base.UTCDateTime(), nullable=True),
    )
    op.create_index(
        "ix_surveys_pending_next_check",
        "surveys",
        ["next_check_at"],
        postgresql_where=sa.text(_PENDING),
        sqlite_where=sa.text(_PENDING),
    )


def downgrade() -> None:
    op.drop_index("ix_surveys_pending_next_check", table_name="surveys")
    # Not by copying the table (SQLite's batch way), which would drop the case facts' triggers.
    op.execute("ALTER TABLE surveys DROP COLUMN next_check_at")
