"""triage of items; risk, category, sentiment and emotion on cases

Revision ID: a9a735644fb8
Revises: a3c9e1d27b40
Create Date: 2026-11-23 11:51:50.632506
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql, sqlite

import amends.store.base

revision: str = "a9a735644fb8"
down_revision: str | None = "a3c9e1d27b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_triage",
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "sentiment",
            sa.Enum(
                "negative",
                "neutral",
                "positive",
                name="sentiment",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sentiment_score", sa.Float(), nullable=False),
        sa.Column(
            "emotions",
            sa.JSON()
            .with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
            .with_variant(sqlite.JSON(), "sqlite"),
            nullable=False,
        ),
        sa.Column("emotion", sa.String(length=40), nullable=True),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("category_score", sa.Float(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("language_score", sa.Float(), nullable=False),
        sa.Column(
            "pii",
            sa.JSON()
            .with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
            .with_variant(sqlite.JSON(), "sqlite"),
            nullable=False,
        ),
        sa.Column("risk", sa.SmallInteger(), nullable=False),
        sa.Column(
            "risk_factors",
            sa.JSON()
            .with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
            .with_variant(sqlite.JSON(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "priority",
            sa.Enum(
                "low",
                "normal",
                "high",
                "critical",
                name="priority",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("triaged_at", amends.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["feedback_items.id"],
            name=op.f("fk_item_triage_item_id_feedback_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_triage")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("risk", sa.SmallInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("category", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("sentiment", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("emotion", sa.String(length=40), nullable=True))
        batch_op.create_index("ix_cases_category_id", ["category", "id"], unique=False)
        batch_op.create_index("ix_cases_risk_id", ["risk", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_risk_id")
        batch_op.drop_index("ix_cases_category_id")
        batch_op.drop_column("emotion")
        batch_op.drop_column("sentiment")
        batch_op.drop_column("category")
        batch_op.drop_column("risk")

    op.drop_table("item_triage")
