from __future__ import annotations

from starlette.datastructures import QueryParams

from amends.cases.queries import Order
from amends.cases.states import OPEN
from amends.store.tables import CaseStatus, Priority
from amends.web.inbox import InboxQuery


def test_it_reads_the_filters_from_the_url() -> None:
    query = InboxQuery.from_params(
        QueryParams("status=new&priority=high&channel=x&owner=me&q=+late++parcel&cursor=40")
    )
    assert query == InboxQuery(
        status="new", priority="high", channel="x", owner="me", q="late parcel", cursor=40
    )


def test_it_reads_the_triage_filters_and_the_sort_from_the_url() -> None:
    query = InboxQuery.from_params(
        QueryParams("category=billing&sentiment=negative&emotion=anger&min_risk=45&sort=risk")
    )
    assert query == InboxQuery(
        category="billing", sentiment="negative", emotion="anger", min_risk=45, sort=Order.RISK
    )


def test_it_drops_values_it_does_not_know() -> None:
    query = InboxQuery.from_params(QueryParams("status=nope&priority=9&owner=eve&cursor=-1"))
    assert query == InboxQuery()


def test_it_drops_triage_values_it_does_not_know() -> None:
    for params in (
        "sentiment=furious&min_risk=101&sort=oldest",
        "min_risk=-5&sort=RISK",
        "min_risk=4.5&cursor=%C2%B2",
        "min_risk=0&cursor=99999999999999999999",
    ):
        assert InboxQuery.from_params(QueryParams(params)) == InboxQuery(), params


def test_it_turns_me_and_open_into_a_case_filter() -> None:
    case_filter = InboxQuery(status="open", owner="me", priority="low").to_filter(user_id=7)
    assert set(case_filter.status) == set(OPEN)
    assert case_filter.priority == (Priority.LOW,)
    assert case_filter.owner_id == 7
    assert not case_filter.unassigned


def test_it_turns_the_triage_filters_into_a_case_filter() -> None:
    query = InboxQuery(category="delay", sentiment="negative", emotion="anger", min_risk=70)
    case_filter = query.to_filter(user_id=7)
    assert case_filter.category == ("delay",)
    assert case_filter.sentiment == ("negative",)
    assert case_filter.emotion == ("anger",)
    assert case_filter.min_risk == 70
    assert InboxQuery().to_filter(user_id=7).min_risk is None


def test_it_turns_unassigned_into_a_case_filter() -> None:
    case_filter = InboxQuery(status="closed", owner="unassigned").to_filter(user_id=7)
    assert case_filter.status == (CaseStatus.CLOSED,)
    assert case_filter.unassigned
    assert case_filter.owner_id is None


def test_it_links_to_itself_with_changes_and_without_defaults() -> None:
    query = InboxQuery(status="new", q="refund & more")
    assert query.link() == "/cases?status=new&q=refund+%26+more"
    assert query.link(cursor=12) == "/cases?status=new&q=refund+%26+more&cursor=12"
    assert InboxQuery().link() == "/cases"


def test_it_keeps_the_triage_filters_and_the_sort_in_its_links() -> None:
    query = InboxQuery(category="billing", emotion="anger", min_risk=45, sort=Order.RISK)
    assert query.link(cursor=9) == (
        "/cases?category=billing&emotion=anger&min_risk=45&sort=risk&cursor=9"
    )
    assert query.link(sort=Order.NEWEST) == "/cases?category=billing&emotion=anger&min_risk=45"


def test_it_offers_the_risk_the_url_asked_for() -> None:
    assert 45 in InboxQuery(min_risk=45).risk_steps()
    assert 45 not in InboxQuery().risk_steps()
