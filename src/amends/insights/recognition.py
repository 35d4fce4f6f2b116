"""Agent recognition: who recovers customers best, ranked by the quality of their recoveries
and shown beside their speed, never by speed alone (docs/insights.md#agent-recognition)."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.insights.metrics import Metrics
from amends.store.tables import User

#: An agent with fewer cases settled (recovered or not) is listed, not ranked: two lucky
#: cases are no standing.
MIN_SETTLED = 3


@dataclass(frozen=True, slots=True)
class Standing:
    user_id: int
    name: str
    metrics: Metrics
    quality: float | None  # 0–100; None when nothing to judge yet
    rank: int | None  # 1 is best; None when not ranked


def quality(metrics: Metrics) -> float | None:
    """The mean of what is known of: recovery rate, CSAT (share of 4–5), the mean reply-check
    score, and 1 − reopen rate, each on 0–1, as 0–100. Speed is not in it."""
    parts = [
        metrics.recovery_rate,
        metrics.csat,
        None if metrics.reply_score is None else metrics.reply_score / 100,
        None if metrics.reopen_rate is None else 1 - metrics.reopen_rate,
    ]
    known = [part for part in parts if part is not None]
    return round(100 * fmean(known), 1) if known else None


def standings(session: Session, by_agent: list[Metrics]) -> list[Standing]:
    """Every agent among `by_agent` (the report by agent): ranked ones first, best first."""
    rows = [m for m in by_agent if m.group not in (None, "(none)")]
    ids = [int(m.group) for m in rows if m.group is not None]
    found = session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    names: dict[int, str] = dict(found.all())
    scored = [(m, quality(m)) for m in rows]
    ranked = sorted((pair for pair in scored if _rankable(*pair)), key=lambda pair: -(pair[1] or 0))
    unranked = [pair for pair in scored if not _rankable(*pair)]
    result = []
    for position, (m, score) in enumerate(ranked, start=1):
        result.append(_standing(m, score, names, position))
    for m, score in sorted(unranked, key=lambda pair: -pair[0].cases):
        result.append(_standing(m, score, names, None))
    return result


def _rankable(metrics: Metrics, score: float | None) -> bool:
    return score is not None and metrics.recovered + metrics.not_recovered >= MIN_SETTLED


def _standing(
    metrics: Metrics, score: float | None, names: dict[int, str], rank: int | None
) -> Standing:
    user_id = int(metrics.group or 0)
    return Standing(user_id, names.get(user_id, f"user {user_id}"), metrics, score, rank)
