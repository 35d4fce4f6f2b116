from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

import pytest

from amends.triage.pii import PiiKind, PiiSpan, find_pii, iban_valid, luhn_valid, redact

K = PiiKind


def _found(text: str, **options: str) -> list[tuple[str, str]]:
    return [(span.kind.value, span.text) for span in find_pii(text, **options)]


def _luhn_complete(body: str) -> str:
    """`body` followed by the one check digit that makes it pass Luhn."""
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def _grouped(number: str) -> str:
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


# Emails


def test_it_finds_an_email_address() -> None:
    text = "Please write back to jane.doe+orders@mail.example.co.uk, not to the shop."
    assert _found(text) == [("email", "jane.doe+orders@mail.example.co.uk")]


def test_it_does_not_take_a_handle_for_an_email() -> None:
    assert _found("@united you lost my bag again") == []


# Phones


@pytest.mark.parametrize(
    "phone", ["415-555-0132", "(415) 555-0132", "+1 415 555 0132", "1-800-555-0199"]
)
def test_it_finds_us_phone_numbers(phone: str) -> None:
    assert _found(f"Call me back on {phone} after six.") == [("phone", phone)]


def test_it_finds_an_international_number_whatever_the_region() -> None:
    assert _found("My mobile is +33 6 12 34 56 78 while abroad.") == [
        ("phone", "+33 6 12 34 56 78")
    ]


def test_it_reads_national_numbers_in_the_given_region() -> None:
    text = "Ring the hotel on 020 7946 0018 please."
    assert _found(text, region="GB") == [("phone", "020 7946 0018")]
    assert _found(text, region="US") == []


def test_it_does_not_take_prices_dates_or_times_for_phones() -> None:
    text = "Paid $1,249.99 on 12/03/2024 at 10:45 for 2 nights, flight 1234 at gate 12."
    assert _found(text) == []


# Cards


@pytest.mark.parametrize(
    "card",
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "5555 5555 5555 4444",
        "3782 822463 10005",
        "6011 0009 9013 9424",
    ],
)
def test_it_finds_card_numbers_as_people_write_them(card: str) -> None:
    assert _found(f"They charged my card {card} twice.") == [("card", card)]


def test_it_ignores_a_card_shaped_number_that_fails_luhn() -> None:
    assert _found("They charged my card 4111 1111 1111 1112 twice.") == []


def test_it_ignores_digits_grouped_unlike_a_card() -> None:
    # 17 digits that pass Luhn, but in 3-7-7 groups like an Amazon order number.
    number = _luhn_complete("1121234567123456")
    assert luhn_valid(number)
    grouped = f"{number[:3]}-{number[3:10]}-{number[10:]}"
    assert PiiKind.CARD not in {span.kind for span in find_pii(f"see {grouped} here")}


def test_luhn_accepts_generated_numbers_and_rejects_every_single_digit_change() -> None:
    rng = random.Random(20240603)
    for _ in range(200):
        length = rng.randint(13, 19)
        body = str(rng.randint(1, 9)) + "".join(rng.choices("0123456789", k=length - 2))
        number = _luhn_complete(body)
        assert luhn_valid(number)
        assert [s.kind for s in find_pii(f"card {number} used")] == [K.CARD]
        position = rng.randrange(length)
        for digit in "0123456789":
            if digit != number[position]:
                changed = number[:position] + digit + number[position + 1 :]
                assert not luhn_valid(changed)
                assert K.CARD not in {s.kind for s in find_pii(f"card {changed} used")}


def test_a_grouped_generated_card_is_found_and_its_typo_is_not() -> None:
    rng = random.Random(7)
    for _ in range(50):
        number = _luhn_complete("4" + "".join(rng.choices("0123456789", k=14)))
        typo = number[:-1] + str((int(number[-1]) + 1) % 10)
        assert _found(f"card {_grouped(number)} ok") == [("card", _grouped(number))]
        assert _found(f"card {_grouped(typo)} ok") == []


# IBANs


def test_it_finds_an_iban_and_ignores_one_with_a_wrong_check() -> None:
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert _found("Refund to GB82 WEST 1234 5698 7654 32 please") == [
        ("iban", "GB82 WEST 1234 5698 7654 32")
    ]
    assert not iban_valid("GB82 WEST 1234 5698 7654 33")
    assert _found("Refund to GB82 WEST 1234 5698 7654 33 please") == []


# Order, booking and other references


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Where is order #123456?", "123456"),
        ("my order number is 2207-88431", "2207-88431"),
        ("booking ref ABC123 shows the wrong date", "ABC123"),
        ("confirmation code XYZ9KL was never emailed", "XYZ9KL"),
        ("Conf# Q7RT2M and still no seat", "Q7RT2M"),
        ("my PNR: QWERTY", "QWERTY"),
        ("record locator ZZKPLM was cancelled", "ZZKPLM"),
        ("ticket number 0012345678901 refund", "0012345678901"),
        ("case number 88123 has been open a month", "88123"),
        ("lost bag claim #4409917 please", "4409917"),
        ("Tracking ID TBA123456789000 says delivered", "TBA123456789000"),
    ],
)
def test_it_finds_references_after_their_keyword(text: str, value: str) -> None:
    assert _found(text) == [("order", value)]


