"""Real brand replies from the Customer Support on Twitter set (../shared/data/twcs.dev.csv),
each with the customer tweet it answers and the brand's earlier replies in the same thread.

The set is CC BY-NC-SA, so its text never enters the repository: it is read from the path
given on the command line, and the hand labels refer to replies by tweet id only.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

FILE = "twcs.dev.csv"


@dataclass(frozen=True, slots=True)
class BrandReply:
    tweet_id: str
    brand: str
    text: str
    customer_text: str
    first_reply: bool
    earlier_replies: tuple[str, ...]


def load(data_dir: Path) -> list[BrandReply]:
    """Every brand tweet that answers a customer tweet found in the file."""
    with (data_dir / FILE).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_id = {row["tweet_id"]: row for row in rows}
    replies = []
    for row in rows:
        parent = by_id.get(row["in_response_to_tweet_id"])
        if row["inbound"] != "false" or parent is None or parent["inbound"] != "true":
            continue
        earlier = _earlier_brand_tweets(row, by_id)
        replies.append(
            BrandReply(
                tweet_id=row["tweet_id"],
                brand=row["author_id"],
                text=row["text"],
                customer_text=parent["text"],
                first_reply=not earlier,
                earlier_replies=tuple(earlier),
            )
        )
    return replies


def _earlier_brand_tweets(row: dict[str, str], by_id: dict[str, dict[str, str]]) -> list[str]:
    earlier = []
    seen = {row["tweet_id"]}
    parent = by_id.get(row["in_response_to_tweet_id"])
    while parent is not None and parent["tweet_id"] not in seen:
        seen.add(parent["tweet_id"])
        if parent["inbound"] == "false":
            earlier.append(parent["text"])
        parent = by_id.get(parent["in_response_to_tweet_id"])
    return earlier[::-1]


def is_english_like(text: str) -> bool:
    """The checker's rules are written for English; the few Japanese and Spanish replies are
    left out of the sample (an ASCII share is enough to tell them apart in this file)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.95


def sample(replies: list[BrandReply], size: int) -> list[BrandReply]:
    """A fixed pseudo-random sample: the replies ordered by a hash of their tweet id."""
    english = [reply for reply in replies if is_english_like(reply.text)]
    english.sort(key=lambda reply: hashlib.sha256(reply.tweet_id.encode()).hexdigest())
    return english[:size]
