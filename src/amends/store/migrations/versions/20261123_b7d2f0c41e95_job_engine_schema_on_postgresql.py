"""the job engine's schema (procrastinate 3.x) on PostgreSQL; SQLite runs the worker in-process

Revision ID: b7d2f0c41e95
Revises: 475971636cef
Create Date: 2026-11-23 17:05:00

procrastinate owns these tables and functions (docs/worker.md). A later procrastinate
release that changes them ships SQL migrations under procrastinate/sql/migrations; each
becomes an Alembic revision here, so `amends init` stays the one way to upgrade.
"""

from collections.abc import Sequence

from alembic import op
from procrastinate.schema import SchemaManager

revision: str = "b7d2f0c41e95"
down_revision: str | None = "475971636cef"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("events", "periodic_defers", "jobs", "workers")
_TYPES = ("job_to_defer_v1", "job_event_type", "job_status")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.get_bind().exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    bind = op.get_bind()
    for table in _TABLES:
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS procrastinate_{table} CASCADE")
    functions = bind.exec_driver_sql(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
        "ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
        "AND p.proname LIKE 'procrastinate%%'"
    ).scalars()
    for signature in list(functions):
        bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
    for name in _TYPES:
        bind.exec_driver_sql(f"DROP TYPE IF EXISTS procrastinate_{name} CASCADE")
