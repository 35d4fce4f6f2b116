"""Link items to customers across channels: the same email, or the same handle on a platform."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from amends.ingest.model import ItemIn
from amends.store.many import one_of
from amends.store.tables import Customer, CustomerIdentity
from amends.store.upsert import insert_returning_ids, insert_rows

Key = tuple[str, str]


def identity_keys(item: ItemIn) -> list[Key]:
    """The identities an item carries, normalised: emails lower-cased, handles without `@`."""
    keys: list[Key] = []
    if item.email:
        keys.append(("email", item.email.strip().lower()))
    if item.author_handle:
        keys.append((item.channel, item.author_handle.strip().lstrip("@").lower()))
    return keys


@dataclass
class _Pending:
    """A customer this batch will create; several items may point at the same one."""

    name: str | None
    keys: list[Key]
    id: int | None = None


def link_customers(session: Session, items: Sequence[ItemIn]) -> list[int | None]:
    """Return a customer id per item (None when the item carries no identity)."""
    all_keys = {key for item in items for key in identity_keys(item)}
    owners: dict[Key, int | _Pending] = dict(_known_identities(session, all_keys))
    pending: list[_Pending] = []
    chosen: list[int | _Pending | None] = []
    for item in items:
        keys = identity_keys(item)
        owner = next((owners[key] for key in keys if key in owners), None)
        if owner is None and keys:
            owner = _Pending(name=item.author, keys=[])
            pending.append(owner)
        new_keys = [key for key in keys if key not in owners]
        for key in new_keys:
            owners[key] = owner  # type: ignore[assignment]
        if owner is not None:
            _remember_new_keys(owner, new_keys, pending)
        chosen.append(owner)
    _create(session, pending, owners)
    return [_resolve(owner) for owner in chosen]


def _remember_new_keys(owner: int | _Pending, keys: list[Key], pending: list[_Pending]) -> None:
    if isinstance(owner, _Pending):
        owner.keys.extend(keys)
    elif keys:
        pending.append(_Pending(name=None, keys=keys, id=owner))


def _known_identities(session: Session, keys: set[Key]) -> list[tuple[Key, int]]:
    """Existing owners of `keys`, one query per kind so each uses the (kind, value) index."""
    found: list[tuple[Key, int]] = []
    for kind in {kind for kind, _ in keys}:
        query = select(CustomerIdentity.value, CustomerIdentity.customer_id).where(
            CustomerIdentity.kind == kind,
            one_of(session, CustomerIdentity.value, [value for k, value in keys if k == kind]),
        )
        found.extend(((kind, value), customer_id) for value, customer_id in session.execute(query))
    return found


def _create(session: Session, pending: list[_Pending], owners: dict[Key, int | _Pending]) -> None:
    fresh = [p for p in pending if p.id is None]
    if fresh:
        table = cast(Table, Customer.__table__)
        ids = insert_returning_ids(session, table, [{"name": p.name} for p in fresh])
        for customer, new_id in zip(fresh, ids, strict=True):
            customer.id = new_id
    rows = [
        {"customer_id": p.id, "kind": kind, "value": value}
        for p in pending
        for kind, value in p.keys
    ]
    if rows:
        table = cast(Table, CustomerIdentity.__table__)
        insert_rows(session, table, rows, conflict=["kind", "value"])


def _resolve(owner: int | _Pending | None) -> int | None:
    if isinstance(owner, _Pending):
        return owner.id
    return owner
