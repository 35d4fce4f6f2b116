"""Webhook sources: names that can travel in a header, and signed requests."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from amends.ingest import sources


@pytest.mark.parametrize("name", ["", "my shop", "café", "-leading", "x" * 101])
def test_it_refuses_a_name_that_cannot_travel_in_a_header(session: Session, name: str) -> None:
    with pytest.raises(sources.SourceError, match="source name"):
        sources.create_source(session, name=name, channel="web")


def test_it_gives_each_source_its_own_secret(session: Session) -> None:
    shop = sources.create_source(session, name="shop.eu", channel="Web")
    app = sources.create_source(session, name="app_reviews-2", channel="appstore")
    assert shop.channel == "web"
    assert shop.webhook_secret.startswith("whsec_")
    assert shop.webhook_secret != app.webhook_secret
    with pytest.raises(sources.SourceError, match="already exists"):
        sources.create_source(session, name="shop.eu", channel="web")
