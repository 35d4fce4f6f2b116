"""Recovery metrics against a fixture whose every figure was worked out by hand (in the
comments), on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from amends.insights.metrics import Dimension, Filters, Metrics, report
from amends.store.tables import (
    Case,
    CaseStatus,
    CaseTimer,
    Compensation,
    Customer,
    CustomerIdentity,
    FeedbackItem,
    Order,
    OrderKind,
    Reply,
    ReplyRoute,
    ReviewUpdate,
    Survey,
    SurveyOutcome,
    TimelineEvent,
    TimerKind,
    User,
)

START = datetime(2026, 3, 1, tzinfo=UTC)
END = datetime(2026, 4, 1, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def _case(session: Session, **values: object) -> Case:
    opened = values["opened_at"]
    case = Case(title="t", updated_at=opened, **values)
    session.add(case)
    session.flush()
    return case


def _moved(session: Session, case: Case, *steps: tuple[CaseStatus, datetime]) -> None:
    for to, when in steps:
        session.add(
            TimelineEvent(
                case_id=case.id,
                kind="case:status:change",
                actor="test",
                at=when,
                data={"from": "x", "to": to.value},
            )
        )


def _update_due(
    session: Session, case: Case, due: datetime, *, fired: bool = False, cancelled: bool = False
) -> None:
    session.add(
        CaseTimer(
            case_id=case.id,
            kind=TimerKind.UPDATE_BREACH,
            due_at=due,
            fired_at=due if fired else None,
            cancelled_at=due if cancelled else None,
        )
    )


def _answered(
    session: Session, case: Case, when: datetime | None, csat: int | None, nps: int | None
) -> None:
    """A survey on `case`, answered at `when` (None: closed with no response)."""
    outcome = SurveyOutcome.NO_RESPONSE
    if when is not None:
        outcome = SurveyOutcome.SATISFIED if (csat or 0) >= 4 else SurveyOutcome.UNSATISFIED
    session.add(
        Survey(
            case_id=case.id,
            customer_id=case.customer_id,
            round=1,
            sent_at=case.opened_at,
            expires_at=case.opened_at,
            outcome=outcome,
            answered_at=when,
            csat=csat,
            nps=nps,
        )
    )


def _replied(session: Session, case: Case, score: int, author: User | None) -> None:
    session.add(
        Reply(
            case_id=case.id,
            author_id=author.id if author else None,
            author=author.name if author else "amends",
            channel="email",
            route=ReplyRoute.POSTED,
            text="…",
            score=score,
            sent_at=case.opened_at,
        )
    )


def _ordered(
    session: Session,
    identity_kind: str,
    value: str,
    when: datetime,
    *,
    referred_by: str | None = None,
    kind: OrderKind = OrderKind.ORDER,
) -> None:
    session.add(
        Order(
            source="shop",
            dedupe_key=f"{value}:{when.isoformat()}",
            kind=kind,
            identity_kind=identity_kind,
            identity_value=value,
            ordered_at=when,
            referred_by=referred_by,
            raw="{}",
        )
    )


def _reviewed(session: Session, case: Case, rating: int, *later: int) -> None:
    """A review on `case` with `rating`, updated to each of `later` in turn."""
    item = FeedbackItem(
        source="reviews",
        dedupe_key=f"review-{case.id}",
        channel=case.channel,
        text="…",
        raw="{}",
        rating=rating,
        case_id=case.id,
    )
    session.add(item)
    session.flush()
    before = rating
    for after in later:
        session.add(
            ReviewUpdate(
                item_id=item.id,
                case_id=case.id,
                version=f"v{after}",
                rating_before=before,
                rating_after=after,
                text="…",
                raw="{}",
                received_at=case.opened_at,
            )
        )
        session.flush()
        before = after


def _granted(session: Session, case: Case, kind: str, amount: str, currency: str) -> None:
    session.add(Compensation(case_id=case.id, kind=kind, amount=Decimal(amount), currency=currency))


@pytest.fixture
def history(session: Session, alice: User) -> None:
    grace = Customer(name="Grace", lifetime_value=Decimal("500"))
    omar = Customer(name="Omar", lifetime_value=Decimal("300"))
    session.add_all([grace, omar])
    session.flush()
    session.add_all(
        [
            CustomerIdentity(customer_id=grace.id, kind="email", value="grace@example.com"),
            CustomerIdentity(customer_id=omar.id, kind="twitter", value="omar"),
        ]
    )
    # A: answered in 30 min (due 60: met); remedy done after 24 h (due 48 h: met); recovered.
    a = _case(
        session,
        channel="email",
        category="delay",
        opened_at=at(2, 9),
        first_responded_at=at(2, 9, 30),
        first_response_due_at=at(2, 10),
        resolution_due_at=at(4, 9),
        status=CaseStatus.RECOVERED,
        customer_id=grace.id,
    )
    _moved(session, a, (CaseStatus.REMEDY_DONE, at(3, 9)), (CaseStatus.RECOVERED, at(5, 9)))
    _granted(session, a, "voucher", "20", "USD")
    # B: answered after 120 min (due 60: missed); closed after 72 h (due 48 h: missed); then
    # reopened and not recovered. A grant in EUR is left out of a USD report.
    b = _case(
        session,
        channel="email",
        category="delay",
        opened_at=at(3, 12),
        first_responded_at=at(3, 14),
        first_response_due_at=at(3, 13),
        resolution_due_at=at(5, 12),
        status=CaseStatus.NOT_RECOVERED,
        customer_id=omar.id,
    )
    _moved(
        session,
        b,
        (CaseStatus.CLOSED, at(6, 12)),
        (CaseStatus.REOPENED, at(7, 12)),
        (CaseStatus.NOT_RECOVERED, at(8, 12)),
    )
    _granted(session, b, "refund", "100", "USD")
    _granted(session, b, "voucher", "10", "EUR")
    # C: answered in 10 min (met); not resolved, due before the period ends: missed. Interim
    # updates: one given in time (cancelled: met), one late (fired: missed), one still pending.
    c = _case(
        session,
        channel="twitter",
        category="billing",
        opened_at=at(10, 8),
        first_responded_at=at(10, 8, 10),
        first_response_due_at=at(10, 9),
        resolution_due_at=at(11, 8),
        status=CaseStatus.INVESTIGATING,
        customer_id=grace.id,
    )
    _update_due(session, c, at(10, 20), cancelled=True)
    _update_due(session, c, at(11, 6), fired=True)
    _update_due(session, c, at(11, 20))
    # D: never answered, due passed: missed; resolution due after the period: not judged.
    _case(
        session,
        channel="twitter",
        category="billing",
        opened_at=at(20, 10),
        first_response_due_at=at(20, 11),
        resolution_due_at=at(5, 10, month=4),
        status=CaseStatus.NEW,
    )
    # F: answered in 60 min, recovered after 5 h; no due times, so no SLA target.
    f = _case(
        session,
        channel="chat",
        category="delay",
        opened_at=at(15, 10),
        first_responded_at=at(15, 11),
        status=CaseStatus.RECOVERED,
        customer_id=omar.id,
    )
    _moved(session, f, (CaseStatus.RECOVERED, at(15, 15)))
    # E: opened after the period: in no figure.
    e = _case(
        session,
        channel="email",
        category="delay",
        opened_at=at(2, 9, month=4),
        first_responded_at=at(2, 9, 1, month=4),
        status=CaseStatus.RECOVERED,
        customer_id=grace.id,
    )
    _moved(session, e, (CaseStatus.RECOVERED, at(2, 10, month=4)))
    _granted(session, e, "refund", "999", "USD")
    # Surveys. A: CSAT 5, NPS 10. B: CSAT 2, NPS 3, answered before F opened. F: CSAT 4,
    # NPS 8. C: no response. Grace answered NPS 4 on a case of February (outside the period).
    _answered(session, a, at(5, 9), csat=5, nps=10)
    _answered(session, b, at(8, 12), csat=2, nps=3)
    _answered(session, f, at(15, 15), csat=4, nps=8)
    _answered(session, c, None, csat=None, nps=None)
    old = _case(
        session,
        channel="email",
        opened_at=at(1, 9, month=2),
        status=CaseStatus.CLOSED,
        customer_id=grace.id,
    )
    _answered(session, old, at(3, 9, month=2), csat=3, nps=4)
    # Replies by people on A (90, 70); amends' own acknowledgement (50) does not count.
    _replied(session, a, 90, alice)
    _replied(session, a, 70, alice)
    _replied(session, a, 50, None)
    # Orders. Grace (recovered by A on the 5th) orders on the 20th: she came back; her visit
    # on the 1st was before. Omar (recovered by F on the 15th at 15:00) ordered on the 10th
    # only: not back. Someone Grace referred orders on the 21st (counts) and the 3rd (before).
    _ordered(session, "email", "grace@example.com", at(20, 10))
    _ordered(session, "email", "grace@example.com", at(1, 10), kind=OrderKind.VISIT)
    _ordered(session, "twitter", "omar", at(10, 9))
    _ordered(session, "email", "zoe@example.com", at(21, 9), referred_by="grace@example.com")
    _ordered(session, "email", "yan@example.com", at(3, 9), referred_by="grace@example.com")
    # Reviews that came back: A's 1 star became 3 then 4 (+3), F's 2 became 4 (+2); B is not
    # recovered, so its 1 → 5 is left out.
    _reviewed(session, a, 1, 3, 4)
    _reviewed(session, f, 2, 4)
    _reviewed(session, b, 1, 5)
    session.commit()


def _one(session: Session, **filters: object) -> Metrics:
    [metrics] = report(session, Filters(start=START, end=END, **filters), currency="USD")  # type: ignore[arg-type]
    return metrics


@pytest.mark.usefixtures("history")
def test_the_whole_period_matches_the_hand_computed_figures(session: Session) -> None:
    m = _one(session)
    assert (m.cases, m.recovered, m.not_recovered) == (5, 2, 1)
    assert m.recovery_rate == pytest.approx(2 / 3, abs=1e-4)
    # First responses 10, 30, 60, 120 min: nearest rank 2 of 4 and 4 of 4.
    assert m.median_first_response_minutes == pytest.approx(30, abs=0.01)
    assert m.p90_first_response_minutes == pytest.approx(120, abs=0.01)
    # Resolutions 5, 24, 72 h: rank 2 of 3 and 3 of 3.
    assert m.median_resolution_hours == pytest.approx(24, abs=0.01)
    assert m.p90_resolution_hours == pytest.approx(72, abs=0.01)
    # Targets judged: A 2 (2 met), B 2 (0), C 2 + 2 updates (1 + 1), D 1 (0), F 0.
    assert (m.sla_targets, m.sla_met) == (9, 4)
    assert m.sla_compliance == pytest.approx(4 / 9, abs=1e-4)
    # Reopened: B; settled at some point: A, B, F.
    assert m.reopened == 1
    assert m.reopen_rate == pytest.approx(1 / 3, abs=1e-4)
    assert m.compensation_total == Decimal("120")
    assert m.compensation_by_kind == {"voucher": Decimal("20"), "refund": Decimal("100")}
    # Recovered customers, each once: Grace 500 (A) and Omar 300 (F).
    assert m.retained_value == Decimal("800")
    assert m.roi == pytest.approx((800 - 120) / 120, abs=1e-4)
    # CSAT: 4–5 in 2 of the 3 answers (A, B, F). No response: C.
    assert m.csat == pytest.approx(2 / 3, abs=1e-4)
    assert m.no_response == 1
    # NPS after, recovered cases A (10: promoter) and F (8: passive): (1 − 0) / 2 = +50.
    assert m.nps_after == pytest.approx(50.0)
    # Before: Grace's February 4 (for A) and Omar's 3 from B (for F), both detractors: −100.
    assert m.nps_before == pytest.approx(-100.0)
    assert m.rating_change == pytest.approx(2.5)
    assert m.reply_score == pytest.approx(80.0)
    # Recovered customers Grace and Omar: Grace came back. One referral after her recovery.
    assert (m.repeat_business, m.referrals) == (0.5, 1)


@pytest.mark.usefixtures("history")
def test_figures_by_channel(session: Session) -> None:
    found = {
        m.group: m
        for m in report(
            session, Filters(start=START, end=END), by=Dimension.CHANNEL, currency="USD"
        )
    }
    assert set(found) == {"email", "twitter", "chat"}
    email = found["email"]
    assert (email.cases, email.recovery_rate) == (2, 0.5)
    assert email.median_first_response_minutes == pytest.approx(30, abs=0.01)
    assert email.p90_first_response_minutes == pytest.approx(120, abs=0.01)
    assert email.compensation_total == Decimal("120")
    twitter = found["twitter"]
    assert (twitter.cases, twitter.recovery_rate, twitter.roi) == (2, None, None)
    assert twitter.median_first_response_minutes == pytest.approx(10, abs=0.01)
    assert (twitter.sla_targets, twitter.sla_met) == (5, 2)
    assert (twitter.csat, twitter.no_response, twitter.nps_after) == (None, 1, None)
    assert (email.reply_score, twitter.reply_score) == (80.0, None)
    assert (email.repeat_business, email.referrals) == (1.0, 1)
    assert (found["chat"].repeat_business, found["chat"].referrals) == (0.0, 0)
    assert twitter.repeat_business is None
    assert (email.rating_change, found["chat"].rating_change, twitter.rating_change) == (
        3.0,
        2.0,
        None,
    )
    assert (email.csat, email.nps_after, email.nps_before) == (0.5, 100.0, -100.0)


@pytest.mark.usefixtures("history")
def test_a_filter_narrows_every_figure(session: Session) -> None:
    m = _one(session, category="billing")
    assert (m.cases, m.recovered, m.median_resolution_hours) == (2, 0, None)


def test_an_empty_period_has_no_rates(session: Session) -> None:
    m = _one(session)
    assert (m.cases, m.recovery_rate, m.sla_compliance, m.roi) == (0, None, None, None)
    assert m.public()["compensation_total"] == 0.0


def test_a_customer_recovered_twice_in_a_group_counts_once(session: Session) -> None:
    """Ivy (lifetime value 400) is recovered on two email cases; Jon (100) on one chat case.
    Ivy ordered after her first recovery (March 5) and before her second (March 15), and a
    friend she referred ordered on March 20, after both."""
    ivy = Customer(name="Ivy", lifetime_value=Decimal("400"))
    jon = Customer(name="Jon", lifetime_value=Decimal("100"))
    session.add_all([ivy, jon])
    session.flush()
    session.add(CustomerIdentity(customer_id=ivy.id, kind="email", value="ivy@example.com"))
    for customer, channel, opened, recovered in (
        (ivy, "email", at(2, 9), at(5, 9)),
        (ivy, "email", at(10, 9), at(15, 9)),
        (jon, "chat", at(3, 9), at(6, 9)),
    ):
        case = _case(session, channel=channel, opened_at=opened, customer_id=customer.id)
        _moved(session, case, (CaseStatus.RECOVERED, recovered))
    _ordered(session, "email", "ivy@example.com", at(8, 12))
    _ordered(session, "email", "friend@example.com", at(20, 12), referred_by="ivy@example.com")

    whole = _one(session)
    # Customers Ivy and Jon: 400 + 100, Ivy came back, her one referral counted once.
    assert whole.retained_value == Decimal("500")
    assert (whole.repeat_business, whole.referrals) == (0.5, 1)
    email = {
        m.group: m
        for m in report(
            session, Filters(start=START, end=END), by=Dimension.CHANNEL, currency="USD"
        )
    }["email"]
    assert (email.retained_value, email.repeat_business, email.referrals) == (
        Decimal("400"),
        1.0,
        1,
    )
