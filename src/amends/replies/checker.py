"""Check a reply against docs/reply-rules.md: findings and a score from 0 to 100."""

from __future__ import annotations

from functools import cache

from amends.replies.channels import Channel
from amends.replies.channels import channel as channel_named
from amends.replies.findings import Finding, Report, score
from amends.replies.rules import Rule, all_rules
from amends.replies.situation import ReplyContext, Situation
from amends.replies.wording import wording
from amends.triage import sentiment
from amends.triage.language import detect_language

#: A customer message at least this likely to be negative is treated as a complaint.
COMPLAINT_PROBABILITY = 0.4
#: How sure the language detector must be before the English rules stand aside.
MIN_LANGUAGE_CONFIDENCE = 0.5


def check(text: str, channel: Channel | str, context: ReplyContext | None = None) -> Report:
    """Every finding on `text` as a reply on `channel`, in the order of the text."""
    context = context or ReplyContext()
    where = channel if isinstance(channel, Channel) else channel_named(channel)
    situation = Situation(where, _is_complaint(context), context)
    reply = wording(text)
    language = _language(reply.stripped)
    rules = [rule for rule in _rules() if language == "en" or not rule.english]
    found = [finding for rule in rules for finding in rule.check(reply, situation)]
    findings = tuple(sorted(_distinct(found), key=_position))
    return Report(score=score(findings), findings=findings, language=language)


def _language(text: str) -> str:
    """English unless a detector is sure it is not: short replies are often undecided."""
    detected = detect_language(text)
    if detected.code in ("en", "und") or detected.confidence < MIN_LANGUAGE_CONFIDENCE:
        return "en"
    return detected.code


@cache
def _rules() -> tuple[Rule, ...]:
    return all_rules()


def _is_complaint(context: ReplyContext) -> bool:
    if context.complaint is not None:
        return context.complaint
    if not context.customer_text:
        return True
    return complaint_probability(context.customer_text) >= COMPLAINT_PROBABILITY


def complaint_probability(customer_text: str) -> float:
    """How likely the customer's message is a complaint: triage's negative probability."""
    (result,) = sentiment.predict([customer_text])
    return result.probabilities["negative"]


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One finding per rule and place: two patterns matching the same words count once."""
    kept: list[Finding] = []
    for finding in findings:
        if not any(_same_place(finding, other) for other in kept):
            kept.append(finding)
    return kept


def _same_place(a: Finding, b: Finding) -> bool:
    if a.rule != b.rule:
        return False
    if a.span is None or b.span is None:
        return a.span == b.span and a.message == b.message
    return a.span[0] < b.span[1] and b.span[0] < a.span[1]


def _position(finding: Finding) -> tuple[int, int]:
    return finding.span if finding.span else (-1, -1)
