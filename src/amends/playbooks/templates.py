"""Reply templates as a playbook names them: Jinja2 text that a sandbox fills with the case's
facts (docs/replies.md#templates). This module owns the contract, the variables a template may
use and its syntax; `amends.replies.templates` renders it."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

#: Every variable a template may use, with what it holds: the documentation and the check.
VARIABLES: dict[str, str] = {
    "customer_name": "The customer's full name, or empty.",
    "first_name": "Their first name when known, else empty.",
    "greeting": "'Hi Grace' or, with no name, 'Hello'.",
    "issue": "What went wrong in their words: 'your suitcase', 'order 123-4567', 'your order'.",
    "reference": "The order or booking number they gave, or empty (never in a public reply).",
    "category": "The triage category in words: 'damaged or defective'.",
    "emotion": "The strongest emotion triage found: 'anger', or empty.",
    "first_response": "The playbook's first-response target in words: 'four hours'.",
    "update_interval": "Its interim-update interval in words, or empty.",
    "resolution": "Its resolution target in words: 'two working days'.",
    "remedies": "The remedies of the open offer in words: 'a refund or a voucher', or empty.",
    "choice_link": "The customer's link to choose a remedy, or empty.",
    "agent_name": "The name of the agent who sends it.",
    "business_name": "AMENDS_BUSINESS_NAME, or 'the team'.",
    "channel": "Where the reply goes: 'email', 'twitter'…",
    "case_id": "The case's number.",
}

TEXT_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """What is wrong with a template, and on which of its lines (1-based; None: all of it)."""

    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def environment() -> SandboxedEnvironment:
    """Templates are written by people who may not run code on the server: the sandbox
    refuses attribute tricks, undefined names fail, and nothing is HTML-escaped (replies are
    plain text; the web pages escape them when they show them). Whitespace is as written:
    `{%-` and `-%}` trim it where a template wants."""
    return SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
    )


def problem(text: str) -> TemplateProblem | None:
    """The first problem of form in `text` (syntax, a variable no template has), or None."""
    if not text.strip():
        return TemplateProblem("a template has some text")
    if len(text) > TEXT_LIMIT:
        return TemplateProblem(f"a template has at most {TEXT_LIMIT} characters")
    try:
        parsed = environment().parse(text)
    except jinja2.TemplateSyntaxError as error:
        return TemplateProblem(error.message or "syntax error", error.lineno)
    unknown = sorted(meta.find_undeclared_variables(parsed) - set(VARIABLES))
    if unknown:
        return TemplateProblem(
            f"unknown variable {unknown[0]!r}: templates may use {', '.join(VARIABLES)}",
            _line_of(text, unknown[0]),
        )
    return None


def _line_of(text: str, name: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if name in line:
            return number
    return None
