"""Checking a set for meaning: teams, labels, caps, shadowed playbooks, dead escalations."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from amends.playbooks.authority import AuthorityLimits
from amends.playbooks.check import RULES, check
from amends.store.tables import Role
from tests.playbooks.helpers import folder_with, write

CONTRADICTORY = """\
playbooks:
  - name: Anything about money
    match:
      category: [billing_and_refunds, other]
  - name: Delays
    match: {category: delay}
  - name: Angry about a double charge
    match:
      category: billing_and_refunds
      emotions: {present: anger}
"""


def messages(folder: Path) -> list[str]:
    return [str(problem) for problem in check(folder).problems]


def test_a_contradictory_set_names_the_playbook_that_can_never_match(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, CONTRADICTORY)
    result = check(folder)
    assert not result.ok
    (problem,) = result.problems
    assert (problem.file, problem.line, problem.column) == (str(folder / "playbooks.yaml"), 7, 5)
    assert problem.message == (
        'playbook "Angry about a double charge" can never match: "Anything about money" '
        f"({folder / 'playbooks.yaml'}:2) matches every item it would"
    )


def test_shadowing_is_found_across_files(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "playbooks: [{name: Everything, match: {}}]\n")
    write(folder, "zz-later.yaml", "playbooks: [{name: Too late, match: {channel: x}}]\n")
    (problem,) = check(folder).problems
    assert problem.file.endswith("zz-later.yaml")
    assert 'playbook "Too late" can never match: "Everything"' in problem.message


def test_the_same_playbooks_in_a_sensible_order_have_no_problem(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        "playbooks:\n"
        "  - name: Angry about a double charge\n"
        "    match: {category: billing_and_refunds, emotions: {present: anger}}\n"
        "  - name: Anything about money\n"
        "    match: {category: [billing_and_refunds, other]}\n",
    )
    result = check(folder)
    assert result.ok, result.problems
    assert [p.name for p in result.playbooks] == [
        "Angry about a double charge",
        "Anything about money",
    ]


def test_it_names_unknown_teams_with_a_suggestion(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "playbooks:\n  - name: a\n    assign: {team: biling}\n")
    assert messages(folder) == [
        f'{folder}/playbooks.yaml:3:20: assign.team: unknown team "biling" '
        '(did you mean "billing"?) (teams: billing, care)'
    ]
    (folder / "teams.yaml").unlink()
    assert "there is no teams.yaml in this folder" in messages(folder)[0]


def test_it_names_duplicate_teams_and_playbook_names(tmp_path: Path) -> None:
    teams = "teams:\n  - name: care\n  - name: care\n"
    folder = folder_with(tmp_path, "playbooks: [{name: Bags, match: {channel: x}}]\n", teams=teams)
    write(folder, "second.yaml", "playbooks:\n  - name: bags\n    match: {channel: email}\n")
    write(folder, "third.yaml", "playbooks:\n  - name: Default\n    match: {channel: web}\n")
    assert messages(folder) == [
        f"{folder}/second.yaml:2:11: name: this name is already used at {folder}/playbooks.yaml:1",
        f'{folder}/teams.yaml:3:11: name: team "care" is listed twice',
        f'{folder}/third.yaml:2:11: name: "default" is the built-in playbook',
    ]


def test_it_names_unknown_categories_and_emotions(tmp_path: Path) -> None:
    text = """\
    playbooks:
      - name: a
        match:
          category: [delay, lost_itm]
          emotions: {present: [anger, rage]}
    """
    folder = folder_with(tmp_path, text)
    assert messages(folder) == [
        f'{folder}/playbooks.yaml:4:25: match.category[1]: unknown category "lost_itm" '
        '(did you mean "lost_item"?)',
        f'{folder}/playbooks.yaml:5:35: match.emotions.present[1]: unknown emotion "rage" '
        '(did you mean "anger"?)',
    ]


def test_a_custom_taxonomy_replaces_the_built_in_categories(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "playbooks: [{name: a, match: {category: turbulence}}]\n")
    assert not check(folder).ok
    assert check(folder, categories=["turbulence", "catering"]).ok
    assert not check(
        folder_with(tmp_path / "2", "playbooks: [{name: a, match: {category: delay}}]\n"),
        categories=["turbulence"],
    ).ok


CAPS = """\
playbooks:
  - name: a
    remedies:
      - kind: refund
        cap: {normal: 100, high: 400, critical: 900}
      - kind: voucher
        cap: 600
      - kind: upgrade
        cap: 30
        currency: EUR
