from __future__ import annotations

from starlette.datastructures import QueryParams

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


def test_it_drops_values_it_does_not_know() -> None:
    query = InboxQuery.from_params(QueryParams("status=nope&priority=9&owner=eve&cursor=-1"))
    assert query == InboxQuery()


def test_it_turns_me_and_open_into_a_case_filter() -> None:
    case_filter = InboxQuery(status="open", owner="me", priority="low").to_filter(user_id=7)
    assert set(case_filter.status) == set(OPEN)
    assert case_filter.priority == (Priority.LOW,)
    assert case_filter.owner_id == 7
    assert not case_filter.unassigned


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