@pytest.mark.parametrize(
    "text",
    [
        "MY BOOKING REFUND IS LATE",
        "CONFIRMATION CODE DOESNT WORK",
        "I want to order 2 more",
        "a Case 4-6pk of soda",
        "my reservation #neveragain",
        "flight UA1669 from gate B22",
        "my account XXXX1234 was closed",
    ],
)
def test_it_does_not_take_words_for_references(text: str) -> None:
    assert _found(text) == []


# Addresses


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Ship it to 742 Evergreen Terrace today", "742 Evergreen Terrace"),
        ("It went to 4500 N. Lake Shore Drive, Apt 12 instead", "4500 N. Lake Shore Drive, Apt 12"),
        (
            "Deliver to 12 Main St, Springfield, IL 62704 please",
            "12 Main St, Springfield, IL 62704",
        ),
        ("I'm in Columbus Ohio 43215 now", "Ohio 43215"),
        ("Send it to P.O. Box 1187 instead", "P.O. Box 1187"),
        ("Our flat is near SW1A 2AA in London", "SW1A 2AA"),
        ("Zip code: 30309 on the form", "30309"),
        ("Write to 221B Baker Street, London NW1 6XE", "221B Baker Street, London NW1 6XE"),
    ],
)
def test_it_finds_postal_addresses(text: str, address: str) -> None:
    assert _found(text) == [("address", address)]


@pytest.mark.parametrize(
    "text",
    [
        "I waited 5 minutes down the road",
        "Flight 3744 (N284WN) departs at noon",
        "We had 2 Big Macs on the way",
        "@12345 Main road closed",
    ],
)
def test_it_does_not_take_other_things_for_addresses(text: str) -> None:
    assert _found(text) == []


# Already redacted text


def test_it_treats_cfpb_style_x_runs_as_already_redacted() -> None:
    text = (
        "On XX/XX/XXXX I called XXXX at XXXX XXXX and wrote to XXXX@XXXX.com about account "
        "number XXXXXXXX, card ending XXXX, {$1200.00} owed."
    )
    assert _found(text) == []


# Spans and redaction

MIXED = (
    "Hi, I'm at 12 Main St, Springfield, IL 62704 (call 415-555-0132 or mail "
    "ann@example.org). Order #778812 was paid with 4111 1111 1111 1111; refund to "
    "GB82 WEST 1234 5698 7654 32. Bag claim #3526665682."
)


def test_it_reports_each_kind_once_in_a_mixed_message() -> None:
    assert _found(MIXED) == [
        ("address", "12 Main St, Springfield, IL 62704"),
        ("phone", "415-555-0132"),
        ("email", "ann@example.org"),
        ("order", "778812"),
        ("card", "4111 1111 1111 1111"),
        ("iban", "GB82 WEST 1234 5698 7654 32"),
        ("order", "3526665682"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        MIXED,
        "order 4111111111111111 and 4111111111111111@example.com",
        "call 415-555-0132415-555-0132 or 4155550132",
        "claim #4155550132 or ref 12 Main St 62704",
    ],
)
def test_spans_are_sorted_disjoint_and_point_into_the_text(text: str) -> None:
    spans = find_pii(text)
    assert spans == sorted(spans, key=lambda span: span.start)
    for before, after in itertools.pairwise(spans):
        assert before.end <= after.start
    assert all(text[span.start : span.end] == span.text for span in spans)


def test_redact_replaces_each_span_with_its_kind() -> None:
    text = "Mail ann@example.org or call 415-555-0132 about order #778812."
    assert redact(text, find_pii(text)) == "Mail [email] or call [phone] about order #[order]."


def test_redaction_is_idempotent() -> None:
    once = redact(MIXED, find_pii(MIXED))
    assert find_pii(once) == []
    assert redact(once, find_pii(once)) == once
    assert "[card]" in once
    assert "4111" not in once


def test_redact_without_spans_returns_the_text() -> None:
    assert redact(MIXED, []) == MIXED


def test_redact_refuses_overlapping_spans() -> None:
    spans = [PiiSpan(K.PHONE, 0, 5, "01234"), PiiSpan(K.ORDER, 3, 8, "34567")]
    with pytest.raises(ValueError, match="overlapping"):
        redact("0123456789", spans)


def test_it_opens_no_network_connection() -> None:
    assert [span.kind for span in find_pii("+33 6 12 34 56 78")] == [K.PHONE]


def test_scrubbed_cfpb_narratives_yield_no_contact_or_payment_data(shared_data: Path) -> None:
    with (shared_data / "cfpb_complaints.dev.csv").open(newline="", encoding="utf-8") as handle:
        texts = [row["Consumer complaint narrative"] for row in csv.DictReader(handle)]
    kinds = {span.kind for text in texts if text for span in find_pii(text)}
    assert not kinds & {K.EMAIL, K.PHONE, K.CARD, K.IBAN}
