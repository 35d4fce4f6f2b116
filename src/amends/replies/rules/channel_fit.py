"""Right for the channel: its length, its form, and no personal data where the public reads."""

from __future__ import annotations

import re
from collections.abc import Iterator

from amends.replies.findings import Finding, Severity
from amends.replies.rules import Rule
from amends.replies.rules.phrases import Phrases
from amends.replies.situation import Situation
from amends.replies.wording import Wording
from amends.triage.pii import PiiKind, find_pii

PRIVATE_ROUTE = Phrases(
    r"DMs?",
    r"direct(?:ly)? message",
    r"private(?:ly)?(?: message)?",
    r"PMs?",
    r"inbox",
    r"e-?mail",
    r"call",
    r"phone",
    r"chat",
    r"contact",
    r"reach (?:out|us|me)",
    r"message us",
    r"(?:send|drop|shoot|pop) (?:us|me)",
    r"get in touch",
    r"link",
    r"form",
    r"follow(?: us)? and",
    r"support page",
    r"help page",
    r"website",
    r"site",
    r"visit",
)
GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b", re.I)
SPOKEN_GREETING = re.compile(r"\b(?:hi|hello|good (?:morning|afternoon|evening))\b", re.I)
SIGN_OFF = Phrases(
    r"best(?: wishes| regards)?",
    r"regards",
    r"sincerely",
    r"thanks",
    r"thank you",
    r"warm(?:ly| wishes)",
    r"all the best",
    r"take care",
    r"cheers",
    r"speak soon",
)
# Numbers a business publishes for everyone to call are not a customer's personal data.
_TOLL_FREE = re.compile(
    r"^\+?1?[\s.-]*\(?8(?:00|33|44|55|66|77|88)\)?|^\+?44\s*\(?0?\)?\s*(?:800|808|300|330|333|34\d|37\d)|^0(?:800|808|300|330|333|34\d|37\d)"
)
_COMPANY_MAILBOX = re.compile(
    r"^(?:support|help|care|service|services|contact|info|customer\w*|team|hello|feedback|"
    r"complaints?|no-?reply|enquiries|inquiries|social|press|media)[\w.+-]*@",
    re.I,
)


def length(wording: Wording, situation: Situation) -> Iterator[Finding]:
    channel = situation.channel
    size = len(wording.original.strip())
    if channel.limit is not None and size > channel.limit:
        yield Finding(
            "channel.length",
            Severity.SEVERE,
            f"{size} characters: {channel.label} allows {channel.limit}.",
            "Cut it down, and move the details to a private message.",
            (channel.limit, size),
        )
    elif size > channel.good_length:
        yield Finding(
            "channel.length",
            Severity.WARNING,
            f"{size} characters is long for {channel.label}; aim for {channel.good_length} or fewer.",
            "Keep the public reply short and take the rest private."
            if channel.public
            else "Trim it to what the customer needs: what happened, what you'll do, by when.",
        )
    elif size < channel.min_length:
        yield Finding(
            "channel.length",
            Severity.WARNING,
            f"{size} characters is curt for {channel.label}.",
            "An email carries the full detail: what happened, what you will do, and when.",
        )


def form(wording: Wording, situation: Situation) -> Iterator[Finding]:
    if not situation.first_reply_to_complaint:
        return
    channel = situation.channel
    if channel.public and not PRIVATE_ROUTE.found_in(wording) and "http" not in wording.original:
        yield _form(
            "The public reply does not move the details to a private channel.",
            "Offer a private route: 'Please DM us your order number so we can sort it out.'",
        )
    elif channel.name == "email":
        yield from _email_form(wording)
    elif channel.name == "phone" and not (
        SPOKEN_GREETING.search(wording.text[:200]) and "?" in wording.text
    ):
        yield _form(
            "A call script needs a greeting and a question for the customer.",
            "Open with a greeting and your name, and ask what they need.",
        )


def _email_form(wording: Wording) -> Iterator[Finding]:
    if not GREETING.search(wording.text):
        yield _form("The email has no greeting.", "Start with 'Hi <name>,'.")
    tail = wording.text.strip()[-120:]
    if not any(True for _ in SIGN_OFF.spans(Wording(tail, tail))):
        yield _form("The email has no sign-off.", "End with a sign-off and your name.")


def _form(message: str, fix: str) -> Finding:
    return Finding("channel.form", Severity.WARNING, message, fix)


def personal_data(wording: Wording, situation: Situation) -> Iterator[Finding]:
    if not situation.channel.public:
        return
    text = wording.text
    for span in find_pii(text):
        if not _published_by_the_business(span.kind, span.text):
            yield _pii(
                f"This looks like personal data ({span.kind.value}).", (span.start, span.end)
            )
    for value in _known_values(situation):
        start = text.lower().find(value.lower())
        if start >= 0:
            yield _pii("This is the customer's personal data.", (start, start + len(value)))


def _published_by_the_business(kind: PiiKind, value: str) -> bool:
    if kind is PiiKind.PHONE:
        return bool(_TOLL_FREE.search(value.strip()))
    if kind is PiiKind.EMAIL:
        return bool(_COMPANY_MAILBOX.search(value.strip()))
    return False


def _known_values(situation: Situation) -> list[str]:
    values = [v for v in situation.context.personal_values if len(v.strip()) >= 4]
    name = (situation.context.customer_name or "").strip()
    if len(name.split()) >= 2:
        values.append(name)
    return values


def _pii(message: str, span: tuple[int, int]) -> Finding:
    return Finding(
        "pii.public",
        Severity.SEVERE,
        message + " Never post it where the public reads.",
        "Remove it; ask for details in a private message instead.",
        span,
    )


RULES = (
    Rule("channel.length", length, english=False),
    Rule("channel.form", form),
    Rule("pii.public", personal_data, english=False),
)
