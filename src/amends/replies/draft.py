"""Built-in drafts that follow HEART (hear, empathise, apologise, resolve, thank), shaped for
the channel: a full email or chat message, a short public reply that moves the details to a
private channel, or a call script. Wording varies by seed and never repeats a phrase that an
earlier reply in the thread used."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from amends.replies import phrasebook as book
from amends.replies.facts import UNNAMED_BUSINESS, CaseFacts
from amends.replies.rules.heart import ISSUE_TERMS
from amends.replies.rules.repeats import SPAN_WORDS, phrases_of
from amends.replies.specifics import Specifics, specifics
from amends.replies.timing import say
from amends.replies.wording import wording


@dataclass(frozen=True, slots=True)
class Draft:
    text: str
    channel: str
    source: str = "built-in"  # or "llm", or "template:<name>"


def draft(facts: CaseFacts) -> Draft:
    writer = _Writer(facts)
    channel = facts.channel
    if channel.public:
        text = writer.public()
    elif channel.name == "phone":
        text = writer.call_script()
    else:
        text = writer.message(full=channel.name == "email")
    return Draft(text=text, channel=channel.name)


def acknowledgement(facts: CaseFacts) -> Draft:
    """The playbook's automatic first reply: the customer is heard, the business is sorry,
    and a person will answer within the first-response target. On a public channel it is the
    public draft, which already says that and moves the details to a private channel."""
    writer = _Writer(facts)
    text = writer.public() if facts.channel.public else writer.acknowledgement()
    return Draft(text=text, channel=facts.channel.name, source="acknowledgement")


def check_in(
    facts: CaseFacts,
    *,
    link: str,
    invitations: Sequence[tuple[str, str]] = (),
    reminder: int = 0,
    until: str = "",
) -> Draft:
    """The follow-up after the remedy (reminder 0), or its `reminder`-th reminder: the survey
    `link`, and for each (platform, review page) in `invitations` the same neutral invitation,
    whatever the customer may think. Always an email: a survey link is for the customer only."""
    writer = _Writer(facts)
    text = writer.reminder(link, until) if reminder else writer.check_in(link, invitations)
    return Draft(text=text, channel="email", source="follow-up")


class _Writer:
    def __init__(self, facts: CaseFacts) -> None:
        self.facts = facts
        self.rng = random.Random(f"{facts.seed}:{facts.channel.name}:{len(facts.earlier_replies)}")
        self.spec = specifics(facts.complaint_text)
        self.used: set[tuple[str, ...]] = set()
        self.tail = ""
        for earlier in facts.earlier_replies:
            self.used |= phrases_of(earlier)
        self.category = facts.category if facts.category in book.ISSUE else "other"

    def pick(self, choices: list[str], /, **slots: str) -> str:
        """A choice, filled in, that shares no five-word phrase with what was said before."""
        filled = [choice.format(**slots) for choice in choices]
        self.rng.shuffle(filled)
        # With no wording free of repeats, the one repeating least.
        fresh = min(filled, key=lambda text: len(self._joined(text) & self.used))
        self.used |= self._joined(fresh)
        self.tail = " ".join(wording(fresh).words[-(SPAN_WORDS - 1) :])
        return fresh

    def _joined(self, text: str) -> set[tuple[str, ...]]:
        """The phrases of `text`, counting those that run on from the part picked before it
        (parts are picked in about the order they are written)."""
        return phrases_of(f"{self.tail} {text}")

    def subject(self, *, public: bool) -> str:
        spec: Specifics = self.spec
        if spec.flight and self.category in ("delay", "cancellation", "other", "staff_attitude"):
            return f"flight {spec.flight}"
        if spec.thing:
            return f"your {spec.thing}"
        if spec.reference and not public:
            return f"your {spec.reference}"
        named = ISSUE_TERMS.pattern.search(self.facts.complaint_text)
        if named and not named.group().lower().endswith("ed"):  # "the refund", not "the charged"
            return f"the {named.group().lower()}"
        return book.SUBJECT.get(self.category, "us")

    def issue(self, *, public: bool) -> str:
        return self.pick(book.ISSUE[self.category], s=self.subject(public=public))

    def when(self) -> str:
        spec = self.spec
        parts = [f" ({spec.reference})" if spec.reference and spec.thing else ""]
        parts.append(f" {spec.when}" if spec.when else "")
        if self.spec.place:
            parts.append(f" at the {self.spec.place}")
        return "".join(parts)

    def feeling(self) -> str:
        return self.pick(book.EMPATHY.get(self.facts.emotion, book.EMPATHY[None]))

    def message(self, *, full: bool) -> str:
        if self.facts.earlier_replies:
            return self.update(full=full)
        greeting = self.greeting()
        issue = self.issue(public=False)
        hear = self.pick(book.HEAR, issue=issue, when=self.when())
        apology = self.pick(
            book.APOLOGY, issue=self.rng.choice(("this", "what happened", "all of this"))
        )
        feel = self.feeling()
        opening = [hear, feel, apology] if self.rng.random() < 0.5 else [hear, apology, feel]
        paragraphs = [greeting, " ".join(opening), self.resolve()]
        if not hear.lower().startswith("than"):
            paragraphs.append(self.pick(book.THANKS))
        if full:
            paragraphs.append(self.signature())
        return "\n\n".join(paragraphs)

    def acknowledgement(self) -> str:
        timing = self.facts.timing
        within = (
            say(timing.first_response, business=timing.business_time)
            if timing.first_response
            else "one working day"
        )
        hear = self.pick(book.ACK_HEAR, issue=self.subject(public=False), when=self.when())
        paragraphs = [
            self.greeting(),
            f"{hear} {self.pick(book.ACK_FEEL)}",
            self.pick(book.ACK_NEXT, within=within),
            self.signature(),
        ]
        return "\n\n".join(paragraphs)

    def check_in(self, link: str, invitations: Sequence[tuple[str, str]]) -> str:
        opening = self.pick(book.CHECK_IN_OPEN, issue=self.issue(public=False), when=self.when())
        paragraphs = [
            self.greeting(),
            f"{opening} {self.pick(book.CHECK_IN_ASK, link=link)}",
            self.pick(book.CHECK_IN_HELP),
            *(book.REVIEW_INVITATION.format(platform=p, url=u) for p, u in invitations),
            self.pick(book.THANKS),
            self.signature(),
        ]
        return "\n\n".join(paragraphs)

    def reminder(self, link: str, until: str) -> str:
        asks = [a for a in book.REMIND_ASK if until or "{until}" not in a]
        paragraphs = [
            self.greeting(),
            self.pick(book.REMIND_OPEN, issue=self.issue(public=False)),
            f"{self.pick(asks, link=link, until=until)} {self.pick(book.REMIND_EASE)}",
            self.signature(),
        ]
        return "\n\n".join(paragraphs)

    def greeting(self) -> str:
        first = self.facts.first_name
        return self.pick(book.GREETING, first=first) if first else self.pick(book.GREETING_NO_NAME)

    def update(self, *, full: bool) -> str:
        """A later message in the thread: where things stand, not the opening again."""
        news = self.pick(book.UPDATE, issue=self.issue(public=False))
        progress = self.pick(book.PROGRESS)
        paragraphs = [
            self.greeting(),
            f"{news} {progress} {self.when_next()}",
            self.pick(book.THANKS),
        ]
        if full:
            paragraphs.append(self.signature())
        return "\n\n".join(paragraphs)

    def resolve(self) -> str:
        facts = self.facts
        resolution = self.resolution()
        if facts.remedies:
            return self._choice(resolution)
        step = self.pick(book.STEP[self.category], s=self.subject(public=False)) + "."
        return f"{step} {self.when_next()}"

    def resolution(self) -> str | None:
        timing = self.facts.timing
        return say(timing.resolution, business=timing.business_time) if timing.resolution else None

    def when_next(self) -> str:
        timing = self.facts.timing
        resolution = self.resolution()
        update = timing.update_interval or timing.first_response
        if update and resolution:
            when = self.pick(
                book.WHEN_NEXT,
                update=say(update, business=timing.business_time),
                resolution=resolution,
            )
        elif resolution:
            when = self.pick(book.WHEN_RESOLVED, resolution=resolution)
        else:
            when = self.pick(book.WHEN_UNKNOWN)
        return when

    def _choice(self, resolution: str | None) -> str:
        names = [
            book.REMEDY_NAMES.get(kind, kind.replace("_", " ")) for kind in self.facts.remedies[:3]
        ]
        options = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        parts = [self.pick(book.CHOICE, options=options)]
        if self.facts.choice_link:
            parts.append(self.pick(book.CHOICE_LINK, link=self.facts.choice_link))
        parts.append(self.pick(book.CHOICE_REPLY, resolution=resolution or "two working days"))
        return " ".join(parts)

    def signature(self) -> str:
        sign = self.pick(book.SIGN_OFF)
        facts = self.facts
        business = facts.business_name if facts.business_name != UNNAMED_BUSINESS else None
        who = [name for name in (facts.agent_name, business) if name] or ["The team"]
        return "\n".join([sign, *who])

    def public(self) -> str:
        channel = self.facts.channel
        first = self.facts.first_name
        route = book.ROUTE.get(channel.name, "email us")
        timing = self.facts.timing
        reply_within = (
            say(timing.first_response, business=timing.business_time)
            if timing.first_response
            else "a day"
        )
        need = book.PUBLIC_NEED.get(self.category, "the details")
        feel = self.pick(book.PUBLIC_FEEL.get(self.facts.emotion, book.PUBLIC_FEEL[None]))
        opening = self.pick(
            book.PUBLIC_OPEN,
            hi=f"Hi {first}, " if first else "",
            sorry="sorry" if first else "Sorry",
            issue=self.issue(public=True),
            feel=feel,
        )
        move = self.pick(
            book.PUBLIC_MOVE,
            route=route,
            Route=route[:1].upper() + route[1:],
            need=need,
            step=book.PUBLIC_STEP[self.category],
            first=reply_within,
        )
        thanks = self.pick(book.PUBLIC_THANKS)
        for parts in (
            [opening, move, thanks],
            [opening, move],
            [opening.replace(feel, "").strip(), move],
        ):
            text = " ".join(parts)
            if channel.limit is None or len(text) <= min(channel.limit, channel.good_length):
                return text
        return text

    def call_script(self) -> str:
        facts = self.facts
        issue = self.issue(public=False)
        lines = [
            (
                "Open",
                self.pick(
                    book.PHONE_OPEN,
                    first=facts.first_name or "there",
                    agent=facts.agent_name or "<your name>",
                    business=facts.business_name,
                    issue=issue,
                ),
            ),
            ("Listen", self.pick(book.PHONE_LISTEN)),
            ("Empathise", self.feeling()),
            ("Apologise", self.pick(book.APOLOGY, issue="what happened")),
            ("Next step", self.resolve()),
            ("Check", self.pick(book.PHONE_CHECK)),
            ("Thank", self.pick(book.THANKS)),
        ]
        return "\n".join(f"{label}: {line}" for label, line in lines)
