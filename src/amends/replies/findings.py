"""What the checker reports: findings with a severity, and the score they leave."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Severity(enum.StrEnum):
    SEVERE = "severe"  # do not send as it is: the composer asks for confirmation
    WARNING = "warning"
    INFO = "info"


POINTS = {Severity.SEVERE: 30, Severity.WARNING: 12, Severity.INFO: 4}


@dataclass(frozen=True, slots=True)
class Finding:
    """`rule` is broken; `span` is where in the reply (start, end), or None for something
    missing from the whole reply."""

    rule: str
    severity: Severity
    message: str
    fix: str
    span: tuple[int, int] | None = None

    def public(self) -> dict[str, Any]:
        """The JSON shape `amends reply check --json` prints: a public interface."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "span": list(self.span) if self.span else None,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """`language` is the reply's (ISO 639-1, or `und`); in a language other than English only
    the rules that hold in any language ran."""

    score: int
    findings: tuple[Finding, ...]
    language: str = "en"

    @property
    def severe(self) -> bool:
        return any(f.severity is Severity.SEVERE for f in self.findings)

    @property
    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    def public(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "findings": [f.public() for f in self.findings],
            "language": self.language,
        }


def score(findings: tuple[Finding, ...]) -> int:
    return max(0, 100 - sum(POINTS[f.severity] for f in findings))
