"""The reply templates of a playbook: those its file names, and those written or edited in the
web UI, which stand in for a file's template of the same name. Saving one tries it on an
example case and keeps the checker's verdict (docs/replies.md#templates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases.actor import Actor
from amends.cases.playbook_set import PlaybookSet
from amends.cases.reply_basis import ReplyBasis
from amends.lib import clock
from amends.playbooks.templates import TemplateProblem
from amends.replies.channels import Channel, UnknownChannel
from amends.replies.channels import channel as channel_named
from amends.replies.findings import Report
from amends.replies.templates import TemplateFailed, render, try_out
from amends.store.tables import SavedTemplate


class UnknownPlaybook(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class Template:
    playbook: str
    name: str
    channel: str | None
    text: str
    edited: bool  # written or changed in the web UI, not as the playbook file has it
    score: int | None = None
    findings: tuple[dict[str, Any], ...] = ()
    updated_at: datetime | None = None

    def fits(self, channel: Channel) -> bool:
        return self.channel is None or _channel_name(self.channel) == channel.name


@dataclass(frozen=True, slots=True)
class Saved:
    template: Template
    filled: str  # the template filled for the example case
    report: Report


def templates_of(session: Session, playbooks: PlaybookSet, playbook: str | None) -> list[Template]:
    """The playbook's templates by name: the file's, with the web UI's in their place."""
    name = playbooks.named(playbook).name
    found = {
        t.name: Template(name, t.name, t.channel, t.text, edited=False)
        for t in playbooks.named(playbook).templates
    }
    query = select(SavedTemplate).where(SavedTemplate.playbook == name)
    for row in session.scalars(query.order_by(SavedTemplate.name)):
        found[row.name] = Template(
            name,
            row.name,
            row.channel,
            row.text,
            edited=True,
            score=row.score,
            findings=tuple(row.findings),
            updated_at=row.updated_at,
        )
    return sorted(found.values(), key=lambda t: t.name.lower())


def find(session: Session, playbooks: PlaybookSet, playbook: str | None, name: str) -> Template:
    for template in templates_of(session, playbooks, playbook):
        if template.name == name:
            return template
    raise LookupError(f"no template {name!r} in playbook {playbooks.named(playbook).name!r}")


def save(
    session: Session,
    *,
    playbooks: PlaybookSet,
    playbook: str,
    name: str,
    channel: str | None,
    text: str,
    actor: Actor,
) -> Saved:
    """Keep the template as written; TemplateFailed when it cannot be filled (with the line),
    ValueError for a name or channel it cannot have. Checker findings never stop a save: they
    are shown to the author and kept with the template."""
    known = {c.name for c in playbooks.playbooks} | {playbooks.default.name}
    if playbook not in known:
        raise UnknownPlaybook(f"no playbook named {playbook!r}")
    name = _name(name)
    where = _channel(channel)
    filled, report = try_out(text, where or channel_named("email"))
    now = clock.now()
    row = session.scalar(
        select(SavedTemplate).where(SavedTemplate.playbook == playbook, SavedTemplate.name == name)
    )
    if row is None:
        row = SavedTemplate(playbook=playbook, name=name, created_at=now)
        session.add(row)
    row.channel = where.name if where else None
    row.text = text
    row.score = report.score
    row.findings = [f.public() for f in report.findings]
    row.updated_by_id = actor.user_id
    row.updated_at = now
    session.flush()
    template = Template(
        playbook,
        name,
        row.channel,
        text,
        edited=True,
        score=report.score,
        findings=tuple(row.findings),
        updated_at=now,
    )
    return Saved(template, filled, report)


def fill(template: Template, basis: ReplyBasis, *, case_id: int) -> str:
    """The template filled with a case's facts; TemplateFailed if it cannot be."""
    return render(template.text, basis.facts, case_id=case_id)


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ValueError("a template's name has 1 to 100 characters")
    return name


def _channel(name: str | None) -> Channel | None:
    if not name or not name.strip():
        return None
    try:
        return channel_named(name)
    except UnknownChannel as error:
        raise ValueError(str(error)) from None


def _channel_name(name: str) -> str | None:
    try:
        return channel_named(name).name
    except UnknownChannel:
        return None


__all__ = ["Saved", "Template", "TemplateFailed", "TemplateProblem", "UnknownPlaybook"]
