"""Each channel preset, end to end: its sample imports once, with the right fields, and its broken
rows land in a rejected file that imports once fixed."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.ingest.email_reader import read_mbox
from amends.ingest.importer import ImportRequest, ImportSummary, run_import
from amends.store.tables import FeedbackItem

SAMPLES = Path(__file__).parent / "samples"

Importer = Callable[..., ImportSummary]

SAMPLE_COUNTS = [
    ("google", "google_reviews.json", 6),
    ("trustpilot", "trustpilot_reviews.json", 5),
    ("x", "x_search.json", 5),
    ("appstore", "googleplay_reviews.csv", 5),
    ("appstore-apple", "apple_reviews.json", 4),
    ("email", "complaints.mbox", 4),
    ("email", "complaint.eml", 1),
]


def copy_sample(tmp_path: Path, name: str) -> Path:
    """Samples are imported from a copy: the rejected file is written next to the input."""
    target = tmp_path / name
    shutil.copyfile(SAMPLES / name, target)
    return target


@pytest.fixture
def import_file(factory: sessionmaker[Session], settings: Settings) -> Importer:
    def run(path: Path, preset: str = "auto", source: str = "test") -> ImportSummary:
        request = ImportRequest(path=path, source=source, preset=preset)
        return run_import(request, factory=factory, settings=settings)

    return run


def items_by_id(session: Session, source: str = "test") -> dict[str | None, FeedbackItem]:
    rows = session.scalars(select(FeedbackItem).where(FeedbackItem.source == source))
    return {item.external_id: item for item in rows}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(("preset", "sample", "count"), SAMPLE_COUNTS)
def test_it_imports_each_sample_once(
    import_file: Importer, tmp_path: Path, preset: str, sample: str, count: int
) -> None:
    path = copy_sample(tmp_path, sample)
    first = import_file(path, preset)
    assert (first.read, first.imported, first.rejected) == (count, count, 0)
    assert not path.with_name(f"{path.stem}.rejected{path.suffix}").exists()
    again = import_file(path, preset)
    assert (again.imported, again.duplicates) == (0, count)


@pytest.mark.parametrize(("preset", "sample", "count"), SAMPLE_COUNTS)
def test_it_detects_the_preset(
    import_file: Importer, tmp_path: Path, preset: str, sample: str, count: int
) -> None:
    summary = import_file(copy_sample(tmp_path, sample), "auto")
    assert summary.preset == preset
    assert summary.imported == count


def test_it_maps_google_reviews(import_file: Importer, tmp_path: Path, session: Session) -> None:
    import_file(copy_sample(tmp_path, "google_reviews.json"), "google")
    items = items_by_id(session)
    first = items["AbFvOqnW2TkQpB7sXc1dLr9e"]
    assert (first.channel, first.author, first.rating) == ("google", "Marta Kowalski", 1)
    assert first.posted_at == at("2025-03-08T10:14:22.415+00:00")
    assert first.location == "locations/5523017740912234"
    assert first.url is None
    assert items["AbFvOqpZ0aB9vLq4MxHs2Kcw"].author is None  # an anonymous reviewer
    assert items["AbFvOqrE5dJ1xPw7TgNn3Vyh"].rating is None  # STAR_RATING_UNSPECIFIED


def test_it_keeps_the_original_of_a_translated_google_review(
    import_file: Importer, tmp_path: Path, session: Session
) -> None:
    import_file(copy_sample(tmp_path, "google_reviews.json"), "google")
    items = items_by_id(session)
    assert items["AbFvOqh1cN6sWk2RfYbTg8Zp"].text.startswith("Der Akku vom E-Bike")
    assert items["AbFvOqs3Hq8cYt0UaLm6Rb2x"].text == (
        "Me ajustaron los frenos en diez minutos, muy amables."
    )
    assert "(Translated by Google)" in items["AbFvOqh1cN6sWk2RfYbTg8Zp"].raw


def test_it_maps_trustpilot_reviews(
    import_file: Importer, tmp_path: Path, session: Session
) -> None:
    import_file(copy_sample(tmp_path, "trustpilot_reviews.json"), "trustpilot")
    items = items_by_id(session)
    first = items["65f1c2a8e4b0a1d2c3e4f501"]
    assert (first.author, first.author_handle) == ("Grace Thompson", "5e8d1f0a9c2b3a0011d4e7f1")
    assert (first.email, first.rating, first.language) == ("grace.thompson@example.com", 1, "en")
    assert first.title == "Parcel marked delivered, never arrived"
    assert first.url == "https://www.trustpilot.com/reviews/65f1c2a8e4b0a1d2c3e4f501"
    assert first.posted_at == at("2025-03-12T15:31:08+00:00")
    assert (first.channel, first.business) == ("trustpilot", "ParcelPeak")
    porto = items["65f1c2a8e4b0a1d2c3e4f502"]
    assert (porto.email, porto.location, porto.language) == (None, "Porto depot", "pt")


def test_it_links_a_trustpilot_consumer_across_reviews(
    import_file: Importer, tmp_path: Path, session: Session
) -> None:
    import_file(copy_sample(tmp_path, "trustpilot_reviews.json"), "trustpilot")
    items = items_by_id(session)
    first, later = items["65f1c2a8e4b0a1d2c3e4f501"], items["65f1c2a8e4b0a1d2c3e4f504"]
    assert first.customer_id is not None
    assert later.customer_id == first.customer_id


def test_it_links_the_same_customer_across_trustpilot_and_email(
    import_file: Importer, tmp_path: Path, session: Session
) -> None:
    import_file(copy_sample(tmp_path, "trustpilot_reviews.json"), "trustpilot", "trustpilot")
    import_file(copy_sample(tmp_path, "complaints.mbox"), "email", "inbox")
    review = items_by_id(session, "trustpilot")["65f1c2a8e4b0a1d2c3e4f501"]
    message = items_by_id(session, "inbox")["CAF3x9k2Lp0QwErT7yU8iO0zZ@mail.example.com"]
    assert message.customer_id == review.customer_id


def test_it_maps_x_posts_with_their_authors(
    import_file: Importer, tmp_path: Path, session: Session
) -> None:
    import_file(copy_sample(tmp_path, "x_search.json"), "x")
    items = items_by_id(session)
    post = items["1899876543210987601"]
    assert (post.channel, post.author, post.author_handle) == ("x", "Tom Kerr", "tomkerr_dev")
    assert (post.author_reach, post.language) == (1843, "en")
    assert post.url == "https://x.com/tomkerr_dev/status/1899876543210987601"
    assert post.posted_at == at("2025-03-12T08:15:42+00:00")
    assert '"out for delivery" & still nothing' in post.text
    assert items["1899915566778899604"].author_reach == 15230
    assert items["1899920011223344605"].language is None  # "qme": media only
    assert items["1899920011223344605"].customer_id == items["1899881122334455602"].customer_id


def test_it_takes_the_whole_text_of_a_long_x_post(
    import_file: Importer, tmp_path: Path, session: Session
) -> None:
    import_file(copy_sample(tmp_path, "x_search.json"), "x")
    text = items_by_id(session)["1899903344556677603"].text
    assert text.endswith("If it turns up I will refuse it. Not impressed <sigh>")


def test_it_maps_the_google_play_report(
    import_file: Importer, tmp_path: Path, session: Session
) -> None:
    import_file(copy_sample(tmp_path, "googleplay_reviews.csv"), "appstore")
    items = items_by_id(session)
    first = items["gp:AOqpTOGq4b7XkPz1Lw9sYc3nV0dRtE2hUm8fJa5Qy"]
    assert (first.channel, first.product, first.rating) == ("appstore", "com.parcelpeak.app", 1)
    assert first.posted_at == at("2025-03-03T08:15:27+00:00")
    assert first.url is not None
    assert first.url.startswith("http://play.google.com/console/")
    assert items["gp:AOqpTOJt9d3ZmRb8Ny1uAe5pX2fTvG4jWo0hLc7Sa"].language == "pt"
    unlinked = items[None]  # no Review Link: deduplicated by its content
    assert (unlinked.language, unlinked.rating, unlinked.url) == ("de", 3, None)


def test_it_maps_app_store_connect_reviews(
    import_file: Importer, tmp_path: Path, session: Session
) -> None:
    import_file(copy_sample(tmp_path, "apple_reviews.json"), "appstore-apple")
    review = items_by_id(session)["00000047-8c3a-41f2-b3a5-000000a1b201"]
    assert (review.channel, review.author, review.rating) == ("appstore", "kiwi_runner", 1)
    assert (review.title, review.location, review.product) == (
        "Tracking stuck for days",
        "USA",
        "1459876543",
    )
    assert review.posted_at == at("2025-03-08T22:22:05+00:00")


def test_it_maps_email_messages(import_file: Importer, tmp_path: Path, session: Session) -> None:
    import_file(copy_sample(tmp_path, "complaints.mbox"), "email")
    items = items_by_id(session)
    first = items["CAF3x9k2Lp0QwErT7yU8iO0zZ@mail.example.com"]
    assert (first.channel, first.author, first.email) == (
        "email",
        "Grace Thompson",
        "grace.thompson@example.com",
    )
    assert first.title == "Parcel PP-20250310-88412 marked delivered but not here"
    assert first.posted_at == at("2025-03-10T18:20:33+00:00")
    german = items["20250311074502.3F2A1@mx.mueller.example"]
    assert (german.author, german.title, german.language) == (
        "Jörg Müller",
        "Beschädigte Sendung",
        "de",
    )
    assert german.text.startswith("Guten Tag,\n\ndas Paket kam heute völlig zerdrückt an")


def test_it_drops_quoted_history_but_keeps_the_raw_message(
    import_file: Importer, tmp_path: Path, session: Session
) -> None:
    import_file(copy_sample(tmp_path, "complaint.eml"), "email")
    item = items_by_id(session)["CAF3x9k2Lp0QwErT7yU8iO1pA@mail.example.com"]
    assert item.text.endswith("it was a birthday present.\n\nGrace")
    assert "Dear customer" not in item.text
    assert "In-Reply-To: <support-ticket-88412.1741788000@parcelpeak.example>" in item.raw
    assert "> Our records show" in item.raw


# --- broken rows: (preset, sample, good rows, {line: field named in _error}) -----------------

BROKEN = [
    ("google", "google_reviews_broken.json", 1, {15: "text", 26: "rating", 38: "posted_at"}),
    (
        "trustpilot",
        "trustpilot_reviews_broken.json",
        1,
        {25: "rating", 40: "text", 55: "posted_at"},
    ),
    ("x", "x_search_broken.json", 1, {11: "text", 19: "posted_at"}),
    (
        "appstore",
        "googleplay_reviews_broken.csv",
        1,
        {3: "rating", 4: "text", 5: "posted_at", 6: "Review Text"},
    ),
    ("email", "complaints_broken.mbox", 1, {11: "posted_at", 21: "text"}),
]

#: How a user would fix each kind of error, per preset: the key to set and a good value.
FIXES: dict[str, dict[str, tuple[str, Any]]] = {
    "google": {
        "text": ("comment", "Fixed: five stars after all."),
        "rating": ("starRating", "FIVE"),
        "posted_at": ("createTime", "2025-03-31T12:00:00Z"),
    },
    "trustpilot": {
        "text": ("text", "Fixed: the parcel never arrived."),
        "rating": ("stars", 5),
        "posted_at": ("createdAt", "2025-03-11T08:00:00Z"),
    },
    "x": {
        "text": ("text", "@ParcelPeak fixed text"),
        "posted_at": ("created_at", "2025-03-13T09:00:00.000Z"),
    },
    "appstore": {
        "rating": ("Star Rating", "5"),
        "text": ("Review Text", "Fixed: nothing works."),
        "posted_at": ("Review Submit Date and Time", "2025-03-31T11:00:00Z"),
        "Review Text": ("Review Text", "Cannot log in, the code never arrives"),
    },
}


def rejected_rows(path: Path, preset: str) -> list[dict[str, Any]]:
    """The rejected records with their `_line` and `_error`, whatever the file's shape."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
            return list(csv.DictReader(handle))
    if path.suffix == ".mbox":
        with path.open("rb") as stream:
            return [
                {"_line": r.data["x-amends-line"], "_error": r.data["x-amends-error"]}
                for r in read_mbox(stream)
            ]
    document = json.loads(path.read_text(encoding="utf-8"))
    return list(document["data" if preset == "x" else "reviews"])


