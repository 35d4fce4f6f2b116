"""Read a file of past items as `amends import` would, and triage them, writing nothing.

For `amends playbooks simulate`: the same formats, presets, `--map` and checks as an import,
rows repeated in the file counted once, and each item triaged in batches of
AMENDS_IMPORT_BATCH_SIZE as the pipeline does. What the database would add is left out: a
customer is known only by the emails and handles the file gives (the same email or handle is
the same customer), with no segment or lifetime value, and repeat complaints count only those
earlier in the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from amends.cases.opening import Arrival, opens_case
from amends.config import Settings
from amends.ingest.identity import Key, identity_keys
from amends.ingest.importer import ImportRequest, batches, position, resolve
from amends.ingest.mapping import ItemBuilder, dedupe_key
from amends.ingest.model import FieldError, ItemIn, Record
from amends.ingest.understanding import playbook_facts, signals
from amends.lib import clock
from amends.triage.service import TriageInput, triage

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Counts:
    """Rows read, refused (as an import would reject them), and repeated in the file."""

    read: int = 0
    rejected: int = 0
    duplicates: int = 0
    preset: str = ""
    format: str = ""


class _Customers:
    """Customers as the file alone tells them: numbered in order of first appearance."""

    def __init__(self) -> None:
        self.owners: dict[Key, int] = {}
        self.count = 0

    def link(self, item: ItemIn) -> int | None:
        keys = identity_keys(item)
        if not keys:
            return None
        owner = next((self.owners[key] for key in keys if key in self.owners), None)
        if owner is None:
            self.count += 1
            owner = self.count
        for key in keys:
            self.owners.setdefault(key, owner)
        return owner


@dataclass(slots=True)
class _State:
    customers: _Customers
    seen: set[str]
    complaints: Counter[int]  # items that went to a case, per customer
    serial: int = 0


def replay(
    request: ImportRequest,
    *,
    settings: Settings,
    counts: Counts,
    progress: Progress | None = None,
) -> Iterator[list[Arrival]]:
    """The file's items as case opening sees them, one batch at a time, in file order.

    Each Arrival's `item_id` is its place among the file's items (from 1), its `customer_id`
    the file's own customer number, and its `at` when it was posted (or now, when the file
    does not say). ImportRefused (a ValueError) when the file cannot be read at all.
    """
    preset, fmt = resolve(request)
    counts.preset, counts.format = preset.name, fmt.name
    builder = ItemBuilder(preset, request.source, request.overrides or {})
    state = _State(_Customers(), set(), Counter())
    total = request.path.stat().st_size
    with request.path.open("rb") as stream:
        for batch in batches(fmt.read(stream, preset), settings.import_batch_size):
            items = _fresh(_built(batch, builder, counts), state, counts)
            if items:
                yield _arrivals(items, state, settings)
            if progress is not None:
                progress(position(stream, total), total)


def _built(batch: list[Record], builder: ItemBuilder, counts: Counts) -> list[ItemIn]:
    items = []
    for record in batch:
        counts.read += 1
        try:
            items.append(builder.build(record))
        except FieldError:
            counts.rejected += 1
    return items


def _fresh(items: list[ItemIn], state: _State, counts: Counts) -> list[ItemIn]:
    """The first of each row the file repeats, as the import's deduplication keeps it."""
    fresh = []
    for item in items:
        key = dedupe_key(item)
        if key in state.seen:
            counts.duplicates += 1
            continue
        state.seen.add(key)
        fresh.append(item)
    return fresh


def _arrivals(items: Sequence[ItemIn], state: _State, settings: Settings) -> list[Arrival]:
    customers = [state.customers.link(item) for item in items]
    results = triage(_inputs(items, customers, state), category_model=settings.category_model)
    now = clock.now()
    arrivals = []
    for item, customer, result in zip(items, customers, results, strict=True):
        state.serial += 1
        arrival = Arrival(
            item_id=state.serial,
            customer_id=customer,
            topic=item.product,
            channel=item.channel,
            rating=item.rating,
            title=item.title,
            text=item.text,
            at=item.posted_at or now,
            signals=signals(result),
            facts=playbook_facts(item, result, None),
        )
        arrivals.append(arrival)
    for arrival in arrivals:
        if arrival.customer_id is not None and opens_case(arrival):
            state.complaints[arrival.customer_id] += 1
    return arrivals


def _inputs(
    items: Sequence[ItemIn], customers: Sequence[int | None], state: _State
) -> list[TriageInput]:
    """As ingest.understanding: complaints stored before this batch, and every earlier item
    of the same customer in it."""
    in_batch: Counter[int] = Counter()
    inputs = []
    for item, customer in zip(items, customers, strict=True):
        recent = state.complaints[customer] + in_batch[customer] if customer is not None else 0
        inputs.append(
            TriageInput(
                text=item.text,
                channel=item.channel,
                rating=item.rating,
                author_reach=item.author_reach,
                recent_complaints=recent,
            )
        )
        if customer is not None:
            in_batch[customer] += 1
    return inputs
