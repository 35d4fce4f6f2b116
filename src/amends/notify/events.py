"""The notifications amends sends. Stored as strings; the enum keeps the spelling in one place."""

from __future__ import annotations

import enum


class Notice(enum.StrEnum):
    ASSIGNED = "assigned"
    BREACH_SOON = "breach_soon"
    BREACHED = "breached"
    APPROVAL_NEEDED = "approval_needed"
    ESCALATED = "escalated"
    UNSATISFIED = "unsatisfied"  # the customer answered the follow-up unsatisfied
    SPIKE = "spike"  # negative items of a category, product or location far above usual
    REPLY = "reply"  # a reply to a customer, for the connector that posts it on the platform
    ROOT_CAUSE_EXPORT = "root_cause_export"  # the cases of a root cause, for a product team


#: What each notification tells, for preferences pages and docs.
MEANING: dict[Notice, str] = {
    Notice.ASSIGNED: "A case was assigned to you.",
    Notice.BREACH_SOON: "One of your cases is close to missing an SLA target.",
    Notice.BREACHED: "One of your cases missed an SLA target.",
    Notice.APPROVAL_NEEDED: "Someone asks you to approve compensation above their authority.",
    Notice.ESCALATED: "A case was escalated to you.",
    Notice.UNSATISFIED: "A customer of yours answered the follow-up survey unsatisfied.",
    Notice.SPIKE: "Complaints about a category, product or location rose far above usual.",
    Notice.REPLY: "A reply to a customer, for a connector to post on the customer's platform.",
    Notice.ROOT_CAUSE_EXPORT: "The cases of one root cause, exported for the team that fixes it.",
}

#: Notices for systems, not people: they go only to shared endpoints that list them by name,
#: since a connector or an export is set up on purpose.
SYSTEM: tuple[Notice, ...] = (Notice.REPLY, Notice.ROOT_CAUSE_EXPORT)
#: The notices people choose to hear; a webhook that lists no events hears these.
PERSONAL: tuple[Notice, ...] = tuple(n for n in Notice if n not in SYSTEM)
