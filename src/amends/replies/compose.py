"""The draft an agent starts from: the language model's when one is configured and its text
passes the checker, otherwise the built-in one. A model never makes drafting fail."""

from __future__ import annotations

import logging

from amends.config import Settings
from amends.replies import llm
from amends.replies.checker import check
from amends.replies.draft import Draft, draft
from amends.replies.facts import CaseFacts
from amends.replies.llm import LlmConfig, LlmUnavailable
from amends.replies.situation import ReplyContext

log = logging.getLogger(__name__)


def compose(facts: CaseFacts, context: ReplyContext, config: LlmConfig | Settings) -> Draft:
    llm_config = config if isinstance(config, LlmConfig) else LlmConfig.from_settings(config)
    if not llm_config.enabled:
        return draft(facts)
    try:
        text = llm.ask(llm_config, llm.messages(facts), max_tokens=llm.max_tokens(facts))
    except LlmUnavailable as exc:
        log.warning("Using the built-in draft: %s", exc.reason)
        return draft(facts)
    report = check(text, facts.channel, context)
    if report.severe or report.score < llm_config.min_score:
        # Rule names only: the text may quote the customer.
        log.warning(
            "Using the built-in draft: the model's draft scored %d (%s)",
            report.score,
            ", ".join(sorted(report.rules)),
        )
        return draft(facts)
    return Draft(text=text, channel=facts.channel.name, source="llm")
