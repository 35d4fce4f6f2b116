"""Any CSV or JSON(L) whose columns are named like our fields; `--map` renames the rest."""

from __future__ import annotations

from amends.ingest.model import ITEM_FIELDS
from amends.ingest.presets import Preset

PRESET = Preset(
    name="generic",
    help="CSV, JSONL or JSON with our field names as columns (text, author, rating, posted_at…); "
    "use --map FIELD=COLUMN for others.",
    format="csv",
    channel="other",
    fields={name: name for name in ITEM_FIELDS},
)
