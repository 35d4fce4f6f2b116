"""Emerging topics from the database (docs/topics.md): the negative items of a period that fit
no known category, grouped by the words they share."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.insights.metrics import Filters
from amends.insights.topics import Doc, Topic, TopicParams, find_topics, fits_no_category
from amends.store.tables import Case, FeedbackItem, ItemTriage, Sentiment

#: Items weighed at most, newest first: clustering stays about a second.
LIMIT = 2000


def emerging(session: Session, filters: Filters, params: TopicParams | None = None) -> list[Topic]:
    """Topics among the negative items that arrived in the period (and fit its channel,
    category and team through their case) and that triage could not place."""
    query = (
        select(FeedbackItem.id, FeedbackItem.text, ItemTriage.category, ItemTriage.category_score)
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
    docs = [
        Doc(item_id, text)
        for item_id, text, category, score in session.execute(query)
        if fits_no_category(category, score)
    ]
    return find_topics(docs, params)
