"""A case's SLA clocks as an agent reads them: what is due, by when, and how it stands.

Pure: the case's own fields and `now` in, clocks out, so the inbox, the case page and the API
show the same thing. Three clocks, each only when the case has its due time:

- first response: due `first_response_due_at`, done at `first_responded_at`;
- interim update: due `next_update_due_at`, counted from the last message sent to the customer;
- resolution: due `resolution_due_at`, done when the case closes.

A clock is *due soon* once less than a fifth of its window (from when it started to when it
is due, in wall-clock time) is left: about when the worker reminds the owner. `condition`
says the same in SQL, for the inbox's `sla` filter.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Float, and_, func, not_, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from amends.cases.states import OPEN
from amends.lib import clock
from amends.playbooks.schema import SlaTarget
from amends.playbooks.sla import breached
from amends.store.tables import Case, CaseStatus

#: The share of a clock's window that is "due soon" when it is what is left.
DUE_SOON_SHARE = 0.2


class ClockState(enum.StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    BREACHED = "breached"  # past due and not done (or the case closed after it was due)
    MET = "met"
    MET_LATE = "met_late"
    STOPPED = "stopped"  # the case closed before it was due, without it being done


#: The states of a clock still running, worst first: the order the inbox ranks clocks in.
RUNNING = (ClockState.BREACHED, ClockState.DUE_SOON, ClockState.ON_TIME)


class Timed(Protocol):
    """The case fields the clocks read: a stored Case or its API form."""

    @property
    def status(self) -> CaseStatus: ...
    @property
    def opened_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def first_response_due_at(self) -> datetime | None: ...
    @property
    def first_responded_at(self) -> datetime | None: ...
    @property
    def next_update_due_at(self) -> datetime | None: ...
    @property
    def last_contact_at(self) -> datetime | None: ...
    @property
    def resolution_due_at(self) -> datetime | None: ...
    @property
    def closed_at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class SlaClock:
    """One target. `done_at` is when it was met, or when the case closed for a clock that
    stops with it; `margin` is the time left (negative: how far past due), at `done_at` for a
    clock that no longer runs, else at `now`."""

    target: SlaTarget
    state: ClockState
    started_at: datetime
    due_at: datetime
    done_at: datetime | None
    margin: timedelta

    @property
    def running(self) -> bool:
        return self.done_at is None

    @property
    def label(self) -> str:
        """`1h 20m left`, `breached 3h ago`, `met 2h late`…: the clock in a few words."""
        over = duration_text(-self.margin)
        return {
            ClockState.ON_TIME: f"{duration_text(self.margin)} left",
            ClockState.DUE_SOON: f"{duration_text(self.margin)} left",
            ClockState.BREACHED: f"breached {over} ago" if self.running else f"missed by {over}",
            ClockState.MET: "met",
            ClockState.MET_LATE: f"met {over} late",
            ClockState.STOPPED: "stopped: case closed",
        }[self.state]

    @property
    def title(self) -> str:
        return TITLES[self.target]


TITLES = {
    SlaTarget.FIRST_RESPONSE: "First response",
    SlaTarget.UPDATE_INTERVAL: "Interim update",
    SlaTarget.RESOLUTION: "Resolution",
}


def sla_clocks(case: Timed, now: datetime | None = None) -> list[SlaClock]:
    """The case's clocks, first response, interim update, resolution; those without a due
    time are left out. `now` defaults to the current time."""
    at = now or clock.now()
    stopped = _stopped_at(case)
    update_start = case.last_contact_at or case.first_responded_at or case.opened_at
    targets = (
        (SlaTarget.FIRST_RESPONSE, case.opened_at, case.first_response_due_at,
         case.first_responded_at),
        (SlaTarget.UPDATE_INTERVAL, update_start, case.next_update_due_at, None),
        # Closing a case is resolving it, whatever the outcome.
        (SlaTarget.RESOLUTION, case.opened_at, case.resolution_due_at, stopped),
    )  # fmt: skip
    return [
        _clock(target, start=start, due_at=due_at, done_at=done_at, stopped=stopped, now=at)
        for target, start, due_at, done_at in targets
        if due_at is not None
    ]


def most_urgent(clocks: Sequence[SlaClock]) -> SlaClock | None:
    """The running clock to look at first: the worst state, then the earliest due."""
    running = [each for each in clocks if each.running]
    if not running:
        return None
    return min(running, key=lambda each: (RUNNING.index(each.state), each.due_at))


def _stopped_at(case: Timed) -> datetime | None:
    """When the case left the open statuses: its `closed_at`, or for an outcome that does
    not set it (recovered, not recovered), when it was last updated."""
    if case.closed_at is not None:
        return case.closed_at
    return None if case.status in OPEN else case.updated_at


def _clock(
    target: SlaTarget,
    *,
    start: datetime,
    due_at: datetime,
    done_at: datetime | None,
    stopped: datetime | None,
    now: datetime,
) -> SlaClock:
    state = _state(start=start, due_at=due_at, done_at=done_at, stopped=stopped, now=now)
    finished = done_at or stopped
    return SlaClock(
        target=target,
        state=state,
        started_at=start,
        due_at=due_at,
        done_at=finished,
        margin=due_at - (finished or now),
    )


def _state(
    *,
    start: datetime,
    due_at: datetime,
    done_at: datetime | None,
    stopped: datetime | None,
    now: datetime,
) -> ClockState:
    if done_at is not None:
        late = breached(due_at, done_at=done_at, now=now)
        return ClockState.MET_LATE if late else ClockState.MET
    if stopped is not None:
        return ClockState.BREACHED if stopped > due_at else ClockState.STOPPED
    if breached(due_at, done_at=None, now=now):
        return ClockState.BREACHED
    if due_at - now <= (due_at - start) * DUE_SOON_SHARE:
        return ClockState.DUE_SOON
    return ClockState.ON_TIME


_UNITS = ((86_400, "d"), (3_600, "h"), (60, "m"))


def duration_text(span: timedelta) -> str:
    """The two largest units of a span: `1d 4h`, `1h 20m`, `20m`; `<1m` under a minute."""
    seconds = max(0, int(span.total_seconds()))
    parts: list[str] = []
    for size, unit in _UNITS:
        count, seconds = divmod(seconds, size)
        if count or parts:
            parts.append(f"{count}{unit}")
    shown = [part for part in parts[:2] if not part.startswith("0")]
    return " ".join(shown) or "<1m"


# ---- The same states in SQL, for filters ----


class _Epoch(FunctionElement[float]):
    """Seconds since 1970 of a UTC timestamp column, on SQLite and PostgreSQL."""

    type = Float()
    inherit_cache = True


@compiles(_Epoch, "sqlite")
def _epoch_sqlite(element: _Epoch, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps naive UTC text; julianday counts days from noon, 24 November 4714 BC.
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(_Epoch, "postgresql")
def _epoch_postgresql(element: _Epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return f"extract(epoch from {compiler.process(element.clauses, **kw)})"


def _running(target: SlaTarget) -> tuple[Any, Any, ColumnElement[bool]]:
    """(due column, start expression, not yet done) for an open case's clock."""
    if target is SlaTarget.FIRST_RESPONSE:
        return Case.first_response_due_at, Case.opened_at, Case.first_responded_at.is_(None)
    if target is SlaTarget.UPDATE_INTERVAL:
        start = func.coalesce(Case.last_contact_at, Case.first_responded_at, Case.opened_at)
        return Case.next_update_due_at, start, Case.next_update_due_at.is_not(None)
    return Case.resolution_due_at, Case.opened_at, Case.resolution_due_at.is_not(None)


