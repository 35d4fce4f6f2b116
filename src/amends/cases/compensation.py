"""Compensation on a case: what may be given, who may give it alone, and the record of it.

Two checks stand between a request and a grant (docs/authority.md). The case's playbook says
what may be given at all: the kinds of its remedy catalogue, when it lists any, each up to its
cap for the case's priority; above that nobody may grant it. The granting person's authority
(AMENDS_AUTHORITY_LIMITS and AMENDS_AUTHORITY_KINDS) says whether they may give it on their
own; when they may not, the grant waits as an approval request (approvals.py) for someone who
may. Every path (API, web, CLI) comes through here, so the rules hold on each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amends.cases import playbook_set, service
from amends.cases.actor import Actor
from amends.cases.events import EventKind
from amends.config import Settings
from amends.lib import clock
from amends.notify.events import Notice
from amends.notify.outbox import enqueue
from amends.playbooks.authority import AuthorityLimits
from amends.playbooks.schema import WITHOUT_MONEY, Remedy, RemedyKind
from amends.store.tables import ApprovalRequest, Case, Compensation, Role, User

CENT = Decimal("0.01")
#: Numeric(12, 2): ten digits before the point.
MOST = Decimal("9999999999.99")
NOTE_LIMIT = 2000


class RemedyRefused(ValueError):
    """Nobody may grant this on the case: not in its playbook's catalogue, above the cap,
    no role's authority covers it, or not a valid amount. `field` names what to change."""

    def __init__(self, message: str, field: str = "kind") -> None:
        super().__init__(message)
        self.field = field


class AboveAuthority(PermissionError):
    """The person may not do this on their own authority."""


@dataclass(frozen=True, slots=True)
class Grant:
    """A remedy as granted: the kind, the amount (0 for those without money) and currency."""

    kind: RemedyKind
    amount: Decimal
    currency: str
    note: str | None = None

    def as_data(self) -> dict[str, Any]:
        """The form stored in offers' options and timeline data: amounts as strings."""
        return {
            "kind": self.kind.value,
            "amount": str(self.amount),
            "currency": self.currency,
            "note": self.note,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Grant:
        return cls(
            RemedyKind(data["kind"]), Decimal(data["amount"]), data["currency"], data.get("note")
        )

    @classmethod
    def of(cls, row: Compensation | ApprovalRequest) -> Grant:
        return cls(RemedyKind(row.kind), row.amount, row.currency, row.note)

    @property
    def costs_money(self) -> bool:
        return self.amount > 0

    def describe(self) -> str:
        """`voucher of 30.00 USD`; `apology` for remedies without money."""
        name = self.kind.value.replace("_", " ")
        return f"{name} of {self.amount} {self.currency}" if self.costs_money else name


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a grant did: recorded the compensation, or asked for approval."""

    compensation: Compensation | None = None
    approval: ApprovalRequest | None = None

    @property
    def granted(self) -> bool:
        return self.compensation is not None


def catalogue(case: Case, settings: Settings) -> tuple[Remedy, ...]:
    """The remedies of the case's playbook: the default playbook's (an apology) when the case
    fell under none, or its playbook is gone. Empty, so any kind, for a case opened before
    playbooks or under a playbook that lists no remedies."""
    if case.playbook is None:
        return ()
    return playbook_set.current(settings).named(case.playbook).remedies


def checked(
    *, case: Case, kind: str, amount: Decimal | str | int, note: str | None, settings: Settings
) -> Grant:
    """The grant, if the case's playbook allows it; RemedyRefused saying why not."""
    remedy_kind = _kind(kind)
    money = _amount(remedy_kind, amount)
    remedies = catalogue(case, settings)
    entry = next((remedy for remedy in remedies if remedy.kind is remedy_kind), None)
    if remedies and entry is None:
        offered = ", ".join(remedy.kind.value for remedy in remedies)
        raise RemedyRefused(
            f"{remedy_kind.value} is not a remedy of the playbook {case.playbook!r}; "
            f"it offers: {offered}"
        )
    currency = (entry.currency if entry else None) or settings.authority_currency
    cap = entry.cap_for(case.priority) if entry else None
    if cap is not None and money > cap:
        raise RemedyRefused(
            f"{remedy_kind.value} of {money} {currency} is above the playbook's cap of "
            f"{cap} {currency} for {case.priority.value} priority cases",
            "amount",
        )
    return Grant(remedy_kind, money, currency, _note(note))


def _kind(kind: str) -> RemedyKind:
    try:
        return RemedyKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in RemedyKind)
        raise RemedyRefused(f"{kind!r} is not a kind of remedy; kinds are {kinds}") from None


def _amount(kind: RemedyKind, given: Decimal | str | int) -> Decimal:
    try:
        amount = Decimal(given)
    except (InvalidOperation, ValueError, TypeError):
        raise RemedyRefused(f"{given!r} is not an amount", "amount") from None
    if not amount.is_finite() or amount < 0:
        raise RemedyRefused(f"{given} is not an amount: give a number, 0 or more", "amount")
    if kind in WITHOUT_MONEY:
        if amount:
            raise RemedyRefused(f"{kind.value} costs no money: give no amount", "amount")
        return Decimal("0.00")
    if amount == 0:
        name = kind.value.replace("_", " ")
        raise RemedyRefused(f"a {name} needs an amount above 0", "amount")
    if amount != amount.quantize(CENT) or amount > MOST:
        message = f"{given}: give an amount with at most two decimals, up to {MOST}"
        raise RemedyRefused(message, "amount")
    return amount.quantize(CENT)


