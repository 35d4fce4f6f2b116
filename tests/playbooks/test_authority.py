"""Authority limits from configuration: who may grant how much."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amends.config import REMEDY_KINDS, SettingsError, load_settings
from amends.playbooks.authority import AuthorityLimits
from amends.playbooks.schema import RemedyKind
from amends.store.tables import Role


def test_the_defaults_let_a_manager_grant_the_most() -> None:
    limits = AuthorityLimits.from_settings()
    assert [limits.limit(role) for role in Role] == [Decimal(n) for n in (25, 100, 500, 500)]
    assert limits.highest == (Role.MANAGER, Decimal(500))
    assert limits.currency == "USD"


def test_a_role_left_out_may_grant_what_the_role_below_may() -> None:
    limits = AuthorityLimits.from_mapping({"lead": 80, "admin": 2000}, "EUR")
    assert [limits.limit(role) for role in Role] == [Decimal(n) for n in (0, 80, 80, 2000)]


def test_it_finds_the_lowest_role_that_may_approve() -> None:
    limits = AuthorityLimits.from_settings()
    assert limits.may_grant(Role.AGENT, Decimal(25))
    assert not limits.may_grant(Role.AGENT, Decimal("25.01"))
    assert limits.approver_for(Decimal(30)) is Role.LEAD
    assert limits.approver_for(Decimal(501)) is None


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMENDS_AUTHORITY_LIMITS", '{"agent": 40, "manager": 1000}')
    monkeypatch.setenv("AMENDS_AUTHORITY_CURRENCY", "GBP")
    limits = AuthorityLimits.from_settings(load_settings())
    assert (limits.limit(Role.LEAD), limits.highest[1], limits.currency) == (
        Decimal(40),
        Decimal(1000),
        "GBP",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('{"intern": 5}', "unknown role 'intern'"),
        ('{"agent": 100, "lead": 50}', "cannot be below"),
        ('{"agent": -1}', "cannot be negative"),
    ],
)
def test_bad_limits_are_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv("AMENDS_AUTHORITY_LIMITS", value)
    with pytest.raises(SettingsError, match=f"AMENDS_AUTHORITY_LIMITS: .*{message}"):
        load_settings()


def test_a_currency_is_a_three_letter_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMENDS_AUTHORITY_CURRENCY", "euro")
    with pytest.raises(SettingsError, match="AMENDS_AUTHORITY_CURRENCY"):
        load_settings()


def test_by_default_refunds_take_a_lead_and_senior_callbacks_a_manager() -> None:
    limits = AuthorityLimits.from_settings()
    assert limits.may_grant(Role.AGENT, Decimal(20), RemedyKind.VOUCHER)
    assert not limits.may_grant(Role.AGENT, Decimal(20), RemedyKind.REFUND)
    assert limits.approver_for(Decimal(20), RemedyKind.REFUND) is Role.LEAD
    assert limits.approver_for(Decimal(0), RemedyKind.SENIOR_CALLBACK) is Role.MANAGER
    assert limits.kinds_of(Role.ADMIN) == limits.kinds_of(Role.MANAGER) == frozenset(RemedyKind)


def test_a_role_may_grant_the_kinds_of_the_roles_below_it() -> None:
    limits = AuthorityLimits.from_mapping(
        {"agent": 10, "manager": 100}, "USD", {"agent": ["apology"], "manager": ["refund"]}
    )
    assert limits.kinds_of(Role.LEAD) == {RemedyKind.APOLOGY}
    assert limits.kinds_of(Role.ADMIN) == {RemedyKind.APOLOGY, RemedyKind.REFUND}
    assert limits.approver_for(Decimal(5), RemedyKind.VOUCHER) is None


def test_kinds_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMENDS_AUTHORITY_KINDS", '{"agent": ["apology", "refund"]}')
    limits = AuthorityLimits.from_settings(load_settings())
    assert limits.may_grant(Role.AGENT, Decimal(5), RemedyKind.REFUND)
    assert not limits.may_grant(Role.MANAGER, Decimal(5), RemedyKind.VOUCHER)


@pytest.mark.parametrize(
    ("value", "message"),
    [('{"intern": ["apology"]}', "unknown role 'intern'"), ('{"agent": ["hug"]}', "'hug'")],
)
def test_bad_kinds_are_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv("AMENDS_AUTHORITY_KINDS", value)
    with pytest.raises(SettingsError, match=f"AMENDS_AUTHORITY_KINDS: .*{message}"):
        load_settings()


def test_the_settings_name_every_remedy_kind() -> None:
    assert set(REMEDY_KINDS) == {kind.value for kind in RemedyKind}
