from __future__ import annotations

import re

from fastapi.testclient import TestClient

from amends.store.tables import User
from amends.web.templating import HTMX_VERSION, STATIC_DIR
from tests.web.conftest import log_in


def test_it_serves_the_vendored_htmx_and_its_licence(client: TestClient) -> None:
    script = client.get(f"/static/vendor/htmx-{HTMX_VERSION}.min.js")
    assert script.status_code == 200
    assert f'version:"{HTMX_VERSION}"' in script.text
    assert (STATIC_DIR / "vendor" / f"htmx-{HTMX_VERSION}.LICENSE").is_file()


def test_it_loads_scripts_and_styles_only_from_this_site(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    html = client.get("/cases").text
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(source.startswith("/static/") for source in sources)
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_it_has_no_inline_scripts_or_styles(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    html = client.get("/cases").text
    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html
    assert " on" + "click=" not in html
