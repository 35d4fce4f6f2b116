"""Declarative base with a naming convention, so constraint names match on SQLite and PostgreSQL."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    Enum,
    Index,
    Integer,
    MetaData,
    TypeDecorator,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from amends.lib import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT on PostgreSQL, but INTEGER on SQLite so the primary key stays the rowid alias.
BigId = BigInteger().with_variant(Integer(), "sqlite")
JsonDoc = (
    JSON().with_variant(postgresql.JSONB(), "postgresql").with_variant(sqlite.JSON(), "sqlite")
)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given where UTC is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def value_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """Store an enum by its value (what the API and docs show), as a CHECK-ed string."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JsonDoc,
        dict[str, float]: JsonDoc,
        list[dict[str, Any]]: JsonDoc,
    }


class IdMixin:
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)


class CreatedMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


def trigram_index(name: str, column: str) -> Index:
    """A PostgreSQL pg_trgm index, which serves `ILIKE '%words%'`; other databases get none.

    `info["dialect"]` lets migrations and the drift check skip it where it does not exist.
    """
    index = Index(
        name,
        column,
        postgresql_using="gin",
        postgresql_ops={column: "gin_trgm_ops"},
        info={"dialect": "postgresql"},
    )
    return index.ddl_if(dialect="postgresql")


def for_dialect(obj: object, dialect: str) -> bool:
    """Whether a schema object exists on `dialect` (see trigram_index)."""
    info = getattr(obj, "info", None) or {}
    return bool(info.get("dialect", dialect) == dialect)


#: Tables the job engine owns on PostgreSQL (worker/engine.py): created by a migration of
#: ours, but not described by our models, so schema comparisons leave them out.
ENGINE_TABLE_PREFIX = "procrastinate_"


def ours(obj: object, name: str | None, type_: str, reflected: bool, dialect: str) -> bool:
    """Whether Alembic's comparison of models and database should consider `obj`."""
    if reflected and type_ == "table" and (name or "").startswith(ENGINE_TABLE_PREFIX):
        return False
    return for_dialect(obj, dialect)
