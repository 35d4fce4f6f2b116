"""The table of channel presets: CLI choices, the docs and auto-detection all read it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from amends.ingest.channels import (
    appstore,
    appstore_apple,
    cfpb,
    email,
    generic,
    google,
    trustpilot,
    x,
)
from amends.ingest.model import Record
from amends.ingest.presets import Preset

PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        generic.PRESET,
        cfpb.PRESET,
        google.PRESET,
        trustpilot.PRESET,
        x.PRESET,
        appstore.PRESET,
        appstore_apple.PRESET,
        email.PRESET,
    )
}


def detect(first: Record | None) -> Preset:
    """The preset whose signature keys the first record carries; generic when none fits.

    The record was read without a preset, so from a JSON document's first list. When that is
    the wrong list (Trustpilot sends `links` before `reviews`), the other lists in the
    document are tried too, each only against presets that read records from that key.
    """
    if first is None:
        return PRESETS["generic"]
    for keys, list_key in _candidates(first):
        matches = [
            preset
            for preset in PRESETS.values()
            if preset.signature and preset.signature <= keys and list_key in (None, preset.list_key)
        ]
        if matches:
            return max(matches, key=lambda preset: len(preset.signature))
    return PRESETS["generic"]


def _candidates(first: Record) -> Iterator[tuple[set[str], str | None]]:
    yield set(first.data) | set(first.context), None
    for name, value in first.context.items():
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            yield set(value[0]) | (set(first.context) - {name}), name
