"""Send the deliveries that are due: what the worker calls every few seconds, and
`amends notifications deliver` once.

Each delivery goes through three steps, and only the first and last touch the database:

1. **Claim**, one short transaction: take the oldest due row (`FOR UPDATE SKIP LOCKED` on
   PostgreSQL, so two workers take different rows; SQLite has one writer at a time), count the
   attempt and push `next_attempt_at` a lease ahead, so no other worker takes it meanwhile.
2. **Send**, with no transaction open: an SMTP or HTTP call of up to 10 seconds.
3. **Record**, one short transaction: sent, or the error and the next try, or dead.

Why not hold the row lock through the send: on SQLite a write transaction holds the whole
database's write lock, so every writer would wait for a slow webhook. The price of the lease is
at-least-once delivery: a worker that dies between sending and recording leaves the lease to
expire and the delivery is sent again, so receivers dedupe by `X-Amends-Delivery`.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.lib import clock
from amends.notify.message import DeliveryFailed, NotConfigured, Outgoing, scrub
from amends.notify.transports import TRANSPORTS
from amends.store.db import transaction
from amends.store.tables import Delivery, DeliveryStatus, WebhookEndpoint

log = logging.getLogger(__name__)

#: How long a claimed delivery is left to its worker: far longer than one send's timeouts.
LEASE = timedelta(minutes=5)
#: The longest wait between two tries, whatever delivery_max_attempts allows.
MAX_BACKOFF = timedelta(hours=6)


@dataclass(slots=True)
class DeliveryCounts:
    """What one call did: `retrying` failed and will be tried again, `dead` gave up."""

    sent: int = 0
    retrying: int = 0
    dead: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Claimed:
    outgoing: Outgoing
    attempts: int  # counting this one
    endpoint_gone: bool


def deliver_due(
    factory: sessionmaker[Session],
    *,
    settings: Settings,
    now: datetime | None = None,
    limit: int = 100,
    worker_name: str = "amends",
) -> DeliveryCounts:
    """Send up to `limit` pending deliveries due by `now` (default: the clock), one at a time,
    and return what became of them. Safe to run in several workers at once. `now` is also what
    the back-off and the lease count from."""
    now = now or clock.now()
    counts = DeliveryCounts()
    for _ in range(limit):
        claimed = _claim(factory, now)
        if claimed is None:
            break
        error, final = _try(claimed, settings)
        status = _record(factory, claimed, error, final=final, settings=settings, now=now)
        _count(counts, status)
        _log(claimed, status, error, settings, worker_name)
    return counts


#: Channels found off (no SMTP server set) in this process, said once each.
_OFF_SAID: set[str] = set()


def _claim(factory: sessionmaker[Session], now: datetime) -> _Claimed | None:
    """The oldest due delivery, leased to this call; None when nothing is due (or another
    worker took the row between our read and our update: the next round picks up the rest)."""
    with transaction(factory) as session:
        row = session.scalars(
            select(Delivery)
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            return None
        taken = session.execute(
            update(Delivery)
            .where(
                Delivery.id == row.id,
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.attempts == row.attempts,
            )
            .values(attempts=row.attempts + 1, next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        endpoint = session.get(WebhookEndpoint, row.endpoint_id) if row.endpoint_id else None
        return _Claimed(
            outgoing=_outgoing(row, endpoint),
            attempts=row.attempts + 1,
            endpoint_gone=endpoint is not None and not endpoint.is_active,
        )


def _outgoing(row: Delivery, endpoint: WebhookEndpoint | None) -> Outgoing:
    payload = row.payload or {}
    return Outgoing(
        id=row.id,
        event=row.event,
        channel=row.channel,
        case_id=row.case_id,
        recipient=row.recipient,
        summary=str(payload.get("summary", "")),
        data=dict(payload.get("data") or {}),
        attempted_at=clock.now(),
        secret=endpoint.secret if endpoint is not None else None,
    )


def _try(claimed: _Claimed, settings: Settings) -> tuple[str | None, bool]:
    """(None, …) when sent, else why not, scrubbed of every secret the send could have seen,
    and whether retrying is pointless."""
    outgoing = claimed.outgoing
    transport = TRANSPORTS.get(outgoing.channel)
    if transport is None:
        return f"no transport for channel {outgoing.channel!r}", True
    if claimed.endpoint_gone:
        return "the webhook endpoint was deactivated", True
    hidden = (outgoing.secret, outgoing.recipient, settings.smtp_password.get_secret_value())
    try:
        transport.send(outgoing, settings)
    except DeliveryFailed as exc:
        return scrub(str(exc), *hidden), isinstance(exc, NotConfigured)
    except Exception as exc:  # a bug in one send must count as a try, not wedge the queue
        return scrub(f"unexpected error: {type(exc).__name__}: {exc}", *hidden), False
    return None, False


def _record(
    factory: sessionmaker[Session],
    claimed: _Claimed,
    error: str | None,
    *,
    final: bool,
    settings: Settings,
    now: datetime,
) -> DeliveryStatus | None:
    """Store the outcome with a compare-and-set; None if the row moved on meanwhile (its lease
    ran out and another worker took it, or someone removed it)."""
    outgoing = claimed.outgoing
    mine = [Delivery.id == outgoing.id, Delivery.status == DeliveryStatus.PENDING]
    values: dict[str, object]
    if error is None:
        status, values = DeliveryStatus.SENT, {"sent_at": outgoing.attempted_at}
    else:
        mine.append(Delivery.attempts == claimed.attempts)
        status, values = _after_failure(claimed, error, final=final, settings=settings, now=now)
    with transaction(factory) as session:
        done = session.execute(
            update(Delivery)
            .where(*mine)
            .values(status=status, **values)
            .execution_options(synchronize_session=False)
        )
        return status if done.rowcount == 1 else None  # type: ignore[attr-defined]


def _after_failure(
    claimed: _Claimed, error: str, *, final: bool, settings: Settings, now: datetime
) -> tuple[DeliveryStatus, dict[str, object]]:
    if final or claimed.attempts >= settings.delivery_max_attempts:
        return DeliveryStatus.DEAD, {"last_error": error}
    wait = backoff(claimed.attempts, base_seconds=settings.delivery_backoff_seconds)
    return DeliveryStatus.PENDING, {"last_error": error, "next_attempt_at": now + wait}


def backoff(
    attempts: int, *, base_seconds: float, jitter: Callable[[], float] = random.random
) -> timedelta:
    """The wait after `attempts` failed tries: `base · 2^(attempts-1)`, capped at MAX_BACKOFF,
    of which a random half is taken off. Half, not all: the waits still grow try by try, and
    workers that failed together (an endpoint down) do not all come back together."""
    full = min(base_seconds * 2 ** max(attempts - 1, 0), MAX_BACKOFF.total_seconds())
    return timedelta(seconds=full * (1 - jitter() / 2))


def _count(counts: DeliveryCounts, status: DeliveryStatus | None) -> None:
    if status is DeliveryStatus.SENT:
        counts.sent += 1
    elif status is DeliveryStatus.PENDING:
        counts.retrying += 1
    elif status is DeliveryStatus.DEAD:
        counts.dead += 1


def _log(
    claimed: _Claimed,
    status: DeliveryStatus | None,
    error: str | None,
    settings: Settings,
    worker_name: str,
) -> None:
    # Ids and channels only: recipients are personal data or URLs that may carry tokens.
    outgoing = claimed.outgoing
    where = f"delivery {outgoing.id} ({outgoing.channel}, {outgoing.event}) by {worker_name}"
    tries = f"try {claimed.attempts} of {settings.delivery_max_attempts}"
    if status is DeliveryStatus.SENT:
        log.info("%s: sent", where)
    elif status is DeliveryStatus.PENDING:
        log.warning("%s: failed, %s, will retry: %s", where, tries, error)
    elif status is DeliveryStatus.DEAD and _off(outgoing.channel, settings):
        _say_off(outgoing.channel, error)
        log.debug("%s: not sent: %s", where, error)
    elif status is DeliveryStatus.DEAD:
        log.error("%s: failed, %s, gave up: %s", where, tries, error)
    else:
        log.warning("%s: taken over by another worker before its result was stored", where)


def _off(channel: str, settings: Settings) -> bool:
    """Whether the channel is switched off here: email with no SMTP server set (the demo)."""
    return channel in ("email", "customer_email") and not settings.smtp_host


def _say_off(channel: str, error: str | None) -> None:
    """Once per channel and process, not once per delivery: a demo with email off would
    otherwise print a failure for every notification its history makes."""
    if channel not in _OFF_SAID:
        _OFF_SAID.add(channel)
        log.warning(
            "%s deliveries are not sent (%s); each is kept as a dead letter "
            "(`amends notifications dead`), and no more of them are logged",
            channel,
            error,
        )
