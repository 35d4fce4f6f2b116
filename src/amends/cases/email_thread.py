"""Where an emailed reply sits in the customer's thread (RFC 5322 section 3.6.4): the subject,
In-Reply-To and References that make their mail program file it under their own message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.parser import HeaderParser
from email.policy import default
from email.utils import make_msgid, parseaddr

from amends.store.tables import FeedbackItem

#: Mail programs cope with long References, but a thread of hundreds need not carry them all:
#: RFC 5322 allows dropping the middle; the first (the thread's root) and the latest matter.
REFERENCES_KEPT = 20
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|antw)\s*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Thread:
    subject: str
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


def thread_of(item: FeedbackItem | None, *, fallback_subject: str) -> Thread:
    """The headers of a reply to the customer's email `item`; with no email to answer, a new
    thread under `fallback_subject`."""
    if item is None or not item.external_id:
        return Thread(subject=_one_line(fallback_subject))
    parent = f"<{item.external_id}>"
    earlier = tuple(_references(item.raw))
    references = tuple(dict.fromkeys((*earlier, parent)))
    if len(references) > REFERENCES_KEPT:
        references = (references[0], *references[-(REFERENCES_KEPT - 1) :])
    return Thread(
        subject=_re(item.title or fallback_subject), in_reply_to=parent, references=references
    )


def new_message_id(reply_id: int, sender: str) -> str:
    """A Message-ID for reply `reply_id`, under the sender's domain (never a DNS look-up)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return make_msgid(f"reply.{reply_id}", domain=domain)


def _references(raw: str) -> list[str]:
    headers = HeaderParser(policy=default).parsestr(raw, headersonly=True)
    return re.findall(r"<[^<>\s]+>", str(headers.get("references") or ""))


def _re(subject: str) -> str:
    subject = _one_line(subject)
    return subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}"


def _one_line(text: str) -> str:
    return " ".join(text.split())[:400]