def fix_json(path: Path, fixes: dict[str, tuple[str, Any]]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    rejected = [
        element
        for value in document.values()
        if isinstance(value, list)
        for element in value
        if isinstance(element, dict) and "_error" in element
    ]
    assert rejected, f"{path} holds no rejected elements"
    for element in rejected:
        key, value = fixes[element["_error"].split(":")[0]]
        element[key] = value
    path.write_text(json.dumps(document), encoding="utf-8")


def fix_csv(path: Path, fixes: dict[str, tuple[str, Any]]) -> None:
    rows = rejected_rows(path, "appstore")
    for row in rows:
        key, value = fixes[row["_error"].split(":")[0]]
        row[key] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def fix_mbox(path: Path) -> None:
    source = path.read_bytes()
    source = source.replace(b"Date: Thursday, the 45th of Smarch", b"Date: 13 Mar 2025 10:29 +0000")
    fixed_body = b"--zz9\nContent-Type: text/plain\n\nPhoto of the crushed box attached.\n\n--zz9\n"
    path.write_bytes(source.replace(b"--zz9\n", fixed_body, 1))


def fix(path: Path, preset: str) -> None:
    if preset == "email":
        fix_mbox(path)
    elif path.suffix == ".csv":
        fix_csv(path, FIXES[preset])
    else:
        fix_json(path, FIXES[preset])


@pytest.mark.parametrize(("preset", "sample", "good", "errors"), BROKEN)
def test_it_rejects_broken_rows_naming_line_and_field(
    import_file: Importer,
    tmp_path: Path,
    session: Session,
    preset: str,
    sample: str,
    good: int,
    errors: dict[int, str],
) -> None:
    summary = import_file(copy_sample(tmp_path, sample), preset)
    assert (summary.imported, summary.rejected) == (good, len(errors))
    assert len(items_by_id(session)) == good
    assert summary.rejected_file is not None
    rejected = rejected_rows(Path(summary.rejected_file), preset)
    found = {int(row["_line"]): str(row["_error"]).split(":")[0] for row in rejected}
    assert found == errors


@pytest.mark.parametrize(("preset", "sample", "good", "errors"), BROKEN)
def test_it_imports_the_rejected_file_once_fixed(
    import_file: Importer,
    tmp_path: Path,
    preset: str,
    sample: str,
    good: int,
    errors: dict[int, str],
) -> None:
    summary = import_file(copy_sample(tmp_path, sample), preset)
    assert summary.rejected_file is not None
    rejected = Path(summary.rejected_file)
    fix(rejected, preset)
    again = import_file(rejected, "auto")
    assert (again.preset, again.imported, again.rejected) == (preset, len(errors), 0)


def test_it_writes_a_rejected_eml_as_an_mbox(import_file: Importer, tmp_path: Path) -> None:
    message = (SAMPLES / "complaints_broken.mbox").read_bytes().split(b"\n\nFrom ")[2]
    path = tmp_path / "no_body.eml"
    path.write_bytes(message.partition(b"\n")[2])  # without its `From ` line
    summary = import_file(path, "auto")
    assert (summary.preset, summary.rejected) == ("email", 1)
    assert summary.rejected_file == str(tmp_path / "no_body.rejected.mbox")
    assert rejected_rows(Path(summary.rejected_file), "email") == [
        {"_line": "1", "_error": "text: missing or empty"}
    ]
    fix_mbox(Path(summary.rejected_file))
    assert import_file(Path(summary.rejected_file), "auto").imported == 1
