"""Timers for the follow-up check-in: one more value of `timer_kind`, and a timer for every case
already waiting in *remedy done*, due at once (the worker then sets it to the playbook's time).

Revision ID: e5b7a9c1d3f2
Revises: c3f1a2b4d5e6
Create Date: 2026-12-05 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5b7a9c1d3f2"
down_revision: str | None = "c3f1a2b4d5e6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = (
    "first_response_reminder",
    "first_response_breach",
    "update_reminder",
    "update_breach",
    "resolution_reminder",
    "resolution_breach",
    "acknowledge",
)
_AFTER = (*_BEFORE, "follow_up")
_PENDING = "fired_at IS NULL AND cancelled_at IS NULL"
#: The case facts' trigger on case_timers (revision c3f1a2b4d5e6): SQLite changes a CHECK by
#: copying the table, which drops the table's triggers, so it is made again after.
_STALE = "amends_stale_case_timers_update"


def _kinds(values: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _allow(values: tuple[str, ...]) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # The copy would also lose the partial index's WHERE: drop it first, make it again after.
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
    if sqlite:
        op.execute(f"DROP TRIGGER IF EXISTS {_STALE}")
        op.execute(
            f"CREATE TRIGGER {_STALE} AFTER UPDATE ON case_timers FOR EACH ROW"
            " BEGIN INSERT INTO case_facts_stale (case_id) SELECT NEW.case_id; END"
        )


def upgrade() -> None:
    _allow(_AFTER)
    op.execute(
        "INSERT INTO case_timers (case_id, kind, due_at)"
        " SELECT id, 'follow_up', CURRENT_TIMESTAMP FROM cases WHERE status = 'remedy_done'"
    )


def downgrade() -> None:
    op.execute("DELETE FROM case_timers WHERE kind = 'follow_up'")
    _allow(_BEFORE)
