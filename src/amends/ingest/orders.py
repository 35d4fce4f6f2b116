"""Import orders and visits (`amends import FILE --kind orders`): the same formats, `--map`,
rejected file, batches and idempotence as feedback, into the orders table. A row names its
customer by email, or by handle on a channel; it is matched to customers when the figures are
computed (docs/channels.md#orders-and-visits)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.ingest import fields as f
from amends.ingest.formats import FORMATS, guess_format
from amends.ingest.importer import ImportRefused, ImportSummary, Progress, batches, position
from amends.ingest.model import FieldError, Record
from amends.ingest.presets import Preset, lookup
from amends.ingest.rejects import rejected_path
from amends.store.db import transaction
from amends.store.tables import Order, OrderKind
from amends.store.upsert import insert_rows

#: Our fields and the columns read by default; `--map FIELD=COLUMN` names others.
ORDER_FIELDS: dict[str, str] = {
    "external_id": "order_id",
    "email": "email",
    "handle": "handle",
    "channel": "channel",
    "ordered_at": "ordered_at",
    "amount": "amount",
    "currency": "currency",
    "kind": "kind",
    "referred_by": "referred_by",
}
ORDERS = Preset(
    name="orders",
    help="Orders or visits: order_id, email or handle (+ channel), ordered_at, amount, …",
    format="csv",
    channel="",
    fields=ORDER_FIELDS,
)
_LIMITS = {"external_id": 200, "email": 320, "handle": 300, "channel": 40, "referred_by": 320}


def run_orders_import(
    path: Path,
    *,
    source: str,
    factory: sessionmaker[Session],
    settings: Settings,
    format: str | None = None,
    overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file")
    name = format or guess_format(path) or "csv"
    if name not in ("csv", "jsonl", "json"):
        raise ImportRefused(f"orders are read from csv, jsonl or json, not {name!r}")
    fmt = FORMATS[name]
    columns = {**ORDER_FIELDS, **(overrides or {})}
    summary = ImportSummary(preset=ORDERS.name, format=fmt.name)
    sink = fmt.rejects(rejected_path(path, fmt.rejected_suffix), ORDERS)
    total = path.stat().st_size
    table = cast(Table, Order.__table__)
    try:
        with path.open("rb") as stream:
            for batch in batches(fmt.read(stream, ORDERS), settings.import_batch_size):
                rows = []
                for record in batch:
                    summary.read += 1
                    try:
                        rows.append(order_row(record, columns, source))
                    except FieldError as error:
                        sink.add(record, error)
                        summary.rejected += 1
                if rows:
                    with transaction(factory) as session:
                        added = insert_rows(
                            session,
                            table,
                            rows,
                            conflict=["source", "dedupe_key"],
                            returning=["id"],
                        )
                    summary.imported += len(added)
                    summary.duplicates += len(rows) - len(added)
                if progress is not None:
                    progress(position(stream, total), total)
    finally:
        sink.close()
    if summary.rejected:
        summary.rejected_file = str(sink.path)
    return summary


def order_row(record: Record, columns: Mapping[str, str], source: str) -> dict[str, Any]:
    """The orders-table row of one record; FieldError names the field that is wrong."""
    if record.error is not None:
        raise record.error
    value = {
        name: _text(record.data, path, name)
        for name, path in columns.items()
        if name != "ordered_at"
    }
    ordered_at = f.parse_datetime(lookup(record.data, columns["ordered_at"]), "ordered_at")
    if ordered_at is None:
        raise FieldError("ordered_at", "missing or empty")
    kind, identity = _identity(value)
    order_kind = _kind(value["kind"])
    amount = _amount(value["amount"])
    currency = value["currency"].upper() if value["currency"] else None
    if currency is not None and (len(currency) != 3 or not currency.isalpha()):
        raise FieldError("currency", f"{value['currency']!r} is not a three-letter code")
    referred = value["referred_by"].lower() if value["referred_by"] else None
    external = value["external_id"]
    key = external or f.content_hash(
        kind, identity, ordered_at.isoformat(), str(amount), order_kind.value
    )
    return {
        "source": source,
        "dedupe_key": key,
        "external_id": external,
        "kind": order_kind,
        "identity_kind": kind,
        "identity_value": identity,
        "ordered_at": ordered_at,
        "amount": amount,
        "currency": currency,
        "referred_by": referred,
        "raw": record.raw,
    }


def _text(data: Mapping[str, Any], path: str, name: str) -> str | None:
    raw = lookup(data, path)
    if raw is None or raw == "":
        return None
    text = f.clean_text(raw, name)
    limit = _LIMITS.get(name)
    if text is not None and limit is not None and len(text) > limit:
        raise FieldError(name, f"longer than {limit} characters")
    return text


def _identity(value: Mapping[str, str | None]) -> tuple[str, str]:
    """As feedback names customers (ingest/identity.py): a lower-cased email, or a handle
    without `@` on its channel."""
    if value["email"]:
        return "email", value["email"].strip().lower()
    if value["handle"]:
        if not value["channel"]:
            raise FieldError("channel", "a handle needs the channel it is on (e.g. twitter)")
        return value["channel"].strip().lower(), value["handle"].strip().lstrip("@").lower()
    raise FieldError("email", "a row needs the customer's email, or a handle and its channel")


def _kind(text: str | None) -> OrderKind:
    if not text:
        return OrderKind.ORDER
    try:
        return OrderKind(text.strip().lower())
    except ValueError:
        raise FieldError("kind", f"{text!r} is neither order nor visit") from None


def _amount(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise FieldError("amount", f"{text!r} is not a number") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise FieldError("amount", f"{text!r} is not an amount")
    return amount.quantize(Decimal("0.01"))