def _breached(now: datetime) -> ColumnElement[bool]:
    clauses = []
    for target in SlaTarget:
        due, _, pending = _running(target)
        clauses.append(and_(pending, due < now))
    return or_(*clauses)


def _due_soon(now: datetime) -> ColumnElement[bool]:
    seconds = now.timestamp()
    clauses = []
    for target in SlaTarget:
        due, start, pending = _running(target)
        left = _Epoch(due) - seconds
        window = _Epoch(due) - _Epoch(start)
        clauses.append(and_(pending, due >= now, left <= window * DUE_SOON_SHARE))
    return or_(*clauses)


def condition(state: ClockState, now: datetime) -> ColumnElement[bool]:
    """Open cases whose most urgent clock is in `state`: `breached` (a clock past due and not
    done) or `due_soon` (one due soon and none breached). Other states are refused."""
    is_open = Case.status.in_(OPEN)
    if state is ClockState.BREACHED:
        return and_(is_open, _breached(now))
    if state is ClockState.DUE_SOON:
        return and_(is_open, not_(_breached(now)), _due_soon(now))
    raise ValueError(f"no filter for clocks {state.value!r}: use breached or due_soon")


#: The states `condition` filters by, as the inbox and the API take them.
FILTERS = (ClockState.BREACHED, ClockState.DUE_SOON)
