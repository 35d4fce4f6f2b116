from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases.clocks import (
    ClockState,
    SlaClock,
    condition,
    duration_text,
    most_urgent,
    sla_clocks,
)
from amends.playbooks.schema import SlaTarget
from amends.store.tables import Case, CaseStatus

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Timing:
    """The case fields the clocks read; by default a case opened at 09:00, first response due
    in 10 hours, resolution in 100, nothing done yet."""

    status: CaseStatus = CaseStatus.NEW
    opened_at: datetime = OPENED
    updated_at: datetime = OPENED
    first_response_due_at: datetime | None = OPENED + 10 * HOUR
    first_responded_at: datetime | None = None
    next_update_due_at: datetime | None = None
    last_contact_at: datetime | None = None
    resolution_due_at: datetime | None = OPENED + 100 * HOUR
    closed_at: datetime | None = None


def by_target(case: Timing, now: datetime) -> dict[SlaTarget, SlaClock]:
    return {clock.target: clock for clock in sla_clocks(case, now)}


def test_it_gives_first_response_and_resolution_and_no_update_clock_without_its_due_time() -> None:
    clocks = sla_clocks(Timing(), OPENED + HOUR)
    assert [clock.target for clock in clocks] == [SlaTarget.FIRST_RESPONSE, SlaTarget.RESOLUTION]
    assert all(clock.state is ClockState.ON_TIME for clock in clocks)


def test_it_leaves_out_clocks_without_a_due_time() -> None:
    case = Timing(first_response_due_at=None, resolution_due_at=None)
    assert sla_clocks(case, OPENED) == []


def test_it_is_due_soon_when_a_fifth_of_the_window_is_left() -> None:
    first = by_target(Timing(), OPENED + 8 * HOUR)[SlaTarget.FIRST_RESPONSE]
    assert first.state is ClockState.DUE_SOON
    assert first.margin == 2 * HOUR
    assert first.label == "2h left"
    still = by_target(Timing(), OPENED + 8 * HOUR - timedelta(minutes=1))
    assert still[SlaTarget.FIRST_RESPONSE].state is ClockState.ON_TIME


def test_it_is_breached_past_due_and_says_how_long_ago() -> None:
    first = by_target(Timing(), OPENED + 13 * HOUR + timedelta(minutes=5))[SlaTarget.FIRST_RESPONSE]
    assert first.state is ClockState.BREACHED
    assert first.running
    assert first.label == "breached 3h 5m ago"


def test_it_is_due_soon_not_breached_exactly_at_the_due_time() -> None:
    first = by_target(Timing(), OPENED + 10 * HOUR)[SlaTarget.FIRST_RESPONSE]
    assert first.state is ClockState.DUE_SOON
    assert first.label == "<1m left"


def test_it_is_met_or_met_late_once_done() -> None:
    early = Timing(first_responded_at=OPENED + 2 * HOUR)
    late = Timing(first_responded_at=OPENED + 12 * HOUR)
    now = OPENED + 50 * HOUR
    met = by_target(early, now)[SlaTarget.FIRST_RESPONSE]
    assert (met.state, met.label, met.running) == (ClockState.MET, "met", False)
    met_late = by_target(late, now)[SlaTarget.FIRST_RESPONSE]
    assert (met_late.state, met_late.label) == (ClockState.MET_LATE, "met 2h late")
    assert met_late.margin == -2 * HOUR


def test_it_counts_the_update_clock_from_the_last_contact() -> None:
    case = Timing(
        first_responded_at=OPENED + HOUR,
        last_contact_at=OPENED + 20 * HOUR,
        next_update_due_at=OPENED + 30 * HOUR,
    )
    update = by_target(case, OPENED + 28 * HOUR)[SlaTarget.UPDATE_INTERVAL]
    assert update.started_at == OPENED + 20 * HOUR
    assert update.state is ClockState.DUE_SOON
    on_time = by_target(case, OPENED + 27 * HOUR)[SlaTarget.UPDATE_INTERVAL]
    assert on_time.state is ClockState.ON_TIME


def test_closing_meets_the_resolution_and_stops_the_other_clocks() -> None:
    closed = Timing(
        status=CaseStatus.CLOSED,
        closed_at=OPENED + 5 * HOUR,
        next_update_due_at=OPENED + 8 * HOUR,
    )
    clocks = by_target(closed, OPENED + 200 * HOUR)
    assert clocks[SlaTarget.RESOLUTION].state is ClockState.MET
    assert clocks[SlaTarget.FIRST_RESPONSE].state is ClockState.STOPPED
    assert clocks[SlaTarget.UPDATE_INTERVAL].state is ClockState.STOPPED
    assert not any(clock.running for clock in clocks.values())
    assert most_urgent(list(clocks.values())) is None


def test_a_case_closed_after_a_missed_first_response_keeps_it_breached() -> None:
    closed = Timing(status=CaseStatus.CLOSED, closed_at=OPENED + 12 * HOUR)
    first = by_target(closed, OPENED + 200 * HOUR)[SlaTarget.FIRST_RESPONSE]
    assert (first.state, first.label, first.running) == (
        ClockState.BREACHED,
        "missed by 2h",
        False,
    )


