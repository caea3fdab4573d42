"""Report documents built with ``figures.monthly`` from hand-made counters."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from typing import Any

from complaints.domain.kpi import figures
from complaints.reference import default_catalogue

CATALOGUE = default_catalogue()
MONTH = "2026-11"
GENERATED = "2026-12-01T02:00:00+00:00"


def counters() -> dict[str, dict[str, int]]:
    return {
        "agency:DIST-1039": {"dispatched": 5, "ack_met": 3, "ack_missed": 1, "first_progress_met": 2,
                             "checkpoint_missed": 2, "completed": 2, "days_to_complete:2": 1,
                             "days_to_complete:3": 1, "reopened": 1, "reopened_by_citizen": 1},
        "agency:DEPT-PWD": {"dispatched": 2, "ack_met": 1, "first_progress_missed": 1, "escalations": 1},
        "agency:DIST-1001": {"handed_back": 1},  # nothing fell due: no on-time rate
        "centre": {"received": 10, "channel:web": 6, "channel:phone": 4, "routed_automatically": 3,
                   "dispatch_met": 8, "dispatch_missed": 1, "referred_hotline": 1, "closed_in_triage": 1},
        "category:road": {"received": 4, "completed": 1, "reopened": 1},
        "category:flooding": {"received": 6, "completed": 1},
        "district:1039": {"received": 3, "completed": 2},
    }  # fmt: skip


PREVIOUS = {"dispatched": 4, "completed": 2, "ack_met": 2, "ack_missed": 2, "ack_rate": 0.5, "first_progress_met": 0,
            "first_progress_missed": 0, "first_progress_rate": None, "checkpoint_met": 1, "checkpoint_missed": 1,
            "checkpoint_rate": 0.5, "median_business_days_to_complete": 3, "reopened": 1, "escalations": 0,
            "citizens_satisfied": 0, "citizens_unsatisfied": 0, "open_at_month_end": 5}  # fmt: skip


def document(counts=None, previous: Any = PREVIOUS, final: bool = True) -> dict[str, Any]:
    """The month's document from ``counts`` (by default ``counters()``, with DIST-1039's 3 open cases)."""
    open_at = {} if counts else {"agency:DIST-1039": 3, "district:1039": 3}
    doc = figures.monthly(MONTH, counts or counters(), open_at, CATALOGUE, previous, GENERATED, final)
    return json.loads(json.dumps(doc))  # as stored and served


def parse_csv(data: bytes) -> list[dict[str, Any]]:
    """The CSV read back into the JSON's types: empty → None, numbers as JSON numbers."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    text = ("agency_id", "name_th", "name_en")
    return [{k: (v if k in text else (json.loads(v) if v else None)) for k, v in row.items()} for row in rows]


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes, in order."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, attrs: dict[str, str | None] | None = None) -> list[dict[str, str | None]]:
        """The tags named ``tag`` with these attributes (a ``None`` value: the attribute is there)."""
        want = attrs or {}
        return [a for t, a in self.tags if t == tag and all(k in a and v in (None, a[k]) for k, v in want.items())]
