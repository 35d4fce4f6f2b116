"""The checker's rules, one function each, in the order docs/reply-rules.md lists them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from amends.replies.findings import Finding
from amends.replies.situation import Situation
from amends.replies.wording import Wording

Check = Callable[[Wording, Situation], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """`english` rules read the wording, in English; the others hold in any language."""

    id: str
    check: Check
    english: bool = True


def all_rules() -> tuple[Rule, ...]:
    from amends.replies.rules import channel_fit, heart, promises, repeats, tone

    return (*heart.RULES, *tone.RULES, *promises.RULES, *repeats.RULES, *channel_fit.RULES)
