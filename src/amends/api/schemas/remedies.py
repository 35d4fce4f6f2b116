"""Compensation, approval requests and remedy offers (docs/authority.md)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from amends.playbooks.schema import RemedyKind
from amends.store.tables import ApprovalStatus, OfferStatus

AMOUNT_HELP = "Money in AMENDS_AUTHORITY_CURRENCY; 0 (or none) for apology and senior_callback."


class CompensationCreate(BaseModel):
    kind: RemedyKind
    amount: Decimal = Field(Decimal(0), ge=0, description=AMOUNT_HELP)
    note: str | None = Field(None, max_length=2000)


class CompensationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    kind: RemedyKind
    amount: Decimal = Field(description='Sent as a string with two decimals, e.g. `"30.00"`.')
    currency: str
    note: str | None
    granted_by_id: int | None = Field(description="Who granted it (the requester, if approved).")
    approval_id: int | None = Field(description="The approval request it needed, if any.")
    offer_id: int | None = Field(description="The offer the customer chose it from, if any.")
    created_at: datetime


class CompensationsPublic(BaseModel):
    compensation: list[CompensationPublic]
    totals: dict[str, Decimal] = Field(description="What the compensation cost, by currency.")


class ApprovalPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    kind: RemedyKind
    amount: Decimal
    currency: str
    note: str | None
    requested_by_id: int | None
    required_role: str = Field(description="The lowest role that may approve it.")
    status: ApprovalStatus
    decided_by_id: int | None
    decided_at: datetime | None
    decision_reason: str | None
    created_at: datetime


class ApprovalsPublic(BaseModel):
    approvals: list[ApprovalPublic]


class GrantResult(BaseModel):
    """201 with the compensation when granted; 202 with the approval request when it waits
    for someone whose authority covers it."""

    outcome: Literal["granted", "approval_requested"]
    compensation: CompensationPublic | None
    approval: ApprovalPublic | None


class ApprovalApprove(BaseModel):
    reason: str | None = Field(None, max_length=2000)


class ApprovalRefuse(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="Why: required.")


class ApprovalDecided(BaseModel):
    approval: ApprovalPublic
    compensation: CompensationPublic | None = Field(description="Recorded on approval.")


class OptionCreate(BaseModel):
    kind: RemedyKind
    amount: Decimal = Field(Decimal(0), ge=0, description=AMOUNT_HELP)
    note: str | None = Field(None, max_length=2000, description="Shown to the customer.")


class OfferCreate(BaseModel):
    options: list[OptionCreate] = Field(min_length=2, max_length=3)
    valid_for_hours: int = Field(168, ge=1, le=24 * 90, description="Until the link expires.")


class OptionPublic(BaseModel):
    kind: RemedyKind
    amount: Decimal
    currency: str
    note: str | None


class OfferPublic(BaseModel):
    id: int
    case_id: int
    offered_by_id: int | None
    options: list[OptionPublic]
    status: OfferStatus = Field(description="`expired` once `expires_at` has passed unchosen.")
    expires_at: datetime
    chosen_option: int | None = Field(description="Index into `options`, from 0.")
    chosen_at: datetime | None
    chosen_via: str | None = Field(description="`link` (the customer) or `agent`.")
    created_at: datetime
    link: str | None = Field(
        description="The customer's signed link, while the offer is open; send it to them."
    )


class OffersPublic(BaseModel):
    offers: list[OfferPublic]


class ChoiceCreate(BaseModel):
    option: int = Field(ge=0, description="Index into the offer's `options`, from 0.")
