"""A customer withdraws their leave to share a survey comment: when they did, on the survey, and
the survey each recovery story quotes, so withdrawing takes it down. Stories kept before this
are matched to the survey on their case whose comment they begin with.

Revision ID: c1e3a5b7d9f0
Revises: a8c0e2f4b6d8
Create Date: 2026-12-05 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import amends.store.base

revision: str = "c1e3a5b7d9f0"
down_revision: str | None = "a8c0e2f4b6d8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_QUOTED = """
UPDATE lessons SET survey_id = (
    SELECT min(s.id) FROM surveys s JOIN lesson_cases lc ON lc.case_id = s.case_id
    WHERE lc.lesson_id = lessons.id AND s.comment IS NOT NULL AND s.consent <> 'none'
      AND substr(lessons.body, 1, length(s.comment)) = s.comment
)
WHERE kind = 'story'
"""


def upgrade() -> None:
    op.add_column(
        "surveys",
        sa.Column("consent_withdrawn_at", amends.store.base.UTCDateTime(), nullable=True),
    )
    with op.batch_alter_table("lessons") as batch:
        batch.add_column(sa.Column("survey_id", amends.store.base.BigId, nullable=True))
        batch.create_index("ix_lessons_survey_id", ["survey_id"])
        batch.create_foreign_key(
            "fk_lessons_survey_id_surveys", "surveys", ["survey_id"], ["id"], ondelete="SET NULL"
        )
    op.execute(_QUOTED)


def downgrade() -> None:
    with op.batch_alter_table("lessons") as batch:
        batch.drop_constraint("fk_lessons_survey_id_surveys", type_="foreignkey")
        batch.drop_index("ix_lessons_survey_id")
        batch.drop_column("survey_id")
    op.drop_column("surveys", "consent_withdrawn_at")
