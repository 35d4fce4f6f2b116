"""Built-in drafts: HEART, the customer's specifics, the channel's form, varied wording."""

from __future__ import annotations

import csv
import re
from datetime import timedelta
from importlib.resources import files

import pytest

from amends.replies.channels import CHANNELS, channel
from amends.replies.checker import check
from amends.replies.draft import draft
from amends.replies.facts import CaseFacts, Timing
from amends.replies.situation import ReplyContext

COMPLAINT = "My suitcase came off flight UA 1234 yesterday with a broken handle. Order #ABX-55312."
TIMING = Timing(
    first_response=timedelta(hours=4),
    update_interval=timedelta(days=1),
    resolution=timedelta(days=3),
)


def facts(where: str = "email", **changes: object) -> CaseFacts:
    given: dict[str, object] = {
        "channel": channel(where),
        "complaint_text": COMPLAINT,
        "customer_name": "Ana Silva",
        "category": "damaged_or_defective",
        "emotion": "anger",
        "timing": TIMING,
        "agent_name": "Sam",
        "business_name": "Acme Air",
    }
    return CaseFacts(**(given | changes))  # type: ignore[arg-type]


def context(**changes: object) -> ReplyContext:
    given: dict[str, object] = {
        "customer_text": COMPLAINT,
        "customer_name": "Ana Silva",
        "personal_values": ("ABX-55312",),
        "resolution_within": TIMING.resolution,
    }
    return ReplyContext(**(given | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize("where", sorted(CHANNELS))
def test_drafts_pass_the_checker_on_every_channel(where: str) -> None:
    for seed in range(5):
        text = draft(facts(where, seed=seed)).text
        report = check(text, where, context())
        assert report.score >= 90, (text, report.findings)


def test_an_email_restates_the_specifics_the_customer_named() -> None:
    text = draft(facts()).text
    assert "Ana" in text
    assert "suitcase" in text
    assert "ABX-55312" in text
    assert "yesterday" in text
    assert "three days" in text


@pytest.mark.parametrize("where", ["twitter", "review", "instagram", "appstore"])
def test_a_public_draft_is_short_keeps_personal_data_out_and_moves_to_private(where: str) -> None:
    for seed in range(10):
        text = draft(facts(where, seed=seed)).text
        assert "ABX-55312" not in text
        assert "Silva" not in text
        assert len(text) <= channel(where).good_length
        assert "channel.form" not in check(text, where, context()).rules


def test_two_customers_with_the_same_problem_get_different_words() -> None:
    texts = {draft(facts(seed=seed)).text for seed in range(20)}
    assert len(texts) == 20


def test_the_same_seed_gives_the_same_draft() -> None:
    assert draft(facts(seed=3)).text == draft(facts(seed=3)).text


@pytest.mark.parametrize("channel", ["chat", "email"])
@pytest.mark.parametrize("seed", range(10))
def test_no_phrase_repeats_across_a_thread(channel: str, seed: int) -> None:
    thread: list[str] = []
    for _ in range(3):
        text = draft(facts(channel, earlier_replies=tuple(thread), seed=seed)).text
        report = check(
            text, channel, context(earlier_replies=tuple(thread), first_reply=not thread)
        )
        assert "phrase.repeated" not in report.rules, text
        thread.append(text)


def test_a_salutation_and_sign_off_are_no_repeated_phrase() -> None:
    letter = "Hi Ana,\n\n{body}\n\nKind regards,\nSam\nAcme Air"
    first = letter.format(body="Your refund went out this morning and should show by Friday.")
    second = letter.format(body="The courier has collected the old case; the new one ships today.")
    report = check(second, "email", context(earlier_replies=(first,), first_reply=False))
    assert "phrase.repeated" not in report.rules
    again = check(first, "email", context(earlier_replies=(first,), first_reply=False))
    assert "phrase.repeated" in again.rules


def test_a_call_script_opens_listens_and_checks_back() -> None:
    text = draft(facts("phone")).text
    labels = [line.split(":", 1)[0] for line in text.splitlines()]
    assert labels == ["Open", "Listen", "Empathise", "Apologise", "Next step", "Check", "Thank"]


def test_remedy_options_and_the_choice_link_are_offered() -> None:
    text = draft(
        facts(remedies=("replacement", "refund"), choice_link="https://amends.example/r/tok")
    ).text
    assert "a replacement or a full refund" in text
    assert "https://amends.example/r/tok" in text


def _demo_complaints() -> list[str]:
    with (files("amends.demo") / "cfpb_complaints.csv").open(encoding="utf-8") as handle:
        return [row["Consumer complaint narrative"] for row in csv.DictReader(handle)]


_STUTTER = re.compile(r"\b(\w+(?:\s+\w+){1,})\s+\1\b", re.IGNORECASE)


@pytest.mark.parametrize("category", ["other", "billing_and_refunds", "delay"])
def test_no_draft_for_a_demo_complaint_says_a_phrase_twice_running(category: str) -> None:
    stutters = []
    for seed, text in enumerate(_demo_complaints()):
        drafted = draft(facts(complaint_text=text, category=category, emotion=None, seed=seed))
        stutters += [found.group() for found in _STUTTER.finditer(drafted.text)]
    assert stutters == []


def test_a_word_that_only_describes_is_not_taken_for_the_customers_thing() -> None:
    text = "This was mentioned in my previous COMPLAINT and nothing changed."
    drafted = draft(facts(complaint_text=text, category="other", seed=4)).text
    assert "your previous" not in drafted
