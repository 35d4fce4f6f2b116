from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.cases import service
from amends.deps import actor_of
from amends.store.tables import CaseStatus, Priority, Sentiment, User
from tests.web.conftest import AddItem, MakeCase, TriagedCase, log_in

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
FACTORS = [
    {"name": "legal", "points": 30, "reason": 'legal threat: "my lawyer"'},
    {"name": "one_star", "points": 20, "reason": "1-star rating"},
    {"name": "public_channel", "points": 10, "reason": "public post on x"},
]


def test_it_escapes_script_in_customer_text(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case("<script>alert(1)</script>")
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_it_keeps_the_customers_line_breaks(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case("First line.\nSecond line.")
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert '<p class="said">First line.\nSecond line.</p>' in html


def test_it_shows_the_item_details(client: TestClient, alice: User, make_case: MakeCase) -> None:
    case = make_case(
        "Room was cold",
        rating=2,
        author="Ann Example",
        channel="google",
        url="https://maps.example.com/review/1",
    )
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "Ann Example" in html
    assert "★★☆☆☆" in html
    assert '<a href="https://maps.example.com/review/1" rel="noopener noreferrer nofollow"' in html


def test_it_links_only_to_http_urls(client: TestClient, alice: User, make_case: MakeCase) -> None:
    case = make_case("Bad link", url="javascript:alert(1)")
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "javascript:alert" not in html
    assert "Original" not in html


def test_it_shows_the_customers_other_items_and_cases(
    client: TestClient, alice: User, make_case: MakeCase, add_item: AddItem
) -> None:
    earlier = make_case("Card charged twice", email="ann@example.com", product="card")
    add_item("Lovely staff otherwise", email="ann@example.com", rating=5)
    case = make_case("App crashes", email="ann@example.com", product="app")
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert f'<a href="/cases/{earlier.id}">#{earlier.id} Card charged twice</a>' in html
    assert "Lovely staff otherwise" in html


def test_it_shows_the_timeline_with_actor_and_change(
    client: TestClient, session: Session, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    actor = actor_of(bob)
    service.transition(session=session, case=case, to=CaseStatus.INVESTIGATING, actor=actor)
    service.assign(session=session, case=case, owner_id=bob.id, actor=actor)
    service.add_note(session=session, case=case, text="Asked <logistics>", actor=actor)
    session.commit()
    log_in(client, bob)
    html = client.get(f"/cases/{case.id}").text
    assert "opened the case" in html
    assert "changed the status from new to <strong>investigating</strong>" in html
    assert "assigned the case to <strong>Bob</strong>" in html
    assert "Asked &lt;logistics&gt;" in html


def test_it_offers_only_the_allowed_transitions(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    offered = {part.split('"', 1)[0] for part in html.split('name="to" value="')[1:]}
    assert offered == {"acknowledged", "investigating", "remedy_offered", "closed"}


def test_it_shows_an_agent_someone_elses_case_without_actions(
    client: TestClient, session: Session, alice: User, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    service.assign(session=session, case=case, owner_id=bob.id, actor=actor_of(bob))
    session.commit()
    log_in(client, alice)
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200
    assert "Only its owner or a lead can change it" in response.text
    assert 'name="to"' not in response.text


def test_it_offers_assigning_others_to_leads_only(
    client: TestClient, alice: User, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    log_in(client, alice)
    assert 'id="owner-select"' not in client.get(f"/cases/{case.id}").text
    client.cookies.clear()
    log_in(client, bob)
    html = client.get(f"/cases/{case.id}").text
    assert 'id="owner-select"' in html
    assert f'<option value="{alice.id}"' in html


def test_it_answers_a_missing_case_with_a_404_page(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    response = client.get("/cases/999999")
    assert response.status_code == 404
    assert "case 999999 not found" in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_it_answers_a_malformed_case_id_with_a_page(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    response = client.get("/cases/abc")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")


def test_it_explains_why_an_item_is_critical(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    case = triaged_case(
        "My lawyer will hear of this", risk=75, priority=Priority.CRITICAL, factors=FACTORS
    )
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "<summary>Why is this critical? " in html
    assert "Risk <strong>75</strong> of 100 gives <strong>critical</strong> priority." in html
    factors = html.split('<ol class="factors">', 1)[1].split("</ol>", 1)[0]
    shown = [part.split("</li>", 1)[0] for part in factors.split("<li>")[1:]]
    assert shown == [
        '<span class="points">+30</span> <span class="factor">legal</span> '
        '<span class="reason">legal threat: &#34;my lawyer&#34;</span>',
        '<span class="points">+20</span> <span class="factor">one star</span> '
        '<span class="reason">1-star rating</span>',
        '<span class="points">+10</span> <span class="factor">public channel</span> '
        '<span class="reason">public post on x</span>',
    ]
    assert f'<details class="why risk-why" id="why-{_item_id(html)}" open>' in html


def test_it_says_when_the_factors_were_capped(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    factors = [{"name": "safety", "points": 35, "reason": "harm"}] * 3
    case = triaged_case("Fire!", risk=100, priority=Priority.CRITICAL, factors=factors)
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "the factors add up to 105, and the score stops at 100" in html


def test_it_shows_the_case_risk_and_links_to_the_riskiest_item(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    case = triaged_case("Lawyer", risk=75, priority=Priority.CRITICAL, category="billing")
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    risk = html.split('<dd id="case-risk">', 1)[1].split("</dd>", 1)[0]
    assert risk.startswith(f'<a href="#why-{_item_id(html)}"')
    assert "<b>75</b> critical</span>" in risk
    assert "<dt>Category</dt><dd>billing</dd>" in html
    assert "<dt>Sentiment</dt><dd>negative · annoyance</dd>" in html


def test_it_shows_sentiment_category_language_and_emotions(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    emotions = {"anger": 0.81, "disappointment": 0.4, "gratitude": 0.01, "confusion": 0.2}
    case = triaged_case("Late again", category="delay", emotion="anger", emotions=emotions)
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert '<span class="sentiment-negative">negative</span> <span class="score">91%</span>' in html
    assert '<dd>delay <span class="score">74%</span></dd>' in html
    assert '<dd>en <span class="score">98%</span></dd>' in html
    drawn = html.split('<div class="emotions">', 1)[1].split("</ul>", 1)[0]
    names = [part.split("<", 1)[0] for part in drawn.split('<span class="name">')[1:]]
    assert names == ["anger", "disappointment", "confusion"]
    assert '<meter min="0" max="1" value="0.81" aria-hidden="true"></meter>' in drawn
    assert '<span class="score">81%</span>' in drawn


def test_it_says_no_emotion_is_clear_when_none_reaches_its_threshold(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    case = triaged_case("I will sue. Thank you.", emotion=None, emotions={"gratitude": 0.06})
    log_in(client, alice)
    drawn = client.get(f"/cases/{case.id}").text.split('<div class="emotions">', 1)[1]
    drawn = drawn.split("</ul>", 1)[0]
    assert '<p class="muted none-clear">None clear</p>' in drawn
    assert '<li class="absent"' in drawn


def test_it_escapes_a_risk_factor_reason(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    factors = [{"name": "legal", "points": 30, "reason": f"legal threat: {SCRIPT}"}]
    case = triaged_case("Hmm", risk=30, factors=factors)
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert f'<span class="reason">legal threat: {ESCAPED}</span>' in html
    assert SCRIPT not in html


def test_it_marks_personal_data_in_the_text(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    text = "Write to ann@example.com or call 0123 456 789."
    pii = [{"kind": "email", "start": 9, "end": 24}, {"kind": "phone", "start": 33, "end": 45}]
    case = triaged_case(text, pii=pii)
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    mark = '<mark class="pii" data-kind="{0}" title="personal data: {0}">'
    assert (
        f'<p class="said">Write to {mark.format("email")}ann@example.com</mark> '
        f"or call {mark.format('phone')}0123 456 789</mark>.</p>"
    ) in html
    assert "2 found:" in html
    assert '<span class="pii-kind">email</span>, <span class="pii-kind">phone</span>' in html


def test_it_keeps_marked_text_escaped(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    text = f"{SCRIPT} mail <b>me</b>@example.com {SCRIPT}"
    start = text.index("<b>")
    pii = [{"kind": "email", "start": start, "end": start + len("<b>me</b>@example.com")}]
    case = triaged_case(text, pii=pii)
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert SCRIPT not in html
    assert "<b>me</b>" not in html
    assert (
        f'<p class="said">{ESCAPED} mail <mark class="pii" data-kind="email" '
        f'title="personal data: email">&lt;b&gt;me&lt;/b&gt;@example.com</mark> {ESCAPED}</p>'
    ) in html


def test_it_says_when_an_item_was_not_triaged(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    case = triaged_case(f"Old {SCRIPT}", triaged=False)
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "Not triaged yet — run <code>amends triage --rescore</code>" in html
    assert f'<p class="said">Old {ESCAPED}</p>' in html
    assert 'class="why"' not in html


def test_it_shows_a_positive_item_without_risk_factors(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    case = triaged_case(
        "Thank you!", risk=0, priority=Priority.LOW, sentiment=Sentiment.POSITIVE, emotion=None
    )
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "<summary>Why is this low? " in html
    assert "No risk factor applies to this item." in html
    assert "none found" in html


def _item_id(html: str) -> int:
    return int(html.split('<article class="item', 1)[1].split('id="item-', 1)[1].split('"')[0])


def test_it_shows_the_playbook_and_why_it_matched(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case("I will sue you, my lawyer knows")
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert '<h2 id="playbook-title">Playbook: Safety, legal or press threat</h2>' in html
    assert '<dd id="case-team">priority-care</dd>' in html
    assert "<code>10-urgent.yaml:4</code>" in html
    assert "text contains &#34;sue&#34;</li>" in html
    assert "/src/amends/playbooks" not in html  # file names only, not the server's paths
    assert "applied the playbook <strong>Safety, legal or press threat</strong>" in html


def test_it_escapes_what_the_explanation_quotes(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case("Parcel never came", channel=SCRIPT)
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert f"channel &#34;{ESCAPED}&#34; is not in x, facebook" in html
    assert SCRIPT not in html


def test_a_case_opened_before_playbooks_says_so(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    case = triaged_case("Parcel never came", risk=20)
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert '<h2 id="playbook-title">Playbook: <span class="muted">none</span></h2>' in html
    assert "opened before playbooks were applied" in html
