"""The case state machine. docs/cases.md is generated from TRANSITIONS; change both together."""

from __future__ import annotations

from amends.store.tables import CaseStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_OFFERED, S.CLOSED}),
    S.ACKNOWLEDGED: frozenset({S.INVESTIGATING, S.REMEDY_OFFERED, S.CLOSED}),
    S.INVESTIGATING: frozenset({S.REMEDY_OFFERED, S.REMEDY_DONE, S.CLOSED}),
    S.REMEDY_OFFERED: frozenset({S.REMEDY_ACCEPTED, S.INVESTIGATING, S.CLOSED}),
    S.REMEDY_ACCEPTED: frozenset({S.REMEDY_DONE, S.REMEDY_OFFERED}),
    S.REMEDY_DONE: frozenset({S.FOLLOW_UP, S.RECOVERED, S.NOT_RECOVERED}),
    S.FOLLOW_UP: frozenset({S.RECOVERED, S.NOT_RECOVERED, S.REOPENED, S.CLOSED}),
    S.RECOVERED: frozenset({S.CLOSED, S.REOPENED}),
    S.NOT_RECOVERED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_OFFERED, S.CLOSED}),
}

#: What each status means, for the docs and the UI's tooltips.
MEANING: dict[S, str] = {
    S.NEW: "Just opened; nobody has answered the customer yet.",
    S.ACKNOWLEDGED: "The customer has been told we heard them.",
    S.INVESTIGATING: "Facts are being gathered from the customer and internal teams.",
    S.REMEDY_OFFERED: "One or more remedies were offered; waiting for the customer's choice.",
    S.REMEDY_ACCEPTED: "The customer chose a remedy; it is being carried out.",
    S.REMEDY_DONE: "The remedy was carried out.",
    S.FOLLOW_UP: "Checking with the customer that the problem is really solved.",
    S.RECOVERED: "The customer confirmed they are satisfied.",
    S.NOT_RECOVERED: "The customer is not satisfied with the outcome.",
    S.CLOSED: "Nothing more to do.",
    S.REOPENED: "Opened again after an outcome or closing.",
}

OPEN: frozenset[S] = frozenset(set(S) - {S.RECOVERED, S.NOT_RECOVERED, S.CLOSED})


class IllegalTransition(ValueError):
    def __init__(self, current: S, target: S) -> None:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none"
        super().__init__(
            f"a case cannot go from {current.value!r} to {target.value!r}; from "
            f"{current.value!r} it may go to: {allowed}"
        )
        self.current = current
        self.target = target


def check(current: S, target: S) -> None:
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(current, target)


def allowed(current: S) -> list[S]:
    """The statuses reachable from `current`, in the order the enum lists them."""
    return [status for status in S if status in TRANSITIONS[current]]
