"""The example sets shipped with amends: valid, and routing as their comments say."""

from __future__ import annotations

from pathlib import Path

import pytest

from amends.config import Settings
from amends.playbooks.check import check
from amends.playbooks.examples import EXAMPLES_DIR, configured_folder
from amends.playbooks.facts import ItemFacts
from amends.playbooks.match import match
from amends.store.tables import Priority, Sentiment

SETS = ("ecommerce", "hospitality", "aviation")


@pytest.mark.parametrize("name", SETS)
def test_each_example_set_passes_check(name: str) -> None:
    result = check(EXAMPLES_DIR / name)
    assert result.problems == ()
    assert len(result.playbooks) >= 5
    assert {loaded.team.name for loaded in result.load.teams} >= {
        p.playbook.assign.team for p in result.playbooks if p.playbook.assign
    }


def test_the_examples_are_where_package_data_looks_for_them() -> None:
    files = sorted(path.relative_to(EXAMPLES_DIR) for path in EXAMPLES_DIR.rglob("*.*"))
    assert {file.parts[0] for file in files} == set(SETS)
    assert all(len(file.parts) == 2 and file.suffix == ".yaml" for file in files)


def test_the_configured_folder_defaults_to_the_ecommerce_set(tmp_path: Path) -> None:
    assert configured_folder(Settings.model_construct()) == EXAMPLES_DIR / "ecommerce"
    assert configured_folder(Settings.model_construct(playbooks_dir=tmp_path)) == tmp_path


def routed(name: str, facts: ItemFacts) -> tuple[str, str | None]:
    found = match(check(EXAMPLES_DIR / name).playbooks, facts)
    return found.playbook.name, found.playbook.assign.team if found.playbook.assign else None


def test_the_aviation_set_sends_a_missed_connection_before_a_plain_delay() -> None:
    missed = ItemFacts(text="We missed our connecting flight in Paris", category="delay")
    assert routed("aviation", missed) == ("Missed connection", "disruption")
    plain = ItemFacts(text="Three hours late, no information", category="delay")
    assert routed("aviation", plain) == ("Long delay", "disruption")


def test_the_ecommerce_set_answers_public_posts_before_their_topic() -> None:
    post = ItemFacts(
        text="Parcel lost AGAIN", channel="x", category="lost_item", sentiment=Sentiment.NEGATIVE
    )
    assert routed("ecommerce", post) == ("Public complaint", "social")
    email = ItemFacts(text="Parcel lost", channel="email", category="lost_item", risk=30)
    assert routed("ecommerce", email) == ("Lost parcel", "delivery")
    threat = ItemFacts(text="My lawyer will hear of this", channel="x", priority=Priority.HIGH)
    assert routed("ecommerce", threat) == ("Safety, legal or press threat", "priority-care")


def test_the_hospitality_set_puts_safety_first_and_leaves_the_rest_to_the_default() -> None:
    ill = ItemFacts(text="Food poisoning after the buffet", category="product_quality")
    assert routed("hospitality", ill) == ("Health or safety incident", "guest-relations")
    praise = ItemFacts(text="Lovely stay", category="other", sentiment=Sentiment.POSITIVE)
    assert routed("hospitality", praise) == ("default", None)
