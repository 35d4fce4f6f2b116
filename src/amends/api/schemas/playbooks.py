"""The playbook set in use, read-only (amends.playbooks.public)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class AssignPublic(BaseModel):
    team: str
    strategy: str
    skills: list[str]
    languages: list[str]


class SlaPublic(BaseModel):
    clock: str = Field(description="`calendar` or `business_hours`.")
    timezone: str | None
    hours: dict[str, list[str]] | None = Field(
        description="Opening hours per weekday (`mon`…`sun`, `[]` when closed) on the "
        "business-hours clock; null on the calendar clock."
    )
    holidays: list[str]
    first_response: str = Field(description="A duration as playbooks write it, e.g. `4h`.")
    update_interval: str | None
    resolution: str


class RemedyPublic(BaseModel):
    kind: str
    cap: dict[str, str] | None = Field(
        description="The most it may be worth, per priority, as a decimal string; null: no cap."
    )
    currency: str | None
    note: str | None


class AcknowledgePublic(BaseModel):
    enabled: bool
    within: str
    high_priority: bool


class RulePublic(BaseModel):
    when: dict[str, Any] = Field(
        description="One of `risk_at_least`, `sla_breached`, `repeat_within_days` (+ `count`), "
        "`unsatisfied`."
    )
    to: str = Field(description="`senior_review`, `team_lead` or `manager`.")
    says: str = Field(description="The condition in words, e.g. `risk 80 or more`.")


class PlaybookPublic(BaseModel):
    name: str
    description: str | None
    where: str | None = Field(description="`file:line` in the playbook folder; null if built in.")
    match: dict[str, Any] = Field(description="The conditions given; empty: every item.")
    assign: AssignPublic | None
    sla: SlaPublic | None
    sla_from_default: bool = Field(description="The targets are the default playbook's.")
    remedies: list[RemedyPublic]
    acknowledge: AcknowledgePublic
    escalate: list[RulePublic]


class TeamPublic(BaseModel):
    name: str
    lead: str | None
    description: str | None


class ProblemPublic(BaseModel):
    file: str
    line: int
    column: int
    field: str
    message: str


class PlaybooksPublic(BaseModel):
    ok: bool = Field(description="False when the folder has problems: the last good set applies.")
    problems: list[ProblemPublic]
    playbooks: list[PlaybookPublic] = Field(description="In match order: the first match wins.")
    default: PlaybookPublic = Field(description="For items no playbook matches.")
    teams: list[TeamPublic]
