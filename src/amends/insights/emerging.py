"""Emerging topics from the database (docs/topics.md): the negative items of a period that fit
no known category, grouped by the words they share."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.insights.metrics import Filters
from amends.insights.topics import Doc, Topic, TopicParams, find_topics, fits_no_category
from amends.store.tables import Case, FeedbackItem, ItemTriage, Sentiment

#: Items weighed at most, newest first: clustering stays about a second.
LIMIT = 2000


def emerging(session: Session, filters: Filters, params: TopicParams | None = None) -> list[Topic]:
    """Topics among the negative items that arrived in the period (and fit its channel,
    category and team through their case) and that triage could not place. Each topic says how
    many of its items arrived in the later half of the time weighed: the period, or from the
    oldest item weighed when there were more than `LIMIT`."""
    query = (
        select(
            FeedbackItem.id,
            FeedbackItem.text,
            FeedbackItem.received_at,
            ItemTriage.category,
            ItemTriage.category_score,
        )
        .join(ItemTriage, ItemTriage.item_id == FeedbackItem.id)
        .where(
            ItemTriage.sentiment == Sentiment.NEGATIVE,
            FeedbackItem.received_at >= filters.start,
            FeedbackItem.received_at < filters.end,
        )
        .order_by(FeedbackItem.id.desc())
        .limit(LIMIT)
    )
    narrowed = [(Case.channel, filters.channel), (Case.category, filters.category)]
    narrowed.append((Case.team, filters.team))
    if any(value is not None for _, value in narrowed):
        query = query.join(Case, Case.id == FeedbackItem.case_id)
        for column, value in narrowed:
            if value is not None:
                query = query.where(column == value)
    rows = session.execute(query).all()
    arrived = {row.id: row.received_at for row in rows}
    start = min(arrived.values()) if len(rows) == LIMIT else filters.start
    middle = start + (filters.end - start) / 2
    docs = [
        Doc(row.id, row.text) for row in rows if fits_no_category(row.category, row.category_score)
    ]
    return [_with_recent(topic, arrived, middle) for topic in find_topics(docs, params)]


def _with_recent(topic: Topic, arrived: dict[int, datetime], middle: datetime) -> Topic:
    return replace(topic, recent=sum(arrived[item] >= middle for item in topic.item_ids))
