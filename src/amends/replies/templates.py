"""Fill a playbook's reply template with a case's facts, in the sandbox the playbooks module
defines (playbooks/templates.py), and check what comes out like any other reply."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import jinja2

from amends.playbooks.templates import TemplateProblem, environment, problem
from amends.replies import phrasebook as book
from amends.replies.channels import Channel
from amends.replies.checker import check
from amends.replies.facts import CaseFacts, Timing
from amends.replies.findings import Report
from amends.replies.situation import ReplyContext
from amends.replies.specifics import specifics
from amends.replies.timing import say


class TemplateFailed(ValueError):
    def __init__(self, found: TemplateProblem) -> None:
        super().__init__(str(found))
        self.problem = found


#: The case a template is tried on when it is saved: made up, with every fact filled, so that
#: each variable shows what it would say.
EXAMPLE = CaseFacts(
    channel=Channel("email", public=False, limit=20000, good_length=3000, label="email"),
    complaint_text="My order 112-5551234 arrived with a cracked screen and nobody answers.",
    customer_name="Grace Thompson",
    category="damaged_or_defective",
    emotion="anger",
    remedies=("replacement", "refund"),
    choice_link="https://amends.example/r/example",
    timing=Timing(
        first_response=timedelta(hours=4),
        update_interval=timedelta(days=1),
        resolution=timedelta(days=3),
    ),
    agent_name="Sam",
    business_name="the Example Shop team",
)


def variables(facts: CaseFacts, *, case_id: int = 0) -> dict[str, object]:
    found = specifics(facts.complaint_text)
    timing = facts.timing
    first = facts.first_name or ""
    public = facts.channel.public

    def spoken(span: timedelta | None) -> str:
        return say(span, business=timing.business_time) if span else ""

    reference = "" if public or not found.reference else found.reference
    return {
        "customer_name": facts.customer_name or "",
        "first_name": first,
        "greeting": f"Hi {first}" if first else "Hello",
        "issue": _issue(found.thing, reference),
        "reference": reference,
        "category": facts.category.replace("_", " "),
        "emotion": facts.emotion or "",
        "first_response": spoken(timing.first_response),
        "update_interval": spoken(timing.update_interval),
        "resolution": spoken(timing.resolution),
        "remedies": _remedies(facts.remedies),
        "choice_link": facts.choice_link or "",
        "agent_name": facts.agent_name or "",
        "business_name": facts.business_name,
        "channel": facts.channel.name,
        "case_id": case_id,
    }


def render(text: str, facts: CaseFacts, *, case_id: int = 0) -> str:
    """The template filled with `facts`; TemplateFailed names the problem and its line."""
    found = problem(text)
    if found is not None:
        raise TemplateFailed(found)
    try:
        return environment().from_string(text).render(variables(facts, case_id=case_id)).strip()
    except jinja2.TemplateError as error:  # the sandbox refusing something, an undefined use
        raise TemplateFailed(TemplateProblem(str(error), getattr(error, "lineno", None))) from None
    except (ArithmeticError, TypeError, ValueError) as error:  # `{{ 1 / 0 }}`, a huge range
        raise TemplateFailed(TemplateProblem(f"{type(error).__name__}: {error}")) from None


def try_out(text: str, channel: Channel) -> tuple[str, Report]:
    """The template filled for the example case on `channel`, and the checker's report."""
    facts = replace(EXAMPLE, channel=channel)
    filled = render(text, facts, case_id=1)
    context = ReplyContext(customer_text=EXAMPLE.complaint_text, complaint=True)
    return filled, check(filled, channel, context)


def _issue(thing: str | None, reference: str) -> str:
    if thing:
        return f"your {thing}"
    return reference or "your order"


def _remedies(kinds: tuple[str, ...]) -> str:
    names = [book.REMEDY_NAMES.get(kind, kind.replace("_", " ")) for kind in kinds[:3]]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]
