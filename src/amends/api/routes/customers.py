"""A customer's history across every channel."""

from __future__ import annotations

from fastapi import APIRouter

from amends.accounts.permissions import Action
from amends.api.errors import NOT_FOUND, UNAUTHORIZED, not_found
from amends.api.schemas.cases import CasePublic
from amends.api.schemas.customers import CustomerDetail, IdentityPublic
from amends.api.schemas.feedback import FeedbackPublic
from amends.cases import history
from amends.deps import ApiUser, SessionDep, require

router = APIRouter(prefix="/customers", tags=["customers"], responses=UNAUTHORIZED | NOT_FOUND)


@router.get("/{customer_id}", summary="Read a customer and their whole history")
def get_customer(customer_id: int, session: SessionDep, user: ApiUser) -> CustomerDetail:
    """Their identities (emails, handles), every item they sent and every case, newest first."""
    require(user, Action.READ)
    found = history.customer_history(session, customer_id)
    if found is None:
        raise not_found(f"customer {customer_id} not found")
    customer = found.customer
    return CustomerDetail(
        id=customer.id,
        name=customer.name,
        segment=customer.segment,
        lifetime_value=customer.lifetime_value,
        created_at=customer.created_at,
        identities=[IdentityPublic.model_validate(i) for i in found.identities],
        items=[FeedbackPublic.model_validate(i) for i in found.items],
        cases=[CasePublic.model_validate(c) for c in found.cases],
    )
