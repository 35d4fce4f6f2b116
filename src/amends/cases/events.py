"""Timeline event tags. Stored as strings; the enum keeps the spelling in one place."""

from __future__ import annotations

import enum


class EventKind(enum.StrEnum):
    OPENED = "case:opened"
    ITEM_ADDED = "case:item:added"
    ROUTED = "case:routed"
    STATUS_CHANGED = "case:status:change"
    ASSIGNED = "case:assigned"
    NOTE_ADDED = "case:note:added"