def test_an_outcome_without_closed_at_stops_the_clocks_when_last_updated() -> None:
    recovered = Timing(
        status=CaseStatus.RECOVERED,
        first_responded_at=OPENED + HOUR,
        updated_at=OPENED + 120 * HOUR,
    )
    resolution = by_target(recovered, OPENED + 300 * HOUR)[SlaTarget.RESOLUTION]
    assert (resolution.state, resolution.label) == (ClockState.MET_LATE, "met 20h late")


def test_a_reopened_case_runs_its_resolution_clock_again() -> None:
    reopened = Timing(status=CaseStatus.REOPENED, first_responded_at=OPENED + HOUR)
    resolution = by_target(reopened, OPENED + 101 * HOUR)[SlaTarget.RESOLUTION]
    assert resolution.state is ClockState.BREACHED


def urgent(case: Timing, now: datetime) -> SlaClock:
    found = most_urgent(sla_clocks(case, now))
    assert found is not None
    return found


def test_the_most_urgent_clock_is_the_worst_state_then_the_earliest_due() -> None:
    # At 1h both are on time: the first response is due first.
    case = Timing(first_response_due_at=OPENED + 2 * HOUR, resolution_due_at=OPENED + 72 * HOUR)
    assert urgent(case, OPENED + HOUR).target is SlaTarget.FIRST_RESPONSE
    # At 70h the first response (due 71h) and the resolution (due 72h) are both due soon.
    both_soon = replace(case, first_response_due_at=OPENED + 71 * HOUR)
    assert urgent(both_soon, OPENED + 70 * HOUR).target is SlaTarget.FIRST_RESPONSE
    # A breached resolution comes before a first response that is merely on time.
    breached = replace(case, first_response_due_at=OPENED + 20 * HOUR)
    worst = urgent(replace(breached, resolution_due_at=OPENED + 3 * HOUR), OPENED + 4 * HOUR)
    assert (worst.target, worst.state) == (SlaTarget.RESOLUTION, ClockState.BREACHED)


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=20), "20m"),
        (timedelta(hours=1, minutes=20), "1h 20m"),
        (timedelta(hours=2), "2h"),
        (timedelta(days=1, hours=4, minutes=9), "1d 4h"),
        (timedelta(days=3, minutes=9), "3d"),
        (timedelta(days=-1), "<1m"),
    ],
)
def test_it_writes_durations_in_their_two_largest_units(span: timedelta, text: str) -> None:
    assert duration_text(span) == text


# ---- The SQL filter agrees with the clocks ----


def _store(session: Session, **fields: object) -> Case:
    values = {**vars(Timing()), **fields}
    case = Case(title="t", channel="email", **values)
    session.add(case)
    session.flush()
    return case


def _filtered(session: Session, state: ClockState, now: datetime) -> set[int]:
    query = select(Case.id).where(condition(state, now))
    return set(session.scalars(query))


def test_the_filter_finds_the_cases_whose_most_urgent_clock_is_in_that_state(
    session: Session,
) -> None:
    now = OPENED + 9 * HOUR
    cases = {
        "on time": _store(session, first_response_due_at=now + 8 * HOUR),
        "first response due soon": _store(session),
        "first response breached": _store(session, first_response_due_at=now - HOUR),
        "first response done": _store(
            session, first_response_due_at=now - HOUR, first_responded_at=now - 2 * HOUR
        ),
        "update due soon": _store(
            session,
            first_response_due_at=now + 50 * HOUR,
            first_responded_at=now - 3 * HOUR,
            last_contact_at=now - 9 * HOUR,
            next_update_due_at=now + HOUR,
        ),
        "update breached": _store(
            session, first_responded_at=now - HOUR, next_update_due_at=now - timedelta(minutes=1)
        ),
        "resolution breached": _store(
            session, first_responded_at=now - HOUR, resolution_due_at=now - HOUR
        ),
        "closed": _store(
            session,
            status=CaseStatus.CLOSED,
            closed_at=now - HOUR,
            first_response_due_at=now - 5 * HOUR,
        ),
        "no due times": _store(session, first_response_due_at=None, resolution_due_at=None),
    }
    for state in (ClockState.BREACHED, ClockState.DUE_SOON):
        expected = {
            case.id
            for case in cases.values()
            if (urgent := most_urgent(sla_clocks(case, now))) and urgent.state is state
        }
        assert _filtered(session, state, now) == expected
    assert _filtered(session, ClockState.BREACHED, now) == {
        cases[name].id
        for name in ("first response breached", "update breached", "resolution breached")
    }
    assert _filtered(session, ClockState.DUE_SOON, now) == {
        cases["first response due soon"].id,
        cases["update due soon"].id,
    }


def test_the_filter_refuses_other_states() -> None:
    with pytest.raises(ValueError, match="breached or due_soon"):
        condition(ClockState.MET, OPENED)
