"""The playbook format: defaults, normal forms and refusals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from amends.playbooks.schema import (
    Acknowledge,
    EscalationRule,
    Remedy,
    Sla,
    SlaTarget,
    Strategy,
    When,
)
from amends.store.tables import Priority
from tests.playbooks.helpers import playbook


def refused(model: type[Any], data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        model.model_validate(data)


def test_one_name_where_a_list_is_expected_is_a_list_of_one_lower_cased() -> None:
    rules = playbook("p", match={"channel": "X", "keywords": ["Lost  Luggage", "lost luggage"]})
    assert rules.match.channel == ("x",)
    assert rules.match.keywords == ("lost luggage",)


def test_an_empty_list_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 1 item"):
        playbook("p", match={"category": []})


def test_a_cap_of_one_amount_applies_to_every_priority() -> None:
    remedy = Remedy.model_validate({"kind": "refund", "cap": 20})
    assert {remedy.cap_for(p) for p in Priority} == {Decimal(20)}


def test_a_priority_left_out_takes_the_cap_of_the_nearest_named_below() -> None:
    remedy = Remedy.model_validate({"kind": "voucher", "cap": {"normal": 20, "critical": 100}})
    caps = [remedy.cap_for(p) for p in Priority]
    assert caps == [Decimal(20), Decimal(20), Decimal(20), Decimal(100)]


def test_an_apology_takes_no_cap_and_a_currency_needs_one() -> None:
    refused(Remedy, {"kind": "apology", "cap": 5}, "apology costs no money")
    refused(Remedy, {"kind": "refund", "currency": "EUR"}, "no cap")
    refused(Remedy, {"kind": "refund", "cap": -1}, "greater than or equal to 0")


def test_a_remedy_kind_is_listed_once() -> None:
    with pytest.raises(ValidationError, match="refund is listed twice"):
        playbook("p", remedies=[{"kind": "refund"}, {"kind": "refund", "cap": 5}])


def test_business_hours_take_hours_and_minutes_not_days() -> None:
    refused(
        Sla,
        {
            "clock": "business_hours",
            "timezone": "Europe/London",
            "first_response": "4h",
            "resolution": "2d",
        },
        "a day of business hours is not 24 hours",
    )
    calendar = Sla.model_validate({"first_response": "4h", "resolution": "2d"})
    assert calendar.resolution == timedelta(days=2)


def test_business_hours_need_a_time_zone_and_calendar_time_no_hours() -> None:
    business = {"clock": "business_hours", "first_response": "4h", "resolution": "8h"}
    refused(Sla, business, "needs a timezone")
    refused(Sla, {**business, "timezone": "Mars/Olympus"}, 'unknown time zone "Mars/Olympus"')
    refused(
        Sla,
        {"first_response": "4h", "resolution": "8h", "hours": {"mon": "09:00-17:00"}},
        "hours count only with clock: business_hours",
    )


def test_opening_hours_are_read_per_weekday_with_defaults() -> None:
    sla = Sla.model_validate(
        {
            "clock": "business_hours",
            "timezone": "Europe/Paris",
            "hours": {"mon": ["08:00-12:00", "13:00-24:00"], "sat": "closed"},
            "holidays": ["2026-05-01"],
            "first_response": "4h",
            "resolution": "8h",
        }
    )
    calendar = sla.calendar
    assert calendar.week[0] == ((480, 720), (780, 1440))
    assert calendar.week[1:] == ((),) * 6
    assert calendar.holidays == frozenset({date(2026, 5, 1)})
    default = Sla.model_validate(
        {"clock": "business_hours", "timezone": "UTC", "first_response": "1h", "resolution": "2h"}
    )
    assert default.calendar.week == (((540, 1020),),) * 5 + ((), ())


@pytest.mark.parametrize("hours", ["9-17", "09:00-25:00", "17:00-09:00", "24:00-24:00"])
def test_opening_hours_are_refused_when_not_a_daytime_interval(hours: str) -> None:
    data = {"clock": "business_hours", "timezone": "UTC", "first_response": "1h"}
    with pytest.raises(ValidationError, match="hours"):
        Sla.model_validate({**data, "resolution": "2h", "hours": {"mon": hours}})


def test_resolution_cannot_come_before_first_response() -> None:
    refused(Sla, {"first_response": "4h", "resolution": "1h"}, "resolution is due before")


def test_acknowledgement_is_off_for_high_and_critical_unless_allowed() -> None:
    ack = Acknowledge()
    assert ack.delay_for(Priority.NORMAL) == timedelta(minutes=15)
    assert ack.delay_for(Priority.HIGH) is None
    assert ack.delay_for(Priority.CRITICAL) is None
    assert Acknowledge(high_priority=True).delay_for(Priority.CRITICAL) == timedelta(minutes=15)
    assert Acknowledge(enabled=False).delay_for(Priority.LOW) is None
    assert playbook("p").acknowledge.delay_for(Priority.LOW) is None


def test_escalation_conditions_have_a_short_form_and_one_kind_each() -> None:
    breached = EscalationRule.model_validate({"when": "sla_breached", "to": "team_lead"})
    assert breached.when.sla_breached == tuple(SlaTarget)
    repeat = When.model_validate({"repeat_within_days": 30})
    assert repeat.repeat_count == 2
    refused(When, {"risk_at_least": 80, "repeat_within_days": 30}, "exactly one")
    refused(When, {"risk_at_least": 80, "count": 3}, "count goes with repeat_within_days")
    refused(When, {"repeat_within_days": 30, "count": 1}, "greater than or equal to 2")
    refused(EscalationRule, {"when": "sla_late", "to": "manager"}, 'unknown condition "sla_late"')


def test_assign_defaults_to_least_loaded_with_no_skills() -> None:
    assign = playbook("p", assign={"team": "care"}).assign
    assert assign is not None
    assert (assign.strategy, assign.skills, assign.languages) == (Strategy.LEAST_LOADED, (), ())


def test_every_section_refuses_unknown_keys() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        playbook("p", assign={"team": "care", "stratgy": "round_robin"})
