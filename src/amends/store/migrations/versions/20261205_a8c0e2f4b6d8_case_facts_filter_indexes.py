"""Indexes on the case facts for a dashboard filtered to a channel, category or team, so a view
reads only its own cases of the period (insights/warm.py).

Revision ID: a8c0e2f4b6d8
Revises: b6d72ccf87db
Create Date: 2026-12-05 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a8c0e2f4b6d8"
down_revision: str | None = "b6d72ccf87db"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FILTERS = ("channel", "category", "team")


def upgrade() -> None:
    for column in _FILTERS:
        op.create_index(f"ix_case_facts_{column}_opened_at", "case_facts", [column, "opened_at"])


def downgrade() -> None:
    for column in _FILTERS:
        op.drop_index(f"ix_case_facts_{column}_opened_at", table_name="case_facts")
