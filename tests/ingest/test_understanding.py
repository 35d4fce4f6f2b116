"""Triage in the pipeline: every item is understood as it arrives, and that decides its case."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from amends.cases.opening import Signals, show_signals
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.ingest.rescore import rescore
from amends.store.tables import Case, Customer, FeedbackItem, ItemTriage, Priority

THREAT = (
    "You charged my card twice and ignored four emails. I have spoken to my lawyer and will "
    "file a complaint with the CFPB. I am cancelling my account and never using you again."
)
THANKS = "Thank you so much, the team was wonderful and everything arrived early. Lovely!"


def _item(text: str, **fields: object) -> ItemIn:
    return ItemIn(
        source="test", channel=str(fields.pop("channel", "email")), text=text, raw="{}", **fields
    )  # type: ignore[arg-type]


def _triage(session: Session, item_id: int) -> ItemTriage:
    found = session.get(ItemTriage, item_id)
    assert found is not None
    return found


def test_every_stored_item_is_triaged(session: Session, settings: Settings) -> None:
    outcome = pipeline.process(session, [_item(THREAT), _item(THANKS, rating=5)], settings)
    threat, thanks = (_triage(session, item_id) for item_id in outcome.item_ids)
    assert threat.sentiment == "negative"
    assert {"legal", "regulator", "churn"} <= {f["name"] for f in threat.risk_factors}
    assert threat.priority in (Priority.HIGH, Priority.CRITICAL)
    assert thanks.sentiment == "positive"
    assert thanks.risk < threat.risk
    assert threat.language == "en"


def test_a_positive_unrated_item_opens_no_case(session: Session, settings: Settings) -> None:
    outcome = pipeline.process(session, [_item(THANKS)], settings)
    assert outcome.imported == 1
    assert outcome.case_ids == {}


def test_a_high_risk_item_opens_a_case_whatever_its_rating(
    session: Session, settings: Settings
) -> None:
    outcome = pipeline.process(session, [_item(THREAT, rating=5)], settings)
    case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert case is not None
    item = _triage(session, outcome.item_ids[0])
    assert (case.risk, case.priority, case.category) == (item.risk, item.priority, item.category)


def test_a_riskier_item_joining_a_case_raises_its_risk(
    session: Session, settings: Settings
) -> None:
    mild = _item("My parcel is a day late, a bit annoying.", rating=3, email="ann@example.com")
    first = pipeline.process(session, [mild], settings)
    case_id = first.case_ids[first.item_ids[0]]
    case = session.get(Case, case_id)
    assert case is not None
    before = case.risk
    again = pipeline.process(session, [_item(THREAT, email="ann@example.com")], settings)
    assert again.case_ids[again.item_ids[0]] == case_id
    session.refresh(case)
    assert case.risk == _triage(session, again.item_ids[0]).risk > before


def test_a_milder_item_joining_a_case_moves_it_up_but_keeps_its_risk(
    session: Session, settings: Settings
) -> None:
    first = pipeline.process(session, [_item(THREAT, email="ann@example.com")], settings)
    threat = session.get(Case, first.case_ids[first.item_ids[0]])
    other = pipeline.process(session, [_item(THREAT, email="bo@example.com")], settings)
    untouched = session.get(Case, other.case_ids[other.item_ids[0]])
    assert threat is not None
    assert untouched is not None
    before = (threat.risk, threat.priority, threat.category, threat.updated_at)
    kept = untouched.updated_at
    mild = _item("My parcel is a day late, a bit annoying.", rating=3, email="ann@example.com")
    again = pipeline.process(session, [mild], settings)
    assert again.case_ids[again.item_ids[0]] == threat.id
    session.refresh(threat)
    session.refresh(untouched)
    assert (threat.risk, threat.priority, threat.category) == before[:3]
    assert threat.updated_at > before[3]
    assert untouched.updated_at == kept


def test_a_repeat_complaint_and_a_valuable_customer_raise_the_risk(
    session: Session, settings: Settings
) -> None:
    complaint = "The delivery was late again and nobody told me why."
    first = pipeline.process(
        session, [_item(complaint, rating=2, email="bo@example.com")], settings
    )
    customer = session.get(Customer, session.get(FeedbackItem, first.item_ids[0]).customer_id)  # type: ignore[union-attr]
    assert customer is not None
    customer.lifetime_value = Decimal(5000)
    session.flush()
    second = pipeline.process(
        session, [_item(complaint + " Twice now.", rating=2, email="bo@example.com")], settings
    )
    factors = {f["name"] for f in _triage(session, second.item_ids[0]).risk_factors}
    assert {"repeat", "high_value"} <= factors
    assert "repeat" not in {f["name"] for f in _triage(session, first.item_ids[0]).risk_factors}


def test_rescore_triages_stored_items_again_and_updates_their_cases(
    session: Session, factory: sessionmaker[Session], settings: Settings
) -> None:
    outcome = pipeline.process(session, [_item(THREAT), _item(THANKS, rating=5)], settings)
    session.commit()
    case_id = outcome.case_ids[outcome.item_ids[0]]
    session.execute(delete(ItemTriage))
    session.execute(
        Case.__table__.update().where(Case.id == case_id).values(risk=0, category=None)  # type: ignore[attr-defined]
    )
    session.commit()
    summary = rescore(factory, settings, batch=1)
    assert (summary.items, summary.cases) == (2, 1)
    session.expire_all()
    assert session.scalars(select(ItemTriage.item_id).order_by(ItemTriage.item_id)).all() == (
        outcome.item_ids
    )
    case = session.get(Case, case_id)
    assert case is not None
    assert case.risk == _triage(session, outcome.item_ids[0]).risk > 0
    assert case.category is not None


def test_signals_shown_without_a_new_time_keep_the_cases_time(
    session: Session, settings: Settings
) -> None:
    first = pipeline.process(session, [_item(THREAT, email="ann@example.com")], settings)
    second = pipeline.process(session, [_item(THREAT, email="bo@example.com")], settings)
    moved, kept = (
        session.get(Case, outcome.case_ids[outcome.item_ids[0]]) for outcome in (first, second)
    )
    assert moved is not None
    assert kept is not None
    before = kept.updated_at
    later = before + timedelta(hours=1)
    calmer = Signals(negative=True, risk=1, priority=Priority.LOW, category="delay")
    show_signals(
        session, {moved.id: calmer, kept.id: calmer}, only_riskier=False, updated={moved.id: later}
    )
    session.expire_all()
    assert (moved.updated_at, moved.risk) == (later, 1)
    assert (kept.updated_at, kept.risk) == (before, 1)
