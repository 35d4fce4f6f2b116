"""The playbook's automatic first reply (docs/playbooks.md#acknowledge): when a case's
ACKNOWLEDGE timer comes due and nobody has answered yet, amends tells the customer their
message arrived and when a person will answer.

It goes by email when the customer wrote from a private channel and amends has their address,
else to the connectors on the case's own channel; with neither, it is not sent and the timeline
says why. It is checked like every reply and never sent with a severe finding. It does not stop
the first-response clock: that measures people (docs/replies.md#sending)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from amends.cases import reply_basis, timers
from amends.cases.actor import SYSTEM
from amends.cases.events import EventKind
from amends.cases.playbook_set import PlaybookSet
from amends.cases.replying import NeedsConfirmation, ReplyRefused, ReplyRequest, send_reply
from amends.cases.service import record
from amends.config import Settings
from amends.notify.customer import connectors
from amends.replies.channels import CHANNELS, Channel, reply_channel
from amends.replies.draft import acknowledgement
from amends.store.tables import Case, CaseStatus, CaseTimer, Reply, ReplyRoute, TimerKind

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Way:
    channel: Channel
    route: ReplyRoute


def acknowledge_due(
    session: Session,
    *,
    playbooks: PlaybookSet,
    settings: Settings,
    now: datetime,
    limit: int,
    worker: str,
) -> int:
    """Send the acknowledgements due at `now` (up to `limit`), in the caller's transaction;
    return how many went out. Timers another worker holds are skipped."""
    due = timers.take_due(session, TimerKind.ACKNOWLEDGE, now=now, limit=limit)
    sent = 0
    for timer in due:
        case = session.get(Case, timer.case_id)
        done = case is not None and _acknowledge(session, case, playbooks, settings, now)
        sent += done
        values = {"fired_at": now, "fired_by": worker} if done else {"cancelled_at": now}
        session.execute(
            update(CaseTimer)
            .where(CaseTimer.id == timer.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return sent


def _acknowledge(
    session: Session, case: Case, playbooks: PlaybookSet, settings: Settings, now: datetime
) -> bool:
    if not _unanswered(session, case):
        return False
    basis = reply_basis.basis(session, case, playbooks=playbooks, settings=settings)
    way = _way(session, case, basis.email)
    if way is None:
        _skipped(session, case, "no way to reach the customer automatically")
        return False
    facts = basis.on(way.channel).facts
    text = acknowledgement(facts).text
    request = ReplyRequest(
        text=text, channel=way.channel.name, route=way.route, source="acknowledgement"
    )
    try:
        send_reply(
            session,
            case=case,
            actor=SYSTEM,
            request=request,
            playbooks=playbooks,
            settings=settings,
            now=now,
            automatic=True,
        )
    except (NeedsConfirmation, ReplyRefused) as refused:
        log.warning("case %s: the automatic acknowledgement was not sent: %s", case.id, refused)
        _skipped(session, case, f"the checker refused it: {refused}")
        return False
    return True


def _unanswered(session: Session, case: Case) -> bool:
    """Still new, nobody has answered, and nothing was sent: a late acknowledgement after a
    person's reply would read as a machine that did not notice."""
    replied = session.scalar(select(exists().where(Reply.case_id == case.id)))
    return case.status is CaseStatus.NEW and case.first_responded_at is None and not replied


def _way(session: Session, case: Case, email: str | None) -> _Way | None:
    channel = reply_channel(case.channel)
    if channel.private and email:
        return _Way(CHANNELS["email"], ReplyRoute.EMAIL)
    if channel.name != "email" and connectors(session):
        return _Way(channel, ReplyRoute.CONNECTOR)
    return None


def _skipped(session: Session, case: Case, reason: str) -> None:
    record(
        session,
        case_id=case.id,
        kind=EventKind.ACKNOWLEDGEMENT_SKIPPED,
        actor=SYSTEM,
        data={"reason": reason},
    )
