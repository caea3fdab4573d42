"""The reference data bundled with the code: the seed agencies and categories, and a point
for each district (``data/districts.csv``, its source in ``data/README.md``).

A freshly deployed stack routes with these defaults, with no manual step.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from .domain.geo import DistrictPoint
from .domain.model import Agency, Category
from .domain.routing import Catalogue

DATA = Path(__file__).with_name("data")


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    agencies = [
        Agency(**{k: (v or None) for k, v in row.items()} | {"kind": row["kind"]}) for row in _rows("agencies.csv")
    ]
    categories = [
        Category(
            code=row["code"],
            name_th=row["name_th"],
            name_en=row["name_en"],
            unit=row["unit"],
            urgent=row["urgent"] == "true",
            referral_channel=row["referral_channel"] or None,
            after_photo=row.get("after_photo") == "true",
        )
        for row in _rows("categories.csv")
    ]
    return Catalogue(agencies, categories)


@lru_cache(maxsize=1)
def district_points() -> tuple[DistrictPoint, ...]:
    """Each district's point (its office), in DOPA code order."""
    rows = _rows("districts.csv")
    return tuple(DistrictPoint(code=r["code"], lat=float(r["lat"]), lon=float(r["lon"])) for r in rows)
