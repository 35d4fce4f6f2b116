"""Each rule of docs/reply-rules.md on replies written to break it, and on ones that do not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from amends.replies.channels import UnknownChannel, channel
from amends.replies.checker import check
from amends.replies.findings import Severity
from amends.replies.situation import ReplyContext

GOOD_EMAIL = (
    "Hi Ana,\n\nThank you for telling us that your blender arrived with a cracked jug. "
    "I can imagine how frustrating that is, and I'm sorry. I've sent a replacement today; "
    "it will reach you by Friday, and I'll email you the tracking number within 24 hours.\n\n"
    "Best wishes,\nSam"
)
COMPLAINT = "My blender arrived with a cracked jug and nobody answers the phone."


def rules(text: str, where: str = "email", **context: object) -> set[str]:
    return check(text, where, ReplyContext(**context)).rules  # type: ignore[arg-type]


def test_a_good_email_has_no_findings() -> None:
    report = check(
        GOOD_EMAIL, "email", ReplyContext(customer_text=COMPLAINT, customer_name="Ana Silva")
    )
    assert report.findings == ()
    assert report.score == 100


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Please DM us.", "issue.unacknowledged"),
        ("We apologise. We'll refund the order today.", "empathy.missing"),
        ("Your order is on its way and will arrive Friday.", "apology.missing"),
        ("We're sorry if you feel let down by the delivery.", "apology.conditional"),
        ("We apologise for any inconvenience this may have caused.", "apology.conditional"),
        ("You should have read the delivery terms before ordering.", "blame.shifting"),
        ("The delay was due to circumstances beyond our control.", "blame.shifting"),
        ("As I already said, the refund was issued on Monday.", "tone.defensive"),
        ("With all due respect, the parcel was delivered.", "tone.defensive"),
        ("We guarantee this will never happen again.", "promise.over"),
        ("Sorry the order is late, that is frustrating.", "next_step.missing"),
        ("We apologise for any inconvenience. Your order ships Friday.", "phrase.robotic"),
        ("Your feedback is important to us and the order ships Friday.", "phrase.robotic"),
        ("Uh oh! Sorry the order is late, we'll check Friday.", "phrase.cheesy"),
        ("Sorry the order is late, that's frustrating. We'll check it.", "thanks.missing"),
        ("SORRY THE ORDER IS LATE. We'll check it today.", "style.shouting"),
        ("Sorry the order is late!! We'll check it today.", "style.shouting"),
    ],
)
def test_each_rule_finds_what_breaks_it(text: str, rule: str) -> None:
    assert rule in rules(text, "chat")


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Sorry to hear the order is late, that's frustrating.", "empathy.missing"),
        ("I'm sorry the order is late.", "apology.missing"),
        ("That's not the experience you should have had with your order.", "blame.shifting"),
        ("Our baggage service guarantee voucher is at the desk.", "promise.over"),
        ("Could you tell me the order number?", "next_step.missing"),
        ("Thanks for telling us about the order.", "thanks.missing"),
        ("Please DM us your iOS version and the app's error.", "style.shouting"),
        ("Hi! Thanks! Sorry about the order.", "style.shouting"),
    ],
)
def test_rules_let_alone_what_does_not_break_them(text: str, rule: str) -> None:
    assert rule not in rules(text, "chat")


def test_heart_rules_apply_to_the_first_reply_to_a_complaint_only() -> None:
    bare = "Could you send us your order number?"
    first = rules(bare, "chat", customer_text=COMPLAINT)
    later = rules(bare, "chat", customer_text=COMPLAINT, first_reply=False)
    praise = rules(bare, "chat", customer_text="Loved it, thanks!", complaint=False)
    heart = {"empathy.missing", "apology.missing", "thanks.missing"}
    assert heart <= first
    assert not heart & later
    assert not heart & praise


def test_the_specific_issue_is_what_the_customer_named() -> None:
    context = {"customer_text": "The hotel room smelled of smoke and the shower was broken."}
    assert "issue.unacknowledged" in rules(
        "I'm so sorry to hear this. Please DM us.", "twitter", **context
    )
    named = "I'm so sorry about the smoke in your room. Please DM us."
    assert "issue.unacknowledged" not in rules(named, "twitter", **context)


def test_a_customer_who_names_nothing_specific_is_not_owed_a_restatement() -> None:
    reply = "That's concerning. What happened?"
    assert "issue.unacknowledged" not in rules(reply, "twitter", customer_text="@brand you suck")


def test_public_replies_move_to_a_private_channel_and_emails_greet_and_sign_off() -> None:
    public = "I'm sorry your parcel is late, that's frustrating. We'll check it today."
    assert "channel.form" in rules(public, "twitter")
    assert "channel.form" not in rules(public + " Please DM us your order number.", "twitter")
    assert "channel.form" not in rules(GOOD_EMAIL, "email")
    unsigned = GOOD_EMAIL.replace("Best wishes,\nSam", "").replace("Hi Ana,\n\n", "")
    found = check(unsigned, "email").findings
    assert [f.message for f in found if f.rule == "channel.form"] == [
        "The email has no greeting.",
        "The email has no sign-off.",
    ]


def test_length_limits_follow_the_channel() -> None:
    long_tweet = "I'm sorry about the late parcel. Please DM us. " * 7
    over = [f for f in check(long_tweet, "x").findings if f.rule == "channel.length"]
    assert over
    assert over[0].severity is Severity.SEVERE
    assert "channel.length" not in rules(long_tweet, "email")
    assert "channel.length" in rules("Sorry! DM us.", "email")  # too curt for an email


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        ("Sorry Ana, we've emailed ana.silva@example.com about it. Please DM us.", "email"),
        ("Sorry, we'll call you on +44 20 7946 0958 today. Please DM us.", "phone"),
        ("Sorry, order 4481-2290-77 is refunded. Please DM us.", "order"),
    ],
)
def test_personal_data_never_goes_out_in_public(reply: str, kind: str) -> None:
    found = [f for f in check(reply, "twitter").findings if f.rule == "pii.public"]
    assert found
    assert kind in found[0].message
    assert found[0].severity is Severity.SEVERE
    assert "pii.public" not in rules(reply, "email")


def test_a_business_number_or_mailbox_is_not_personal_data() -> None:
    reply = "Sorry about this! Call us on 1-800-325-8224 or email support@example.com."
    assert "pii.public" not in rules(reply, "twitter")


def test_the_customers_known_details_and_full_name_are_personal_data() -> None:
    context = {"customer_name": "Ana Silva", "personal_values": ("AB-7731",)}
    found = check(
        "Sorry Ana Silva, AB-7731 is on its way. DM us.", "review", ReplyContext(**context)
    )  # type: ignore[arg-type]
    assert len([f for f in found.findings if f.rule == "pii.public"]) == 2


def test_a_phrase_said_earlier_in_the_thread_is_a_repeat() -> None:
    earlier = ("We're here to help you with anything you need. DM us.",)
    reply = "We're here to help you with anything you need, Ana."
    assert "phrase.repeated" in rules(reply, "chat", earlier_replies=earlier, first_reply=False)


def test_times_are_held_against_the_playbook() -> None:
    context = {"resolution_within": timedelta(days=2)}
    assert "promise.sla" in rules("I'll have your refund sorted within 5 days.", "chat", **context)
    assert "promise.sla" in rules("Your refund will be processed right away.", "chat", **context)
    assert "promise.sla" not in rules(
        "Your refund will be processed within 2 days.", "chat", **context
    )
    assert "promise.sla" not in rules("I'll have your refund sorted within 5 days.", "chat")


def test_email_and_chat_next_steps_need_a_time() -> None:
    assert "next_step.no_time" in rules("Sorry. We'll look into your order.", "email")
    assert "next_step.no_time" not in rules("Sorry. We'll look into your order by Friday.", "email")
    assert "next_step.no_time" not in rules("Sorry. We'll look into your order.", "twitter")


def test_the_name_is_used_where_it_is_known() -> None:
    assert "name.missing" in rules(
        GOOD_EMAIL.replace("Ana", "there"), "email", customer_name="Ana Silva"
    )
    assert "name.missing" not in rules(GOOD_EMAIL, "email", customer_name="Ana Silva")


def test_findings_point_at_the_words_in_what_the_agent_typed() -> None:
    text = "@ana99 Oops! we guarantee it ^JD"
    finding = next(f for f in check(text, "x").findings if f.rule == "promise.over")
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == "we guarantee"


def test_the_score_falls_with_each_finding_by_its_severity() -> None:
    assert check(GOOD_EMAIL, "email").score == 100
    bad = "We're sorry if you feel that way. You should have read our terms. It's guaranteed."
    assert check(bad, "email").score < 40


def test_a_reply_in_another_language_is_checked_only_by_the_rules_for_any_language() -> None:
    spanish = "Lamentamos mucho el retraso de tu pedido. Por favor envíanos un mensaje directo."
    report = check(spanish, "twitter")
    assert report.language == "es"
    assert not report.rules & {"empathy.missing", "apology.missing", "thanks.missing"}


def test_channels_have_aliases_and_unknown_ones_are_refused() -> None:
    assert channel("X").name == "twitter"
    assert channel("trustpilot").public
    with pytest.raises(UnknownChannel, match="unknown channel 'fax'"):
        channel("fax")


def test_the_json_shape_is_the_documented_one() -> None:
    public = check("Uh oh!", "x").public()
    assert set(public) >= {"score", "findings"}
    assert set(public["findings"][0]) == {"rule", "severity", "span", "message", "fix"}
