"""Dashboards of long periods worked out ahead and kept warm (insights/warm.py).

Revision ID: b6d72ccf87db
Revises: f2c4e6a8b0d1
Create Date: 2026-12-05 05:33:13.084433
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import amends.store.base

revision: str = "b6d72ccf87db"
down_revision: str | None = "f2c4e6a8b0d1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dashboard_views",
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("team", sa.String(length=200), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("computed_at", amends.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("viewed_at", amends.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_dashboard_views")),
    )
    with op.batch_alter_table("dashboard_views", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dashboard_views_computed_at"), ["computed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("dashboard_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dashboard_views_computed_at"))

    op.drop_table("dashboard_views")
