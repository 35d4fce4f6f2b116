from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amends.cases.opening import summarise
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import Case, FeedbackItem, TimelineEvent


def _item(text: str, **fields: object) -> ItemIn:
    return ItemIn(
        source="test", channel=str(fields.pop("channel", "email")), text=text, raw="{}", **fields
    )  # type: ignore[arg-type]


def test_it_opens_a_case_for_a_low_rating(session: Session, settings: Settings) -> None:
    outcome = pipeline.process(session, [_item("Parcel never came", rating=1)], settings)
    case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert case is not None
    assert case.status == "new"
    assert case.title == "Parcel never came"


def test_it_opens_a_case_for_an_unrated_item(session: Session, settings: Settings) -> None:
    text = "Where is my refund? Three weeks of waiting and nobody answers, this is awful."
    outcome = pipeline.process(session, [_item(text)], settings)
    assert len(outcome.case_ids) == 1


def test_it_stores_but_opens_no_case_for_a_good_rating(
    session: Session, settings: Settings
) -> None:
    outcome = pipeline.process(session, [_item("Lovely stay", rating=5)], settings)
    assert outcome.imported == 1
    assert outcome.case_ids == {}


def test_it_joins_the_customers_open_case_on_the_same_topic(
    session: Session, settings: Settings
) -> None:
    first = _item("Card charged twice", email="Ann@Example.com", product="card")
    again = _item("Still charged twice!", email="ann@example.com", product="card", channel="x")
    other = _item("The app keeps crashing, useless", email="ann@example.com", product="app")
    pipeline.process(session, [first], settings)
    outcome = pipeline.process(session, [again, other], settings)
    cases = session.scalars(select(Case).order_by(Case.id)).all()
    assert len(cases) == 2
    assert outcome.case_ids[outcome.item_ids[0]] == cases[0].id
    kinds = session.scalars(
        select(TimelineEvent.kind)
        .where(TimelineEvent.case_id == cases[0].id)
        .order_by(TimelineEvent.id)
    ).all()
    assert kinds == ["case:opened", "case:routed", "case:item:added"]


def test_it_links_one_customer_across_email_and_handle(
    session: Session, settings: Settings
) -> None:
    by_email = _item("Late again", email="bo@example.com", author_handle="@bo_flies", channel="x")
    by_handle = _item("Still late", author_handle="BO_FLIES", channel="x")
    pipeline.process(session, [by_email], settings)
    pipeline.process(session, [by_handle], settings)
    customers = session.scalars(select(FeedbackItem.customer_id)).all()
    assert len(set(customers)) == 1
    assert customers[0] is not None


def test_it_stores_a_repeated_item_once(
    session: Session, settings: Settings, tmp_path: Path
) -> None:
    item = _item("Same words", external_id="42")
    first = pipeline.process(session, [item, item], settings)
    second = pipeline.process(session, [item], settings)
    assert (first.imported, first.duplicates, second.imported, second.duplicates) == (1, 1, 0, 1)
    assert session.scalar(select(func.count()).select_from(FeedbackItem)) == 1


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Parcel  never\n came", "Parcel never came"),
        ("word " * 200, ("word " * 24).strip() + "…"),
        (" " * 1000 + "late " * 50, ("late " * 24).strip() + "…"),
        ("x" * 120, "x" * 120),
        ("x" * 121, "x" * 119 + "…"),
    ],
)
def test_a_case_title_is_the_text_on_one_line_cut_with_an_ellipsis(text: str, title: str) -> None:
    assert summarise(text) == title


def test_a_case_title_carries_no_card_number_or_email(session: Session, settings: Settings) -> None:
    text = "My card 4111 1111 1111 1111 was charged twice, write to ann@example.com"
    outcome = pipeline.process(session, [_item(text, rating=1)], settings)
    case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert case is not None
    assert case.title == "My card [card] was charged twice, write to [email]"


def test_personal_data_past_the_head_of_a_short_title_is_redacted_too() -> None:
    assert summarise(" " * 500 + "call 415-555-0132 now") == "call [phone] now"
