"""Sending replies: checked first, kept with their score, threaded email through a real local
SMTP server, connector webhooks with retries through a real local HTTP receiver, replies posted
by hand, and the case's clocks moved by the first one."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from amends.cases import playbook_set
from amends.cases.actor import Actor
from amends.cases.replying import (
    NeedsConfirmation,
    ReplyRefused,
    ReplyRequest,
    Sent,
    replies_of,
    send_reply,
)
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.importer import ImportRequest, run_import
from amends.ingest.model import ItemIn
from amends.lib import clock
from amends.notify.deliver import deliver_due
from amends.store.tables import (
    Case,
    CaseStatus,
    Delivery,
    DeliveryStatus,
    Reply,
    ReplyRoute,
    TimelineEvent,
    User,
)
from tests.notify.helpers import add_endpoint
from tests.notify.servers import SmtpServer, WebhookReceiver

#: A customer's answer in an existing thread, as their mail program sends it.
COMPLAINT_EML = """\
Message-ID: <CAF3x9k2Lp0QwErT7yU8iO1pA@mail.example.com>
In-Reply-To: <support-ticket-88412.1741788000@parcelpeak.example>
References: <support-ticket-88412.1741782000@parcelpeak.example>
 <support-ticket-88412.1741788000@parcelpeak.example>
