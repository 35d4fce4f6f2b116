"""`amends triage --rescore`: triage stored items again after a model or rule change, and
let each of their cases show its riskiest item again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from amends.cases.opening import Signals, show_signals
from amends.config import Settings
from amends.ingest.understanding import triage_row, understand
from amends.lib import clock
from amends.store.db import transaction
from amends.store.many import one_of
from amends.store.tables import FeedbackItem, ItemTriage, Sentiment
from amends.store.upsert import insert_rows
from amends.triage.service import model_name

Progress = Callable[[int, int], None]


@dataclass
class RescoreSummary:
    items: int = 0
    cases: int = 0


def rescore(
    factory: sessionmaker[Session],
    settings: Settings,
    *,
    batch: int = 1000,
    progress: Progress | None = None,
) -> RescoreSummary:
    """Each batch is one transaction, so an interrupted rescore leaves every item with a
    consistent result, old or new, and can simply be run again."""
    summary = RescoreSummary()
    with factory() as session:
        total = int(session.scalar(select(func.count()).select_from(FeedbackItem)) or 0)
    last = 0
    while True:
        with transaction(factory) as session:
            items = list(
                session.scalars(
                    select(FeedbackItem)
                    .where(FeedbackItem.id > last)
                    .order_by(FeedbackItem.id)
                    .limit(batch)
                )
            )
            if not items:
                return summary
            summary.cases += _rescore_batch(session, items, settings)
        summary.items += len(items)
        last = items[-1].id
        if progress is not None:
            progress(summary.items, total)


def _rescore_batch(session: Session, items: list[FeedbackItem], settings: Settings) -> int:
    now = clock.now()
    results = understand(session, items, [item.customer_id for item in items], settings, now)
    ids = [item.id for item in items]
    session.execute(delete(ItemTriage).where(one_of(session, ItemTriage.item_id, ids)))
    model = model_name(settings.category_model)
    rows = [triage_row(i, result, model, now) for i, result in zip(ids, results, strict=True)]
    insert_rows(session, cast(Table, ItemTriage.__table__), rows)
    cases = {item.case_id for item in items if item.case_id is not None}
    _refresh_cases(session, cases)
    return len(cases)


def _refresh_cases(session: Session, case_ids: set[int]) -> None:
    """Copy onto each case the triage of its riskiest item (ties: the earliest)."""
    if not case_ids:
        return
    query = (
        select(
            FeedbackItem.case_id,
            ItemTriage.risk,
            ItemTriage.priority,
            ItemTriage.category,
            ItemTriage.sentiment,
            ItemTriage.emotion,
        )
        .join(ItemTriage, ItemTriage.item_id == FeedbackItem.id)
        .where(one_of(session, FeedbackItem.case_id, case_ids))
        .order_by(FeedbackItem.case_id, ItemTriage.risk.desc(), FeedbackItem.id)
    )
    riskiest: dict[int, Signals] = {}
    for case_id, risk, priority, category, sentiment, emotion in session.execute(query):
        if case_id is not None and case_id not in riskiest:
            riskiest[case_id] = Signals(
                negative=sentiment is Sentiment.NEGATIVE,
                risk=risk,
                priority=priority,
                category=category,
                sentiment=sentiment.value,
                emotion=emotion,
            )
    show_signals(session, riskiest, only_riskier=False)
