"""What happens next: a concrete step, a time for it that the playbook can keep, and no
promise that nobody can keep."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

from amends.replies.findings import Finding, Severity
from amends.replies.rules import Rule
from amends.replies.rules.phrases import Phrases
from amends.replies.situation import Situation
from amends.replies.wording import Wording

OVER_PROMISE = Phrases(
    r"(?:I|we|can|will|'ll|'m|'re|to) (?:\w+ )?guarantee",
    r"guaranteed?(?: that| you| it| this| to| a| the| your| delivery| refund)",
    r"(?:will|'ll|shall|would|won't|will not|can't|cannot) (?:ever )?(?:never )?happen again",
    r"(?:will|'ll) never (?:happen|occur|be repeated)",
    r"100 ?%",
    r"100 percent",
    r"(?:I|we) promise",
    r"rest assured[^.!?]{0,60}(?:won't|will not|never|again)",
    r"definitely (?:won't|will not|will never)",
    r"(?:never|not) (?:ever )?(?:again )?(?:have to|going to) (?:worry|deal|experience)",
    r"(?:every|each) (?:single )?time, without fail",
    r"without (?:any )?fail",
)
NEXT_STEP = Phrases(
    r"(?:we|I|our \w+|the team|someone|they|it|this|that|you)(?:'ll| will| would| are going to|'re going to|'d| can| could| shall| am going to)",
    r"will (?:get back|be in touch|reach out|contact|follow up|call|email|respond|reply|be back)",
    r"(?:we|I)(?:'ve| have) (?:sent|passed|forwarded|shared|escalated|raised|logged|flagged|refunded|credited|issued|reported|replied|emailed|arranged|booked|added|reached|contacted|updated|reset|fixed|cancelled|followed)",
    r"(?:please|kindly|pls|plz)",
    r"(?:DM|dm|message|email|e-mail|call|contact|reach|follow|send|tap|click|visit|check|try|go|head|open|update|restart|reinstall|reset|select|fill|let us know|give us|share|drop us|hit us|ping|text|chat|pop|swing|bring|take)",
    r"(?:here|below)(?:'s| is| are)?",
    r"(?:you(?:'ll| will| should| can| could| may| might) (?:receive|get|see|hear|be)|expect)",
    r"(?:next step|in the meantime|meanwhile|looking into|look into|investigat\w+|on it)",
    r"(?:is|are|has been|have been) (?:on (?:its|their) way|being|now|fixed|resolved|processed|sent|dispatched|refunded|escalated)",
    # What the customer can do now, as an instruction: "be sure to set up…", "put 0s in front".
    r"(?:be sure to|make sure|set up|put|navigate|turn (?:on|off)|switch (?:on|off|to)|enable|disable|clear|sign in|log in|log out)",
    # The business's work going on, or put in someone's hands: "we're working on this", "your
    # feedback will be passed on", "I've fed this back", "an alternative will be arranged".
    r"(?:working on|work on|under (?:serious )?(?:advisement|review)|get you (?:going|moving|on your way|there))",
    r"(?:fed|feed|feeding|passed|passing|shared|sharing|forwarded|forwarding) (?:this|it|that|your \w+)(?: back| on| along)",
    r"will be (?:arranged|passed|shared|forwarded|sorted|fixed|looked|reviewed|in place|taken)",
)
_QUESTION = re.compile(r"\?")
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "ten": 10,
    "24": 24,
    "48": 48,
    "72": 72,
    "few": 3,
    "couple of": 2,
}
_UNITS = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "business day": timedelta(days=1.4),
    "working day": timedelta(days=1.4),
    "week": timedelta(days=7),
    "month": timedelta(days=30),
}
_WITHIN = re.compile(
    r"\b(?:within|in(?: the next)?|over the next|no later than)\s+(?:the next\s+)?"
    r"(\d+|a|an|one|two|three|four|five|six|seven|ten|few|couple of)\s*(?:-\s*\d+\s*)?"
    r"(minute|hour|business day|working day|day|week|month)s?\b",
    re.IGNORECASE,
)
_INSTANT = re.compile(
    r"\b(?:right away|right now|immediately|straight away|instantly|asap|as soon as possible|"
    r"in (?:a )?(?:few )?minutes|within (?:the )?(?:a few |next few )?minutes?|today|tonight|"
    r"this (?:morning|afternoon|evening))\b",
    re.IGNORECASE,
)
_RESOLVING = re.compile(
    r"\b(?:refund\w*|replace\w*|resolv\w*|fix\w*|sort\w* (?:it|this) out|reship\w*|credit\w*|"
    r"deliver\w*|arriv\w*|repair\w*|compensat\w*)\b",
    re.IGNORECASE,
)
TIME = Phrases(
    r"(?:within|in|over|by|before|until|no later than) (?:the )?(?:next )?(?:\d+|a|an|one|two|three|four|five|six|seven|ten|few|couple of)(?:\s*-\s*\d+)? ?(?:minutes?|hours?|hrs?|business days?|working days?|days?|weeks?|months?)",
    r"\d+(?:\s*-\s*\d+)? ?(?:minutes?|hours?|hrs?|business days?|working days?|days?|weeks?)",
    r"(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week)|next week|end of (?:the )?(?:day|week))",
    r"(?:by|on|before|until) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d{1,2}(?:st|nd|rd|th)?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*)",
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    r"\d{1,2}(?::\d{2})? ?(?:am|pm)",
    r"\d{4}-\d{2}-\d{2}",
    r"(?:right away|immediately|straight away)",
)


def over_promise(wording: Wording, situation: Situation) -> Iterator[Finding]:
    for span in OVER_PROMISE.spans(wording):
        yield Finding(
            "promise.over",
            Severity.SEVERE,
            "A promise nobody can keep.",
            "Commit to what you will do and by when, not to perfection.",
            span,
        )


def promise_against_sla(wording: Wording, situation: Situation) -> Iterator[Finding]:
    target = situation.context.resolution_within
    if target is None:
        return
    for match in _WITHIN.finditer(wording.text):
        promised = _duration(match.group(1), match.group(2))
        if promised > target:
            yield Finding(
                "promise.sla",
                Severity.WARNING,
                f"This time is later than the playbook's resolution target ({_human(target)}).",
                f"Commit to a time within {_human(target)}, or explain the wait and escalate.",
                (match.start(), match.end()),
            )
    if target >= timedelta(days=1):
        yield from _instant_resolution(wording, target)


def _instant_resolution(wording: Wording, target: timedelta) -> Iterator[Finding]:
    for sentence in re.finditer(r"[^.!?\n]+", wording.text):
        instant = _INSTANT.search(sentence.group())
        if instant and _RESOLVING.search(sentence.group()):
            start = sentence.start() + instant.start()
            yield Finding(
                "promise.sla",
                Severity.WARNING,
                f"An instant fix is promised; the playbook allows {_human(target)} to resolve.",
                "Give the realistic time, and update the customer if it comes sooner.",
                (start, start + len(instant.group())),
            )


def _duration(amount: str, unit: str) -> timedelta:
    count = int(amount) if amount.isdigit() else _NUMBER_WORDS.get(amount.lower(), 1)
    return _UNITS[unit.lower()] * count


def _human(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    if hours < 48:
        return f"{hours:g} hours"
    return f"{hours / 24:g} days"


def next_step_missing(wording: Wording, situation: Situation) -> Iterator[Finding]:
    if not situation.complaint:
        return
    has_link = wording.original != wording.text and "http" in wording.original
    if NEXT_STEP.found_in(wording) or _QUESTION.search(wording.text) or has_link:
        return
    yield Finding(
        "next_step.missing",
        Severity.WARNING,
        "Nothing says what happens next.",
        "Say what you will do, or what you need from them, and by when.",
    )


def next_step_without_time(wording: Wording, situation: Situation) -> Iterator[Finding]:
    if situation.channel.name not in ("email", "chat") or not situation.first_reply_to_complaint:
        return
    if NEXT_STEP.found_in(wording) and not TIME.found_in(wording):
        yield Finding(
            "next_step.no_time",
            Severity.INFO,
            "The next step has no time.",
            "Say when: 'You'll hear from me by Thursday.'",
        )


RULES = (
    Rule("promise.over", over_promise),
    Rule("promise.sla", promise_against_sla),
    Rule("next_step.missing", next_step_missing),
    Rule("next_step.no_time", next_step_without_time),
)