Date: Wed, 12 Mar 2025 16:03:05 +0000
From: Grace Thompson <grace.thompson@example.com>
To: ParcelPeak Support <help@parcelpeak.example>
Subject: Re: [Ticket #88412] Your parcel PP-20250310-88412
Content-Type: text/plain; charset="UTF-8"

This is terrible. Your courier left my parcel PP-20250310-88412 at the wrong house and
nobody has answered me in two days. I am furious: it was a birthday present.

Grace
"""

GOOD_EMAIL = """Hi Grace,

I'm so sorry your parcel PP-20250310-88412 went to the wrong door: that is not what a
birthday present deserves, and I understand how upsetting this is. I have opened a trace with
the courier today and will email you by Thursday 5pm with either the parcel's location or a
full refund, whichever you prefer.

Thank you for telling us about the photo; it helped us spot the mistake.

Best regards,
Sam"""

GOOD_TWEET = (
    "So sorry your parcel went astray, that's really frustrating. We're tracing it now: "
    "please DM us your order number and we'll update you within 24 hours. Thanks for your "
    "patience."
)


@pytest.fixture
def mail_settings(settings: Settings, smtp: SmtpServer) -> Settings:
    return settings.model_copy(
        update={
            "smtp_host": smtp.host,
            "smtp_port": smtp.port,
            "smtp_starttls": False,
            "mail_from": "amends@parcelpeak.example",
            "reply_from": "ParcelPeak Support <help@parcelpeak.example>",
        }
    )


def _email_case(
    session: Session, factory: sessionmaker[Session], settings: Settings, tmp_path: Path
) -> Case:
    path = tmp_path / "complaint.eml"
    path.write_text(COMPLAINT_EML, encoding="utf-8")
    request = ImportRequest(path=path, source="mail", preset="email")
    run_import(request, factory=factory, settings=settings)
    session.expire_all()
    return session.scalars(select(Case)).one()


def _tweet_case(session: Session, settings: Settings, text: str) -> Case:
    item = ItemIn(
        source="x",
        channel="twitter",
        text=text,
        raw="{}",
        external_id="1790000000000000001",
        author="Jo Rivers",
        author_handle="jorivers",
        email="jo.rivers@example.net",
        url="https://x.com/jorivers/status/1790000000000000001",
    )
    outcome = pipeline.process(session, [item], settings)
    session.commit()
    case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert case is not None
    return case


def _send(session: Session, case: Case, user: User, settings: Settings, **request: object) -> Sent:
    request["route"] = ReplyRoute(request["route"])
    sent = send_reply(
        session,
        case=case,
        actor=Actor(user.id, user.name),
        request=ReplyRequest(**request),  # type: ignore[arg-type]
        playbooks=playbook_set.current(settings),
        settings=settings,
    )
    session.commit()
    return sent


def _count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def test_an_email_reply_lands_in_the_customers_thread(
    session: Session,
    factory: sessionmaker[Session],
    mail_settings: Settings,
    smtp: SmtpServer,
    alice: User,
    tmp_path: Path,
) -> None:
    case = _email_case(session, factory, mail_settings, tmp_path)
    sent = _send(
        session, case, alice, mail_settings, text=GOOD_EMAIL, channel="email", route="email"
    )
    assert deliver_due(factory, settings=mail_settings).sent == 1

    [message] = smtp.inbox.messages
    assert message["To"] == "grace.thompson@example.com"
    assert message["From"] == "ParcelPeak Support <help@parcelpeak.example>"
    assert message["Subject"] == "Re: [Ticket #88412] Your parcel PP-20250310-88412"
    assert message["In-Reply-To"] == "<CAF3x9k2Lp0QwErT7yU8iO1pA@mail.example.com>"
    assert message["References"].split() == [
        "<support-ticket-88412.1741782000@parcelpeak.example>",
        "<support-ticket-88412.1741788000@parcelpeak.example>",
        "<CAF3x9k2Lp0QwErT7yU8iO1pA@mail.example.com>",
    ]
    assert message["Message-ID"].strip() == sent.reply.message_id
    assert message["Message-ID"].endswith("@parcelpeak.example>")
    assert message["Auto-Submitted"] is None
    assert message.get_content().replace("\r\n", "\n").strip() == GOOD_EMAIL


def test_a_retried_email_keeps_its_message_id(
    session: Session,
    factory: sessionmaker[Session],
    mail_settings: Settings,
    smtp: SmtpServer,
    alice: User,
    tmp_path: Path,
) -> None:
    case = _email_case(session, factory, mail_settings, tmp_path)
    down = mail_settings.model_copy(update={"smtp_port": smtp.port + 1 if smtp.port < 65535 else 1})
    sent = _send(
        session, case, alice, mail_settings, text=GOOD_EMAIL, channel="email", route="email"
    )
    assert deliver_due(factory, settings=down).retrying == 1
    later = clock.now() + timedelta(hours=1)
    assert deliver_due(factory, settings=mail_settings, now=later).sent == 1
    [message] = smtp.inbox.messages
    assert message["Message-ID"].strip() == sent.reply.message_id


def test_a_sent_reply_is_on_the_timeline_and_is_the_first_response(
    session: Session,
    factory: sessionmaker[Session],
    mail_settings: Settings,
    alice: User,
    tmp_path: Path,
) -> None:
    case = _email_case(session, factory, mail_settings, tmp_path)
    assert case.first_responded_at is None
    sent = _send(
        session, case, alice, mail_settings, text=GOOD_EMAIL, channel="email", route="email"
    )
    session.refresh(case)
    assert case.first_responded_at == sent.reply.sent_at
    assert case.status is CaseStatus.ACKNOWLEDGED
    event = session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == "case:reply:sent")
    ).one()
    assert event.actor == alice.name
    assert event.data["channel"] == "email"
    assert event.data["route"] == "email"
    assert event.data["author"] == alice.name
    assert event.data["score"] == sent.reply.score == sent.report.score
    assert sent.report.score >= 90, sent.report.public()


def test_a_second_reply_is_checked_against_the_first(
    session: Session,
    factory: sessionmaker[Session],
    mail_settings: Settings,
    alice: User,
    tmp_path: Path,
) -> None:
    case = _email_case(session, factory, mail_settings, tmp_path)
    _send(session, case, alice, mail_settings, text=GOOD_EMAIL, channel="email", route="email")
    again = _send(
        session, case, alice, mail_settings, text=GOOD_EMAIL, channel="email", route="email"
    )
    assert "phrase.repeated" in again.report.rules
    assert len(replies_of(session, case.id)) == 2


def test_severe_findings_need_confirmation_and_nothing_goes_without_it(
    session: Session,
    factory: sessionmaker[Session],
    mail_settings: Settings,
    alice: User,
    tmp_path: Path,
) -> None:
    case = _email_case(session, factory, mail_settings, tmp_path)
    rude = (
        "Hi Grace,\n\nWe're sorry if you feel upset, but you should have checked the door.\n\nSam"
    )
    with pytest.raises(NeedsConfirmation) as raised:
        _send(session, case, alice, mail_settings, text=rude, channel="email", route="email")
    session.rollback()
    assert {"apology.conditional", "blame.shifting"} <= raised.value.report.rules
    assert (_count(session, Reply), _count(session, Delivery)) == (0, 0)

    sent = _send(
        session,
        case,
        alice,
        mail_settings,
        text=rude,
        channel="email",
        route="email",
        confirmed=True,
    )
    assert sent.reply.confirmed
    assert {f["rule"] for f in sent.reply.findings} >= {"apology.conditional", "blame.shifting"}


def test_personal_data_never_leaves_in_a_public_reply(
    session: Session, settings: Settings, receiver: WebhookReceiver, alice: User
) -> None:
    complaint = "My parcel never came and nobody answers. Useless. Call me on 202-456-1414"
    case = _tweet_case(session, settings, complaint)
    add_endpoint(session, receiver.url, user_id=None, events=["reply"])
    leaks = [
        "Sorry about this! We've emailed jo.rivers@example.net with the details.",  # on record
        "Sorry about this! We'll ring you on 202-456-1414 today to sort it out.",  # in the tweet
        "Sorry! Your card 4111 1111 1111 1111 was refunded.",  # found by the checker alone
    ]
    for text in leaks:
        for route in ("connector", "posted"):
            with pytest.raises(ReplyRefused, match="personal data"):
                _send(
                    session,
                    case,
                    alice,
                    settings,
                    text=text,
                    channel="twitter",
                    route=route,
                    confirmed=True,
                )
            session.rollback()
    assert (_count(session, Reply), _count(session, Delivery)) == (0, 0)
    assert receiver.received == []


def test_a_connector_gets_the_reply_signed_and_retried_until_it_takes_it(
    session: Session,
    factory: sessionmaker[Session],
    settings: Settings,
    receiver: WebhookReceiver,
    alice: User,
) -> None:
    case = _tweet_case(session, settings, "Parcel lost AGAIN. Third time this year, I'm done.")
    connector = add_endpoint(session, receiver.url, user_id=None, events=["reply"])
    add_endpoint(session, receiver.url + "/everything", user_id=None)  # hears people's notices
    sent = _send(session, case, alice, settings, text=GOOD_TWEET, channel="x", route="connector")
    assert len(sent.delivery_ids) == 1
    receiver.fail_next(2)
    now = clock.now()
    for hours in (0, 1, 3):
        deliver_due(factory, settings=settings, now=now + timedelta(hours=hours))
    assert len(receiver.received) == 3
    assert all(got.path == "/hook" for got in receiver.received)
    got = receiver.received[-1]
    assert got.verifies(connector.secret)
    assert got.headers["X-Amends-Event"] == "reply"
    body = json.loads(got.body)
    assert body["event"] == "reply"
    assert body["case_id"] == case.id
    data = body["data"]
    assert data["text"] == GOOD_TWEET
    assert data["channel"] == "twitter"
    assert data["author"] == alice.name
    assert data["customer"] == {"name": "Jo Rivers", "handle": "jorivers"}
    assert data["in_reply_to"]["external_id"] == "1790000000000000001"
    assert data["in_reply_to"]["url"] == "https://x.com/jorivers/status/1790000000000000001"
    [shown] = replies_of(session, case.id)
    assert shown.delivery is DeliveryStatus.SENT


def test_without_a_connector_a_reply_is_posted_by_hand(
    session: Session, settings: Settings, alice: User
) -> None:
    case = _tweet_case(session, settings, "Parcel lost. Not impressed at all with you lot.")
    with pytest.raises(ReplyRefused, match="no connector"):
        _send(session, case, alice, settings, text=GOOD_TWEET, channel="x", route="connector")
    session.rollback()
    url = "https://x.com/parcelpeak/status/1790000000000000099"
    sent = _send(
        session,
        case,
        alice,
        settings,
        text=GOOD_TWEET,
        channel="x",
        route="posted",
        posted_url=url,
    )
    assert sent.delivery_ids == ()
    assert sent.reply.posted_url == url
    [shown] = replies_of(session, case.id)
    assert shown.delivery is None
    session.refresh(case)
    assert case.first_responded_at == sent.reply.sent_at


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        ({"channel": "x", "route": "email"}, "route"),
        ({"channel": "fax", "route": "posted"}, "channel"),
        ({"channel": "x", "route": "posted", "posted_url": "javascript:alert(1)"}, "posted_url"),
        ({"channel": "email", "route": "email", "text": "   "}, "text"),
    ],
)
def test_a_reply_that_cannot_go_as_asked_names_the_field(
    session: Session, settings: Settings, alice: User, request_: dict[str, str], field: str
) -> None:
    case = _tweet_case(session, settings, "Parcel lost and the app crashes when I ask.")
    with pytest.raises(ReplyRefused) as raised:
        _send(session, case, alice, settings, **({"text": GOOD_TWEET} | request_))
    assert raised.value.field == field


def test_an_email_reply_needs_an_address(session: Session, settings: Settings, alice: User) -> None:
    item = ItemIn(source="x", channel="twitter", text="Parcel lost, awful service.", raw="{}")
    outcome = pipeline.process(session, [item], settings)
    session.commit()
    case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert case is not None
    with pytest.raises(ReplyRefused, match="no email address"):
        _send(session, case, alice, settings, text=GOOD_EMAIL, channel="email", route="email")
