from __future__ import annotations

from markupsafe import Markup

from amends.web.triage import Span, mark_pii, pii_spans, risk_factors, top_emotions


def test_it_marks_each_span_of_personal_data() -> None:
    marked = mark_pii("mail a@b.co now", [Span("email", 5, 11)])
    assert marked == Markup(
        'mail <mark class="pii" data-kind="email" title="personal data: email">a@b.co</mark> now'
    )


def test_it_escapes_the_text_around_and_inside_a_mark() -> None:
    text = "<i>x</i>1234&"
    marked = mark_pii(text, [Span("<card>", 8, 12)])
    assert marked == Markup(
        '&lt;i&gt;x&lt;/i&gt;<mark class="pii" data-kind="&lt;card&gt;" '
        'title="personal data: &lt;card&gt;">1234</mark>&amp;'
    )


def test_it_leaves_spans_that_do_not_fit_unmarked() -> None:
    spans = [Span("a", -1, 2), Span("b", 3, 3), Span("c", 2, 99), Span("d", 1, 4), Span("e", 2, 5)]
    assert str(mark_pii("abcdef", spans)) == (
        'a<mark class="pii" data-kind="d" title="personal data: d">bcd</mark>ef'
    )


def test_it_keeps_only_well_formed_stored_spans_in_text_order() -> None:
    stored = [
        {"kind": "phone", "start": 20, "end": 30},
        {"kind": "email", "start": 2, "end": 9},
        {"kind": "", "start": 0, "end": 1},
        {"kind": "card", "start": "3", "end": 5},
        {"kind": "card", "start": True, "end": 5},
        "junk",
    ]
    assert pii_spans(stored) == [Span("email", 2, 9), Span("phone", 20, 30)]


def test_it_orders_risk_factors_largest_first_and_skips_malformed_ones() -> None:
    stored = [
        {"name": "public_channel", "points": 10, "reason": "public post on x"},
        {"name": "legal", "points": 30, "reason": "lawyer"},
        {"name": "broken", "points": "many"},
        {"points": 5},
    ]
    assert [(f.name, f.points) for f in risk_factors(stored)] == [
        ("legal", 30),
        ("public_channel", 10),
    ]


def test_it_draws_the_strongest_emotions_only() -> None:
    emotions = {"anger": 0.7, "fear": 0.1, "joy": 0.02, "sadness": 0.3, "confusion": 0.2}
    drawn = top_emotions(emotions, {})
    assert [(e.name, e.probability) for e in drawn] == [
        ("anger", 0.7),
        ("sadness", 0.3),
        ("confusion", 0.2),
    ]
    assert top_emotions({"joy": 0.01}, {}) == []


def test_an_emotion_below_its_threshold_is_drawn_as_not_present() -> None:
    drawn = top_emotions({"gratitude": 0.06, "anger": 0.3}, {"gratitude": 0.5, "anger": 0.14})
    assert [(e.name, e.present) for e in drawn] == [("anger", True), ("gratitude", False)]
