"""Users, passwords and API tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.accounts import service
from amends.store.tables import ApiToken, Role, User
from tests.conftest import PASSWORD


def test_it_stores_only_a_hash_of_the_password(session: Session) -> None:
    user = service.create_user(
        session, email=" Ann@Example.com ", name="Ann", role=Role.AGENT, password=PASSWORD
    )
    assert user.email == "ann@example.com"
    assert user.password_hash is not None
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("not-an-email", PASSWORD, "email"),
        ("two@@example.com", PASSWORD, "email"),
        ("ann@example.com", "", "password"),
        ("ann@example.com", "short", "password"),
    ],
)
def test_it_refuses_a_user_it_could_not_sign_in(
    session: Session, email: str, password: str, field: str
) -> None:
    with pytest.raises(service.AccountError) as caught:
        service.create_user(session, email=email, name="Ann", role=Role.AGENT, password=password)
    assert caught.value.field == field
    assert session.scalar(select(User.id)) is None


def test_an_email_can_belong_to_one_user_only(session: Session, alice: User) -> None:
    with pytest.raises(service.EmailTaken):
        service.create_user(session, email="ALICE@example.com", name="A", role=Role.LEAD)


def test_it_authenticates_by_password_only_an_active_user(session: Session, alice: User) -> None:
    assert service.authenticate(session, email="alice@example.com", password=PASSWORD) == alice
    assert service.authenticate(session, email="alice@example.com", password="wrong-pw") is None
    assert service.authenticate(session, email="nobody@example.com", password=PASSWORD) is None
    alice.is_active = False
    session.flush()
    assert service.authenticate(session, email="alice@example.com", password=PASSWORD) is None


def test_a_token_is_stored_hashed_and_stops_working_when_revoked(
    session: Session, alice: User
) -> None:
    row, token = service.create_token(session, user=alice, name="zapier")
    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert token.startswith(service.TOKEN_PREFIX)
    assert token not in stored
    assert service.user_for_token(session, token) == alice
    assert service.revoke_token(session, row.id)
    assert service.user_for_token(session, token) is None
    assert not service.revoke_token(session, row.id)
