"""The senior-review queue: leads and above."""

from __future__ import annotations

from fastapi import APIRouter

from amends.api.errors import CONFLICT, FORBIDDEN, NOT_FOUND, UNAUTHORIZED, conflict
from amends.api.schemas.cases import CasePublic
from amends.api.schemas.review import QueuedCase, ReviewDone, ReviewQueue
from amends.cases import review
from amends.cases.service import ConcurrentChange
from amends.deps import ApiUser, SessionDep, actor_of, get_case_for_user, require

router = APIRouter(tags=["review"], responses=UNAUTHORIZED | FORBIDDEN)


@router.get("/review", summary="List the cases waiting for a senior review")
def get_queue(session: SessionDep, user: ApiUser) -> ReviewQueue:
    """Open cases an escalation sent for review and nobody has reviewed yet."""
    require(user, review.REVIEW)
    cases = review.queue(session)
    reasons = review.reasons(session, [case.id for case in cases])
    return ReviewQueue(
        waiting=review.waiting(session),
        cases=[
            QueuedCase(
                **CasePublic.model_validate(case).model_dump(), review_reason=reasons.get(case.id)
            )
            for case in cases
        ],
    )


@router.post(
    "/cases/{case_id}/review",
    summary="Mark a case reviewed",
    responses=NOT_FOUND | CONFLICT,
)
def mark_reviewed(case_id: int, done: ReviewDone, session: SessionDep, user: ApiUser) -> CasePublic:
    """Takes the case out of the queue and records it on the timeline, with the note.
    409 when the case is not waiting for a review."""
    require(user, review.REVIEW)
    case = get_case_for_user(session, user, case_id, write=True)
    try:
        review.mark_reviewed(session=session, case=case, actor=actor_of(user), note=done.note)
    except (review.NotQueued, ConcurrentChange) as exc:
        raise conflict(str(exc)) from exc
    return CasePublic.model_validate(case)
