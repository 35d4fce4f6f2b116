"""The demo: real public-domain CFPB complaints and a team of demo users.

`cfpb_complaints.csv` holds the complaints with a consumer narrative from the development half
of the CFPB Consumer Complaint Database sample in ../shared/data (US government data, public
domain; see README "Demo data").
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import as_file, files

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from amends.accounts import service as accounts
from amends.accounts import teams
from amends.config import Settings
from amends.ingest.importer import ImportRequest, ImportSummary, Progress, run_import
from amends.store.db import transaction
from amends.store.tables import Role, User

DEMO_SOURCE = "cfpb-demo"
DEMO_PASSWORD = "amends-demo"  # noqa: S105 - printed to the user on purpose; demo only


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    team: str | None = None  # a team of the example playbooks, whose new cases they are given
    skills: tuple[str, ...] = ()  # what that team's playbooks assign by


DEMO_USERS = (
    DemoUser("lead@demo.amends", "Lena Lead", Role.LEAD, team="priority-care"),
    DemoUser("agent@demo.amends", "Aaron Agent", Role.AGENT, team="billing", skills=("payments",)),
    DemoUser("manager@demo.amends", "Mia Manager", Role.MANAGER),
    DemoUser("admin@demo.amends", "Ada Admin", Role.ADMIN),
)


def ensure_users(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        existing = set(session.scalars(select(User.email)))
        for user in DEMO_USERS:
            if user.email not in existing:
                created = accounts.create_user(
                    session,
                    email=user.email,
                    name=user.name,
                    role=user.role,
                    password=DEMO_PASSWORD,
                )
                teams.join(session, user=created, team=user.team, skills=user.skills)


def load(
    factory: sessionmaker[Session], settings: Settings, progress: Progress | None = None
) -> ImportSummary:
    """Create the demo users and import the complaints; running it again adds nothing."""
    ensure_users(factory)
    with as_file(files(__package__) / "cfpb_complaints.csv") as path:
        request = ImportRequest(path=path, source=DEMO_SOURCE, preset="cfpb")
        return run_import(request, factory=factory, settings=settings, progress=progress)
