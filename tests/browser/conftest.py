"""A real amends over HTTP and Debian's chromium driven by Playwright, for the browser journeys.

Each journey module defines `base_url` with `serving(settings, seed)`; `page` opens it.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import ConsoleMessage, Page, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from amends.app import create_app
from amends.config import Settings
from amends.store.db import make_engine, make_sessionmaker

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(
    settings: Settings, seed: Callable[[sessionmaker[Session], Settings], None]
) -> Iterator[str]:
    """amends serving `settings.database_url`, seeded by `seed`, over real HTTP in a thread."""
    engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    seed(factory, settings)
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, factory), host="127.0.0.1", port=port, log_level="warning", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive(), "amends stopped while starting"
        assert time.monotonic() < deadline, "amends did not start within 15 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        engine.dispose()


@pytest.fixture
def chromium() -> str:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests need chromium at {CHROMIUM} in CI")
        pytest.skip(f"no chromium at {CHROMIUM}; install Debian's chromium to run this journey")
    return str(CHROMIUM)


@pytest.fixture
def page(chromium: str, base_url: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base_url, viewport={"width": 1360, "height": 860})
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


@pytest.fixture
def screenshots(tmp_path: Path, backend: str) -> Path:
    folder = Path(os.environ.get("AMENDS_SCREENSHOT_DIR") or tmp_path) / backend
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def watch_for_problems(page: Page) -> list[str]:
    """Script errors, CSP violations and HTTP errors the page meets, as they happen."""
    problems: list[str] = []
    page.on("console", lambda message: _keep_errors(message, problems))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response", lambda r: problems.extend([f"{r.status} {r.url}"] if r.status >= 400 else [])
    )
    return problems


def _keep_errors(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type == "error":
        problems.append(message.text)
