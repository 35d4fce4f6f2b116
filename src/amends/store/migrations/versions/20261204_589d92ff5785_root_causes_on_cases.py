"""Root causes on cases: the kind of failure and a note.

Revision ID: 589d92ff5785
Revises: 76c71c19b78c
Create Date: 2026-12-04 13:59:26.049019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "589d92ff5785"
down_revision: str | None = "76c71c19b78c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "root_cause",
                sa.Enum(
                    "process",
                    "training",
                    "policy",
                    "product",
                    "logistics",
                    "partner",
                    "other",
                    name="root_cause",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("root_cause_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        # On SQLite the rebuilt table would keep the CHECK on the dropped column.
        batch_op.drop_constraint(op.f("ck_cases_root_cause"), type_="check")
        batch_op.drop_column("root_cause_note")
        batch_op.drop_column("root_cause")
