"""Timeline event tags. Stored as strings; the enum keeps the spelling in one place."""

from __future__ import annotations

import enum


class EventKind(enum.StrEnum):
    OPENED = "case:opened"
    ITEM_ADDED = "case:item:added"
    ROUTED = "case:routed"
    STATUS_CHANGED = "case:status:change"
    ASSIGNED = "case:assigned"
    NOTE_ADDED = "case:note:added"
    ESCALATED = "case:escalated"
    CONTACTED = "case:contacted"
    REPLY_SENT = "case:reply:sent"
    ACKNOWLEDGEMENT_SKIPPED = "case:acknowledgement:skipped"
    SLA_REMINDER = "case:sla:reminder"
    SLA_BREACHED = "case:sla:breached"
    REMEDY_OFFERED = "case:remedy:offered"
    REMEDY_WITHDRAWN = "case:remedy:withdrawn"
    REMEDY_CHOSEN = "case:remedy:chosen"
    COMPENSATION_GRANTED = "case:compensation:granted"
    APPROVAL_REQUESTED = "case:approval:requested"
    APPROVAL_APPROVED = "case:approval:approved"
    APPROVAL_REFUSED = "case:approval:refused"
    SENIOR_REVIEWED = "case:senior:reviewed"
    SURVEY_SENT = "case:survey:sent"
    SURVEY_REMINDED = "case:survey:reminded"
    SURVEY_ANSWERED = "case:survey:answered"
    SURVEY_UNANSWERED = "case:survey:no_response"
    CONSENT_WITHDRAWN = "case:survey:consent_withdrawn"  # the customer took their leave back
    ROOT_CAUSE_SET = "case:root_cause:set"
    REVIEW_UPDATED = "case:review:updated"
    LESSON_ADDED = "case:lesson:added"
    LESSON_LINKED = "case:lesson:linked"  # an existing lesson applies to this case too
    LESSON_REMOVED = "case:lesson:removed"
    DEMO_SIMULATED = "case:demo:simulated"  # the demo's made-up history starts here
