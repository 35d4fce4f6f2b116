"""A review imported again with another rating or text is an update of the same item: kept once,
on its case's timeline with the rating before and after; the versions already seen add nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import FeedbackItem, ReviewUpdate, TimelineEvent


def _review(text: str, rating: int | None, external_id: str = "rev-1") -> ItemIn:
    return ItemIn(
        source="google",
        channel="review",
        text=text,
        raw=text,
        rating=rating,
        external_id=external_id,
    )


def test_a_changed_review_is_kept_once_and_told_on_the_case(
    session: Session, settings: Settings
) -> None:
    first = pipeline.process(session, [_review("Awful service, cold food", 1)], settings)
    case_id = first.case_ids[first.item_ids[0]]
    same = pipeline.process(session, [_review("Awful service, cold food", 1)], settings)
    assert (same.imported, same.duplicates, same.updated) == (0, 1, 0)

    better = _review("They called me and fixed it. Thank you.", 4)
    changed = pipeline.process(session, [better], settings)
    assert (changed.imported, changed.duplicates, changed.updated) == (0, 1, 1)
    again = pipeline.process(session, [better, _review("Awful service, cold food", 1)], settings)
    assert again.updated == 0
    no_rating = pipeline.process(session, [_review(better.text, None)], settings)
    assert no_rating.updated == 0

    [update] = session.scalars(select(ReviewUpdate)).all()
    item = session.scalars(select(FeedbackItem)).one()
    assert (update.item_id, update.case_id) == (item.id, case_id)
    assert (update.rating_before, update.rating_after) == (1, 4)
    assert item.rating == 1  # the item keeps its first version
    [event] = session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == "case:review:updated")
    ).all()
    assert (event.case_id, event.data) == (
        case_id,
        {"item_id": item.id, "rating_before": 1, "rating_after": 4},
    )


def test_a_second_change_starts_from_the_last(session: Session, settings: Settings) -> None:
    pipeline.process(session, [_review("Terrible", 1)], settings)
    pipeline.process(session, [_review("Better", 3)], settings)
    pipeline.process(session, [_review("Great in the end", 5)], settings)
    ratings = session.execute(
        select(ReviewUpdate.rating_before, ReviewUpdate.rating_after).order_by(ReviewUpdate.id)
    ).all()
    assert [tuple(r) for r in ratings] == [(1, 3), (3, 5)]


def test_items_without_an_external_id_are_never_updates(
    session: Session, settings: Settings
) -> None:
    item = ItemIn(source="mail", channel="email", text="Broken", raw="x", rating=1)
    pipeline.process(session, [item], settings)
    edited = ItemIn(source="mail", channel="email", text="Broken again", raw="y", rating=2)
    outcome = pipeline.process(session, [edited], settings)
    assert (outcome.imported, outcome.updated) == (1, 0)