"""


def test_caps_above_every_roles_authority_are_problems(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, CAPS)
    assert messages(folder) == [
        f"{folder}/playbooks.yaml:5:49: remedies[0].cap.critical: refund cap 900 USD is above "
        "every role's authority (the most is 500, manager): no one could grant it",
        f"{folder}/playbooks.yaml:7:14: remedies[1].cap: voucher cap 600 USD is above every "
        "role's authority (the most is 500, manager): no one could grant it",
        f"{folder}/playbooks.yaml:10:19: remedies[2].currency: caps are in EUR but authority "
        "limits are in USD (AMENDS_AUTHORITY_CURRENCY); amends does not convert",
    ]


def test_caps_are_checked_against_the_configured_limits(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, CAPS)
    generous = AuthorityLimits.from_mapping({"agent": 50, "admin": 1000}, "EUR")
    assert check(folder, authority=generous).ok
    strict = AuthorityLimits.from_mapping({"agent": 10, "lead": 50}, "EUR")
    over = [p.field_path for p in check(folder, authority=strict).problems]
    assert over == ["remedies[0].cap.normal", "remedies[0].cap.high", "remedies[0].cap.critical",
                    "remedies[1].cap"]  # fmt: skip
    assert strict.highest == (Role.LEAD, Decimal(50))


def test_escalations_that_can_never_fire_are_problems(tmp_path: Path) -> None:
    text = """\
    playbooks:
      - name: calm
        match: {risk: {max: 40}}
        escalate:
          - when: {risk_at_least: 120}
            to: senior_review
          - when: {risk_at_least: 60}
            to: senior_review
          - when: {risk_at_least: 30}
            to: team_lead
          - when: {sla_breached: update_interval}
            to: team_lead
    """
    folder = folder_with(tmp_path, text)
    assert [(p.line, p.field_path, p.message) for p in check(folder).problems] == [
        (5, "escalate[0].when.risk_at_least", "risk is at most 100: 120 is never reached"),
        (
            7,
            "escalate[1].when.risk_at_least",
            "this playbook only takes risk up to 40, never 60",
        ),
        (
            11,
            "escalate[3].when.sla_breached",
            "the playbook's sla has no update_interval to breach",
        ),
    ]


def test_form_problems_and_meaning_problems_come_together_in_file_order(tmp_path: Path) -> None:
    text = """\
    playbooks:
      - name: a
        assign: {team: nobody}
      - name: b
        sla: {first_response: soon, resolution: 1d}
    """
    found = check(folder_with(tmp_path, text)).problems
    assert [(p.line, p.field_path) for p in found] == [
        (3, "assign.team"),
        (5, "sla.first_response"),
    ]


def test_every_rule_is_described() -> None:
    assert all(rule.help and rule.name for rule in RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)


def test_a_broken_reply_template_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        """\
        playbooks:
          - name: Parcels
            match: {keywords: [parcel]}
            templates:
              - name: First email
                text: "Hi {{ first_name }}, {{ coupon }}"
        """,
    )
    (problem,) = check(folder).problems
    assert (problem.file, problem.line) == (str(folder / "playbooks.yaml"), 6)
    assert "unknown variable 'coupon'" in problem.message


def test_follow_up_problems_name_their_line(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        "playbooks:\n"
        "  - name: Reviews\n"
        "    follow_up:\n"
        "      review_invitations:\n"
        "        google: https://g.page/r/example/review\n"
        "        yelp: https://www.yelp.com/writeareview/biz/example\n"
        "  - name: Late reminders\n"
        "    match: {channel: email}\n"
        "    follow_up: {reminders: [3d, 9d], close_after: 7d}\n",
    )
    found = [(p.line, p.message) for p in check(folder).problems]
    assert len(found) == 2
    (yelp_line, yelp), (late_line, late) = found
    assert yelp_line == 5  # the mapping of review_invitations
    assert "yelp: its rules forbid asking customers for reviews; write none" in yelp
    assert late_line == 9
    assert "close_after must come after the last reminder" in late


def test_an_unsatisfied_rule_is_a_condition(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        "playbooks:\n"
        "  - name: Care\n"
        "    escalate:\n"
        "      - {when: unsatisfied, to: manager}\n"
        "    follow_up: {review_invitations: {yelp: none, trustpilot: none}}\n",
    )
    result = check(folder)
    assert result.ok, result.problems
    (rule,) = result.playbooks[0].playbook.escalate
    assert rule.when.unsatisfied is True
