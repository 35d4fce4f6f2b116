"""CFPB Consumer Complaint Database CSV export (the 18 official columns).

A business receives these complaints through the CFPB's company portal, so their channel is
`cfpb`, a regulator (triage then adds the `regulator` risk factor). How the consumer reached the
CFPB (`Submitted via`: web, phone, referral…) stays in the raw row.
"""

from __future__ import annotations

from amends.ingest.presets import Preset

PRESET = Preset(
    name="cfpb",
    help="CFPB consumer complaints CSV: narrative as text, channel `cfpb`, "
    "Company, Product and State kept.",
    format="csv",
    channel="cfpb",
    reference="https://www.consumerfinance.gov/complaint/data-use/#field-reference",
    signature=frozenset({"Complaint ID", "Consumer complaint narrative", "Submitted via"}),
    fields={
        "external_id": "Complaint ID",
        "text": "Consumer complaint narrative",
        "title": "Issue",
        "posted_at": "Date received",
        "product": "Product",
        "business": "Company",
        "location": "State",
    },
)
