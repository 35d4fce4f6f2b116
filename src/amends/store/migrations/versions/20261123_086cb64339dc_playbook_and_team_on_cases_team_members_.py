"""playbook and team on cases, team members' skills and languages, round-robin cursors

Revision ID: 086cb64339dc
Revises: a9a735644fb8
Create Date: 2026-11-23 14:38:33.980079
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql, sqlite

revision: str = "086cb64339dc"
down_revision: str | None = "a9a735644fb8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return (
        sa.JSON()
        .with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
        .with_variant(sqlite.JSON(), "sqlite")
    )


def upgrade() -> None:
    op.create_table(
        "team_cursors",
        sa.Column("team", sa.String(length=100), nullable=False),
        sa.Column("cursor", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("team", name=op.f("pk_team_cursors")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("playbook", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_cases_playbook"), ["playbook"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("skills", _json(), nullable=True))
        batch_op.add_column(sa.Column("languages", _json(), nullable=True))
        batch_op.create_index(batch_op.f("ix_users_team"), ["team"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_team"))
        batch_op.drop_column("languages")
        batch_op.drop_column("skills")
        batch_op.drop_column("team")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_playbook"))
        batch_op.drop_column("playbook")

    op.drop_table("team_cursors")
