"""Timers for the playbook's automatic acknowledgement: one more value of `timer_kind`.

Revision ID: c41e7a9d2b60
Revises: 857159e9c502
Create Date: 2026-11-23 20:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c41e7a9d2b60"
down_revision: str | None = "857159e9c502"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = (
    "first_response_reminder",
    "first_response_breach",
    "update_reminder",
    "update_breach",
    "resolution_reminder",
    "resolution_breach",
)
_AFTER = (*_BEFORE, "acknowledge")
_PENDING = "fired_at IS NULL AND cancelled_at IS NULL"


def _kinds(values: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _allow(values: tuple[str, ...]) -> None:
    # SQLite changes a CHECK by copying the table, which loses the partial index's WHERE:
    # drop the index first and make it again after.
    op.drop_index("ix_case_timers_pending_due", table_name="case_timers")
    with op.batch_alter_table("case_timers") as batch:
        batch.drop_constraint(op.f("ck_case_timers_timer_kind"), type_="check")
        batch.create_check_constraint("timer_kind", _kinds(values))
    op.create_index(
        "ix_case_timers_pending_due",
        "case_timers",
        ["due_at"],
        postgresql_where=sa.text(_PENDING),
        sqlite_where=sa.text(_PENDING),
    )


def upgrade() -> None:
    _allow(_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM case_timers WHERE kind = 'acknowledge'")
    _allow(_BEFORE)
