"""Where a reply goes and what that place allows: one row per channel (docs/reply-rules.md)."""

from __future__ import annotations

from dataclasses import dataclass


class UnknownChannel(ValueError):
    def __init__(self, name: str) -> None:
        known = ", ".join(sorted({*CHANNELS, *ALIASES}))
        super().__init__(f"unknown channel {name!r}: use one of {known}")


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    public: bool
    limit: int | None  # characters the platform accepts; None: no limit (a call script)
    good_length: int  # longer than this reads as a wall of text there
    min_length: int = 0  # shorter than this is too curt for the channel
    label: str = ""

    @property
    def private(self) -> bool:
        return not self.public


CHANNELS: dict[str, Channel] = {
    c.name: c
    for c in (
        Channel("twitter", public=True, limit=280, good_length=280, label="X (Twitter)"),
        Channel("instagram", public=True, limit=2200, good_length=400, label="Instagram"),
        Channel("facebook", public=True, limit=8000, good_length=600, label="Facebook"),
        Channel("youtube", public=True, limit=10000, good_length=600, label="YouTube"),
        Channel("appstore", public=True, limit=5970, good_length=350, label="app store"),
        Channel("review", public=True, limit=4096, good_length=700, label="review site"),
        Channel("chat", public=False, limit=5000, good_length=1200, label="chat"),
        Channel(
            "email", public=False, limit=20000, good_length=3000, min_length=200, label="email"
        ),
        Channel("phone", public=False, limit=None, good_length=2500, label="phone call script"),
    )
}

ALIASES = {
    "x": "twitter",
    "tweet": "twitter",
    "google": "review",
    "trustpilot": "review",
    "yelp": "review",
    "tripadvisor": "review",
    "web": "chat",
    "sms": "chat",
    "app_store": "appstore",
    "play": "appstore",
    "googleplay": "appstore",
}


def channel(name: str) -> Channel:
    """The channel called `name` (any case, aliases included); UnknownChannel otherwise."""
    key = name.strip().lower()
    found = CHANNELS.get(ALIASES.get(key, key))
    if found is None:
        raise UnknownChannel(name)
    return found


def reply_channel(item_channel: str | None) -> Channel:
    """The channel to answer an item that came in on `item_channel`: the same place when
    amends knows it, otherwise email."""
    try:
        return channel(item_channel or "email")
    except UnknownChannel:
        return CHANNELS["email"]
