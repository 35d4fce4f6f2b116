"""Authority limits: how much compensation, and of which kinds, each role may grant without
asking anyone.

The limits come from configuration (AMENDS_AUTHORITY_LIMITS, AMENDS_AUTHORITY_KINDS,
AMENDS_AUTHORITY_CURRENCY). A role left out may grant what the role below it may; an agent
left out may grant nothing. Kinds add up: a role may grant its own and every kind of the roles
below it, so a higher role may always do what a lower one may.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from amends.config import Settings
from amends.playbooks.schema import RemedyKind
from amends.store.tables.users import Role


def _default_kinds() -> dict[Role, frozenset[RemedyKind]]:
    return _cumulative(Settings.model_construct().authority_kinds)


def _cumulative(given: Mapping[str, Iterable[str]]) -> dict[Role, frozenset[RemedyKind]]:
    kinds, below = {}, frozenset[RemedyKind]()
    for role in Role:
        below = below | {RemedyKind(kind) for kind in given.get(role.value, ())}
        kinds[role] = below
    return kinds


@dataclass(frozen=True, slots=True)
class AuthorityLimits:
    """Every role's limit, in one currency, and the kinds of remedy it may grant."""

    limits: Mapping[Role, Decimal]
    currency: str
    kinds: Mapping[Role, frozenset[RemedyKind]] = field(default_factory=_default_kinds)

    @classmethod
    def from_mapping(
        cls,
        given: Mapping[str, Decimal | int],
        currency: str,
        kinds: Mapping[str, Iterable[str]] | None = None,
    ) -> AuthorityLimits:
        """Limits (and kinds) by role name; the default kinds when `kinds` is None."""
        limits, below = {}, Decimal(0)
        for role in Role:
            below = Decimal(given.get(role.value, below))
            limits[role] = below
        chosen = _default_kinds() if kinds is None else _cumulative(kinds)
        return cls(limits, currency, chosen)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> AuthorityLimits:
        """The configured limits; the settings' defaults when `settings` is None."""
        chosen = settings or Settings.model_construct()
        return cls.from_mapping(
            chosen.authority_limits, chosen.authority_currency, chosen.authority_kinds
        )

    def limit(self, role: Role) -> Decimal:
        return self.limits[role]

    def kinds_of(self, role: Role) -> frozenset[RemedyKind]:
        return self.kinds[role]

    @property
    def highest(self) -> tuple[Role, Decimal]:
        """The most any role may grant, and the lowest role that may."""
        top = max(self.limits.values())
        return next((role, top) for role in Role if self.limits[role] == top)

    def may_grant(self, role: Role, amount: Decimal, kind: RemedyKind | None = None) -> bool:
        """Whether `role` may grant `amount` (of `kind`, when given) on its own."""
        return amount <= self.limits[role] and (kind is None or kind in self.kinds[role])

    def approver_for(self, amount: Decimal, kind: RemedyKind | None = None) -> Role | None:
        """The lowest role that may grant `amount` (of `kind`), or None when no role may."""
        return next((role for role in Role if self.may_grant(role, amount, kind)), None)
