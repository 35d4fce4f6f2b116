"""The follow-up surveys of a case, as the API returns them (docs/follow-up.md)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from amends.store.tables import Consent, Survey, SurveyOutcome


class SurveyOut(BaseModel):
    id: int
    round: int = Field(description="1 for the first check-in; one more after each reopening.")
    sent_at: datetime
    expires_at: datetime = Field(description="When the link stops working.")
    emailed: bool = Field(description="Sent by email; when false, an agent sends the link.")
    reminders_sent: int
    outcome: SurveyOutcome
    answered_at: datetime | None
    csat: int | None = Field(description="1–5.")
    nps: int | None = Field(description="0–10.")
    comment: str | None
    consent: Consent = Field(description="Whether the comment may be shared, and how.")
    consent_withdrawn_at: datetime | None = Field(
        description="When the customer took back their leave to share the comment (consent is "
        "then none)."
    )
    invited: list[str] = Field(description="Review platforms the check-in named.")
    link: str = Field(description="The customer's survey page.")

    @classmethod
    def of(cls, survey: Survey, link: str) -> SurveyOut:
        return cls(
            id=survey.id,
            round=survey.round,
            sent_at=survey.sent_at,
            expires_at=survey.expires_at,
            emailed=survey.emailed,
            reminders_sent=survey.reminders_sent,
            outcome=survey.outcome,
            answered_at=survey.answered_at,
            csat=survey.csat,
            nps=survey.nps,
            comment=survey.comment,
            consent=survey.consent,
            consent_withdrawn_at=survey.consent_withdrawn_at,
            invited=list(survey.invited),
            link=link,
        )
