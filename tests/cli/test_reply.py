"""`amends reply check|draft|send`, run as a user would run them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.accounts import service as accounts
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.db import make_engine
from amends.store.tables import Reply, Role
from tests.cli.inprocess import amends


def _seed(db: str) -> int:
    engine = make_engine(db)
    try:
        with Session(engine) as session, session.begin():
            accounts.create_user(session, email="ann@example.com", name="Ann", role=Role.AGENT)
            item = ItemIn(
                source="t",
                channel="twitter",
                text="My parcel never came, call me on 202-456-1414",
                raw="{}",
                rating=1,
            )
            outcome = pipeline.process(session, [item], Settings(database_url=db))
            return outcome.case_ids[outcome.item_ids[0]]
    finally:
        engine.dispose()


def test_check_prints_one_line_of_json(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    text = "We apologise for any inconvenience caused."
    result = amends("reply", "check", text, "--channel", "x", "--json", db=db, tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    report = json.loads(line)
    assert set(report) >= {"score", "findings"}
    robotic = next(f for f in report["findings"] if f["rule"] == "phrase.robotic")
    assert text[slice(*robotic["span"])] == "apologise for any inconvenience"


def test_check_names_an_unknown_channel(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    result = amends("reply", "check", "Hi", "--channel", "fax", db=db, tmp_path=tmp_path)
    assert result.exit_code == 2
    assert "unknown channel 'fax'" in result.output


def test_check_on_a_case_catches_the_customers_phone_number(fresh_db: str, tmp_path: Path) -> None:
    case_id = _seed(fresh_db)
    text = "So sorry! We'll ring you on 202-456-1414 today."
    result = amends(
        "reply",
        "check",
        text,
        "--channel",
        "x",
        "--case",
        str(case_id),
        "--json",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert result.exit_code == 0, result.output
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert "pii.public" in rules


def test_draft_and_send_a_reply_posted_by_hand(fresh_db: str, tmp_path: Path) -> None:
    case_id = _seed(fresh_db)
    drafted = amends("reply", "draft", str(case_id), "--json", db=fresh_db, tmp_path=tmp_path)
    assert drafted.exit_code == 0, drafted.output
    draft = json.loads(drafted.stdout)
    assert draft["channel"] == "twitter"
    assert "202-456-1414" not in draft["text"]
    assert draft["check"]["score"] >= 90
    text_file = tmp_path / "reply.txt"
    text_file.write_text(draft["text"], encoding="utf-8")
    sent = amends(
        "reply",
        "send",
        str(case_id),
        "--as",
        "ann@example.com",
        "--file",
        str(text_file),
        "--channel",
        "x",
        "--route",
        "posted",
        "--url",
        "https://x.com/shop/status/9",
        "--json",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert sent.exit_code == 0, sent.output
    assert json.loads(sent.stdout)["route"] == "posted"
    engine = make_engine(fresh_db)
    try:
        with Session(engine) as session:
            reply = session.scalars(select(Reply)).one()
            assert (reply.author, reply.posted_url) == ("Ann", "https://x.com/shop/status/9")
    finally:
        engine.dispose()


def test_send_stops_on_severe_findings_without_confirm(fresh_db: str, tmp_path: Path) -> None:
    case_id = _seed(fresh_db)
    text_file = tmp_path / "reply.txt"
    text_file.write_text("Sorry if you feel that way. DM us.", encoding="utf-8")
    args = [
        "reply",
        "send",
        str(case_id),
        "--as",
        "ann@example.com",
        "--file",
        str(text_file),
        "--channel",
        "x",
        "--route",
        "posted",
    ]
    refused = amends(*args, db=fresh_db, tmp_path=tmp_path)
    assert refused.exit_code == 2
    assert "apology.conditional" in refused.output
    assert "--confirm" in refused.output
    confirmed = amends(*args, "--confirm", db=fresh_db, tmp_path=tmp_path)
    assert confirmed.exit_code == 0, confirmed.output
