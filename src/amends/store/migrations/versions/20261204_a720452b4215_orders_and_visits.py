"""Orders and visits from the business's systems, for repeat business and referrals.

Revision ID: a720452b4215
Revises: 589d92ff5785
Create Date: 2026-12-04 14:25:01.595438
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import amends.store.base

revision: str = "a720452b4215"
down_revision: str | None = "589d92ff5785"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "order",
                "visit",
                name="order_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("identity_kind", sa.String(length=40), nullable=False),
        sa.Column("identity_value", sa.String(length=320), nullable=False),
        sa.Column("ordered_at", amends.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("referred_by", sa.String(length=320), nullable=True),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", amends.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("source", "dedupe_key", name=op.f("uq_orders_source")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_orders_identity", ["identity_kind", "identity_value", "ordered_at"], unique=False
        )
        batch_op.create_index("ix_orders_referred_by", ["referred_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_referred_by")
        batch_op.drop_index("ix_orders_identity")

    op.drop_table("orders")
