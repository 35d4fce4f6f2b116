"""Authority limits: how much compensation each role may grant without asking anyone.

The limits come from configuration (AMENDS_AUTHORITY_LIMITS, AMENDS_AUTHORITY_CURRENCY). A
role left out may grant what the role below it may; an agent left out may grant nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from amends.config import Settings
from amends.store.tables.users import Role


@dataclass(frozen=True, slots=True)
class AuthorityLimits:
    """Every role's limit, in one currency."""

    limits: Mapping[Role, Decimal]
    currency: str

    @classmethod
    def from_mapping(cls, given: Mapping[str, Decimal | int], currency: str) -> AuthorityLimits:
        limits, below = {}, Decimal(0)
        for role in Role:
            below = Decimal(given.get(role.value, below))
            limits[role] = below
        return cls(limits, currency)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> AuthorityLimits:
        """The configured limits; the settings' defaults when `settings` is None."""
        chosen = settings or Settings.model_construct()
        return cls.from_mapping(chosen.authority_limits, chosen.authority_currency)

    def limit(self, role: Role) -> Decimal:
        return self.limits[role]

    @property
    def highest(self) -> tuple[Role, Decimal]:
        """The most any role may grant, and the lowest role that may."""
        top = max(self.limits.values())
        return next((role, top) for role in Role if self.limits[role] == top)

    def may_grant(self, role: Role, amount: Decimal) -> bool:
        return amount <= self.limits[role]

    def approver_for(self, amount: Decimal) -> Role | None:
        """The lowest role that may grant `amount`, or None when no role may."""
        return next((role for role in Role if amount <= self.limits[role]), None)
