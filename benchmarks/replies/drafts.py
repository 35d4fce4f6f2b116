"""Built-in drafts for 500 real complaints from the development sets, each routed by the
shipped playbooks and triaged as amends would, then scored by the checker; and how varied the
drafts are across all of them."""

from __future__ import annotations

import csv
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from amends.cases.playbook_set import current
from amends.cases.reply_facts import calendar_span, timing_of
from amends.config import Settings
from amends.playbooks.facts import ItemFacts
from amends.replies.channels import channel as channel_named
from amends.replies.checker import check
from amends.replies.draft import draft
from amends.replies.facts import CaseFacts
from amends.replies.situation import ReplyContext
from amends.replies.specifics import specifics
from amends.replies.wording import wording
from amends.triage.service import TriageInput, triage

#: Names for the customers, made up here: the data sets hold handles, not names.
FIRST = ("Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hiro", "Isla", "Jon")
LAST = ("Okafor", "Silva", "Nguyen", "Brown", "Kowalski", "Haddad", "Murphy", "Sato")


@dataclass(frozen=True, slots=True)
class Complaint:
    source: str
    channel: str
    text: str


def complaints(data: Path, total: int) -> list[Complaint]:
    """A fixed mix: airline tweets (X, Facebook), hotel reviews (review site), food reviews
    (email, chat) and CFPB narratives (email, phone)."""
    share = total // 10
    rng = random.Random(5)
    airline = _rows(
        data / "airline_tweets.dev.csv", lambda r: r["airline_sentiment"] == "negative", "text"
    )
    hotel = _rows(
        data / "tripadvisor_hotel_reviews.dev.csv", lambda r: r["Rating"] in ("1", "2"), "Review"
    )
    food = _rows(
        data / "amazon_fine_food_reviews.dev.csv", lambda r: r["Score"] in ("1", "2"), "Text"
    )
    cfpb = _rows(
        data / "cfpb_complaints.dev.csv",
        lambda r: r["has_narrative"] == "True",
        "Consumer complaint narrative",
    )
    plan = [
        ("airline", "twitter", airline, 3), ("airline", "facebook", airline, 1),
        ("tripadvisor", "review", hotel, 2), ("amazon", "email", food, 1), ("amazon", "chat", food, 1),
        ("cfpb", "email", cfpb, 1), ("cfpb", "phone", cfpb, 1),
    ]  # fmt: skip
    picked: list[Complaint] = []
    for source, channel, texts, parts in plan:
        picked += [Complaint(source, channel, t) for t in rng.sample(texts, share * parts)]
    return picked


def _rows(path: Path, keep: object, column: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle) if keep(row) and row[column].strip()]  # type: ignore[operator]


def report(data: Path, total: int) -> None:
    picked = complaints(data, total)
    settings = Settings()
    playbooks = current(settings)
    started = time.perf_counter()
    results = triage([TriageInput(text=c.text, channel=c.channel) for c in picked])
    scores, texts, findings = [], [], Counter[str]()
    for i, (complaint, result) in enumerate(zip(picked, results, strict=True)):
        facts = ItemFacts(
            text=complaint.text,
            channel=complaint.channel,
            category=result.category,
            sentiment=result.sentiment,
            emotions=result.emotions,
            risk=result.risk,
            priority=result.priority,
        )
        playbook = playbooks.match(facts).playbook
        sla = playbook.sla or playbooks.default.sla
        assert sla is not None
        timing = timing_of(sla)
        name = f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}" if i % 4 else None
        where = channel_named(complaint.channel)
        text = draft(
            CaseFacts(
                channel=where,
                complaint_text=complaint.text,
                customer_name=name,
                category=result.category,
                emotion=result.emotion,
                timing=timing,
                agent_name="Sam",
                business_name="Acme",
                seed=i,
            )
        ).text
        context = ReplyContext(
            customer_text=complaint.text,
            complaint=True,
            customer_name=name,
            personal_values=specifics(complaint.text).private,
            resolution_within=calendar_span(sla.resolution, business=timing.business_time),
        )
        checked = check(text, where, context)
        scores.append(checked.score)
        findings.update(checked.rules)
        texts.append(text)
    elapsed = time.perf_counter() - started
    print(f"\n## Built-in drafts for {len(picked)} real complaints\n")
    print(
        f"Mean checker score {mean(scores):.1f} (lowest {min(scores)}); {sum(s == 100 for s in scores)} of {len(scores)} score 100."
    )
    print(f"Triaged, drafted and checked in {elapsed:.1f} s.")
    if findings:
        print(
            "Findings on the drafts: "
            + ", ".join(f"{rule} {n}" for rule, n in findings.most_common())
        )
    for n in (2, 3, 4):
        print(f"Distinct {n}-grams / all {n}-grams across the drafts: {distinct(texts, n):.3f}")
    identical = len(texts) - len(set(texts))
    print(f"Identical drafts: {identical}")
    print("\nThree of them:")
    for text in texts[:: max(1, len(texts) // 3)][:3]:
        print("\n" + text)


def distinct(texts: list[str], n: int) -> float:
    grams = [
        tuple(w[i : i + n])
        for t in texts
        for w in [wording(t).words]
        for i in range(len(w) - n + 1)
    ]
    return len(set(grams)) / len(grams) if grams else 0.0
