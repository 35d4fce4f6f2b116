"""Review updates: an item imported again with another rating or text.

Revision ID: 8394022ad0a6
Revises: a720452b4215
Create Date: 2026-12-04 14:29:19.747577
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import amends.store.base

revision: str = "8394022ad0a6"
down_revision: str | None = "a720452b4215"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_updates",
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("version", sa.String(length=80), nullable=False),
        sa.Column("rating_before", sa.SmallInteger(), nullable=True),
        sa.Column("rating_after", sa.SmallInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("posted_at", amends.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("received_at", amends.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_review_updates_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["feedback_items.id"],
            name=op.f("fk_review_updates_item_id_feedback_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_updates")),
        sa.UniqueConstraint("item_id", "version", name=op.f("uq_review_updates_item_id")),
    )
    with op.batch_alter_table("review_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_updates_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_updates_case_id"))

    op.drop_table("review_updates")
