"""CFPB Consumer Complaint Database CSV export (the 18 official columns)."""

from __future__ import annotations

from typing import Any

from amends.ingest.model import Record
from amends.ingest.presets import Preset

#: `Submitted via` values, as the CFPB spells them, to our channel names.
SUBMITTED_VIA = {
    "web": "web",
    "web referral": "web",
    "referral": "referral",
    "phone": "phone",
    "postal mail": "mail",
    "fax": "fax",
    "email": "email",
}


def _adapt(record: Record) -> dict[str, Any]:
    data = dict(record.data)
    via = str(data.get("Submitted via") or "").strip().lower()
    data["_channel"] = SUBMITTED_VIA.get(via, via or "web")
    return data


PRESET = Preset(
    name="cfpb",
    help="CFPB consumer complaints CSV: narrative as text, `Submitted via` as channel, "
    "Company, Product and State kept.",
    format="csv",
    channel="web",
    reference="https://www.consumerfinance.gov/complaint/data-use/#field-reference",
    signature=frozenset({"Complaint ID", "Consumer complaint narrative", "Submitted via"}),
    fields={
        "external_id": "Complaint ID",
        "channel": "_channel",
        "text": "Consumer complaint narrative",
        "title": "Issue",
        "posted_at": "Date received",
        "product": "Product",
        "business": "Company",
        "location": "State",
    },
    adapt=_adapt,
)
