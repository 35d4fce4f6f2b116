from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from amends.ingest import sources
from amends.store.tables import Role, Source, User


@pytest.fixture
def source(session: Session) -> Source:
    """A webhook source named `shop` whose items come from the web."""
    created = sources.create_source(session, name="shop", channel="web")
    session.commit()
    return created


@pytest.fixture
def people(alice: User, bob: User, carol: User, dave: User) -> dict[Role, User]:
    """One persona per role, lowest first."""
    return {Role.AGENT: alice, Role.LEAD: bob, Role.MANAGER: carol, Role.ADMIN: dave}