def _note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > NOTE_LIMIT:
        raise RemedyRefused(f"a note may have at most {NOTE_LIMIT} characters", "note")
    return text or None


def grant(
    *,
    session: Session,
    case: Case,
    user: User,
    kind: str,
    amount: Decimal | str | int,
    note: str | None = None,
    settings: Settings,
) -> Outcome:
    """Grant a remedy on `case` as `user`: recorded when within their authority, sent for
    approval when not. RemedyRefused when the playbook or every role's authority forbids it."""
    wanted = checked(case=case, kind=kind, amount=amount, note=note, settings=settings)
    authority = AuthorityLimits.from_settings(settings)
    actor = Actor(user_id=user.id, name=user.name)
    if authority.may_grant(user.role, wanted.amount, wanted.kind):
        row = record(session, case_id=case.id, grant=wanted, actor=actor, granted_by_id=user.id)
        return Outcome(compensation=row)
    approval = request_approval(
        session, case=case, user=user, wanted=wanted, authority=authority, settings=settings
    )
    return Outcome(approval=approval)


def record(
    session: Session,
    *,
    case_id: int,
    grant: Grant,
    actor: Actor,
    granted_by_id: int | None,
    approval_id: int | None = None,
    offer_id: int | None = None,
) -> Compensation:
    """Store granted compensation with its `case:compensation:granted` event."""
    row = Compensation(
        case_id=case_id,
        kind=grant.kind.value,
        amount=grant.amount,
        currency=grant.currency,
        note=grant.note,
        granted_by_id=granted_by_id,
        approval_id=approval_id,
        offer_id=offer_id,
    )
    session.add(row)
    session.flush()
    data = {"compensation_id": row.id, **grant.as_data(), "granted_by": granted_by_id}
    data |= {"approval_id": approval_id, "offer_id": offer_id}
    service.record(
        session, case_id=case_id, kind=EventKind.COMPENSATION_GRANTED, actor=actor, data=data
    )
    _touch(session, case_id)
    return row


def request_approval(
    session: Session,
    *,
    case: Case,
    user: User,
    wanted: Grant,
    authority: AuthorityLimits,
    settings: Settings,
) -> ApprovalRequest:
    """Ask the lowest role whose authority covers `wanted` to approve it, and tell them."""
    role = authority.approver_for(wanted.amount, wanted.kind)
    if role is None:
        raise RemedyRefused(
            f"no role may grant this {wanted.describe()} (AMENDS_AUTHORITY_LIMITS, "
            "AMENDS_AUTHORITY_KINDS)"
        )
    approval = ApprovalRequest(
        case_id=case.id,
        kind=wanted.kind.value,
        amount=wanted.amount,
        currency=wanted.currency,
        note=wanted.note,
        requested_by_id=user.id,
        required_role=role.value,
    )
    session.add(approval)
    session.flush()
    data = {"approval_id": approval.id, **wanted.as_data(), "required_role": role.value}
    actor = Actor(user_id=user.id, name=user.name)
    service.record(
        session, case_id=case.id, kind=EventKind.APPROVAL_REQUESTED, actor=actor, data=data
    )
    enqueue(
        session,
        notice=Notice.APPROVAL_NEEDED,
        case_id=case.id,
        user_ids=approvers(session, case=case, wanted=wanted, requester=user, settings=settings),
        summary=f"{user.name} asks you to approve: {wanted.describe()} on case {case.id}",
        data=data,
    )
    _touch(session, case.id)
    return approval


def approvers(
    session: Session, *, case: Case, wanted: Grant, requester: User, settings: Settings
) -> list[int]:
    """Who to ask: the case team's lead when their authority covers `wanted`, else the
    active users of the lowest role that may (higher roles when that one has nobody)."""
    authority = AuthorityLimits.from_settings(settings)
    roles = [role for role in Role if authority.may_grant(role, wanted.amount, wanted.kind)]
    query = select(User).where(User.is_active, User.role.in_(roles), User.id != requester.id)
    able = list(session.scalars(query.order_by(User.id)))
    lead = _team_lead(case, settings)
    chosen = [user for user in able if lead and user.email.casefold() == lead]
    if chosen:
        return [user.id for user in chosen]
    lowest = min((user.role.rank for user in able), default=None)
    return [user.id for user in able if user.role.rank == lowest]


def _team_lead(case: Case, settings: Settings) -> str | None:
    team = playbook_set.current(settings).teams.get(case.team or "")
    return team.lead.casefold() if team and team.lead else None


def _touch(session: Session, case_id: int) -> None:
    session.execute(
        update(Case)
        .where(Case.id == case_id)
        .values(updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )


def for_case(session: Session, case_id: int) -> list[Compensation]:
    """Compensation granted on a case, oldest first."""
    query = select(Compensation).where(Compensation.case_id == case_id).order_by(Compensation.id)
    return list(session.scalars(query))


def totals(rows: Iterable[Compensation]) -> dict[str, Decimal]:
    """What `rows` cost, per currency."""
    found: dict[str, Decimal] = {}
    for row in rows:
        found[row.currency] = found.get(row.currency, Decimal(0)) + row.amount
    return found
