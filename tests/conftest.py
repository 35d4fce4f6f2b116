"""Real databases for every test: SQLite and PostgreSQL, migrated once per xdist worker, each
test inside a transaction that is rolled back (warehouse's pattern)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from amends.accounts import service as accounts
from amends.app import create_app
from amends.config import Settings
from amends.store import migrate
from amends.store.db import make_engine
from amends.store.tables import Role, User
from tests.notify.servers import SmtpServer, WebhookReceiver, smtp_server, webhook_receiver

PG_URL = os.environ.get("AMENDS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]
PASSWORD = "correct-horse-battery"
SHARED_DATA = Path(
    os.environ.get("AMENDS_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)


def _pg_admin(*statements: str) -> None:
    engine = make_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _require_postgres() -> None:
    try:
        _pg_admin("select 1")
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and is not reachable at {PG_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")


def create_database(backend: str, name: str, folder: Path) -> str:
    """A new, migrated database; returns its URL."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / (name + '.db')}"
    else:
        _require_postgres()
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    return url


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        _pg_admin(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def db_url(backend: str, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[str]:
    url = create_database(
        backend, f"amends_test_{worker_id}_{os.getpid()}", tmp_path_factory.mktemp(backend)
    )
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits become savepoints inside the test's rolled-back transaction."""
    return sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as session:
        yield session


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, data_dir=tmp_path, env="dev")


@pytest.fixture
def fresh_db(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database of its own, committed to for real: for tests that run amends in a subprocess."""
    url = create_database(backend, f"amends_fresh_{uuid.uuid4().hex[:10]}", tmp_path)
    yield url
    drop_database(url)


def _persona(session: Session, name: str, role: Role) -> User:
    user = accounts.create_user(
        session, email=f"{name}@example.com", name=name.title(), role=role, password=PASSWORD
    )
    session.commit()
    return user


@pytest.fixture
def alice(session: Session) -> User:
    """An agent."""
    return _persona(session, "alice", Role.AGENT)


@pytest.fixture
def bob(session: Session) -> User:
    """A team lead."""
    return _persona(session, "bob", Role.LEAD)


@pytest.fixture
def carol(session: Session) -> User:
    """A CX manager."""
    return _persona(session, "carol", Role.MANAGER)


@pytest.fixture
def dave(session: Session) -> User:
    """An admin."""
    return _persona(session, "dave", Role.ADMIN)


@pytest.fixture
def client(settings: Settings, factory: sessionmaker[Session]) -> Iterator[TestClient]:
    with TestClient(create_app(settings, factory)) as test_client:
        yield test_client


def token_for(session: Session, user: User) -> dict[str, str]:
    """Authorization headers carrying a fresh API token for `user`."""
    _, token = accounts.create_token(session, user=user, name="test")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"../shared/data is required in CI and is missing at {SHARED_DATA}")
        pytest.skip(f"the public data sets are not on this machine (looked in {SHARED_DATA})")
    return SHARED_DATA


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on a free local port that keeps what it receives."""
    with smtp_server() as server:
        yield server


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """A real local HTTP server that checks webhook signatures and can be told to fail."""
    with webhook_receiver() as server:
        yield server
