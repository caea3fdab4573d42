"""Reference data (agencies, categories) and automatic routing (SPEC §5).

A category names a *unit kind*:

- ``district:<section>``: that section of the district office of the place;
- ``department:<agency id>``: that department;
- ``external:<agency id>``: outside the city's authority, a referral
  (``urgent`` categories by hotline, the others by letter);
- ``triage``: the call centre decides.

A district-level category with no known district goes to triage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .errors import InvalidInput
from .model import Agency, Category

DISTRICT_SECTIONS = {
    "public_works": "ฝ่ายโยธา",
    "law_enforcement": "ฝ่ายเทศกิจ",
    "cleansing_parks": "ฝ่ายรักษาความสะอาดและสวนสาธารณะ",
    "environment_sanitation": "ฝ่ายสิ่งแวดล้อมและสุขาภิบาล",
}

#: Bangkok's bounding box (WGS 84), a little wider than the city's outermost
#: points (Nong Chok in the east, Bang Khun Thian's coast in the south, Thawi
#: Watthana in the west, Sai Mai in the north). A point outside it is refused.
BANGKOK_BBOX = {"lat_min": 13.45, "lat_max": 14.00, "lon_min": 100.30, "lon_max": 100.98}


@dataclass(frozen=True)
class RoutingDecision:
    kind: Literal["agency", "referral", "triage"]
    agency: Agency | None = None
    section: str | None = None
    channel: Literal["hotline", "letter"] | None = None
    reason: str = ""


class Catalogue:
    """The agencies and categories in force, indexed for routing."""

    def __init__(self, agencies: Iterable[Agency], categories: Iterable[Category]):
        self.agencies = {a.id: a for a in agencies}
        self.categories = {c.code: c for c in categories}
        self._district_office = {a.district: a for a in self.agencies.values() if a.kind == "district" and a.district}
        self._district_names: dict[str, str] = {}
        for office in self._district_office.values():
            th = office.name_th.removeprefix("สำนักงานเขต")
            en = office.name_en.removesuffix(" District Office")
            for name in (th, "เขต" + th, en, en + " District"):
                self._district_names[_fold(name)] = office.district

    # --- look-ups -----------------------------------------------------------------

    def category(self, code: str) -> Category:
        try:
            return self.categories[code]
        except KeyError:
            raise InvalidInput(f"unknown category '{code}'; GET /categories lists the valid codes") from None

    def agency(self, agency_id: str) -> Agency:
        try:
            return self.agencies[agency_id]
        except KeyError:
            raise InvalidInput(f"unknown agency '{agency_id}'; GET /agencies lists them") from None

    def district_name(self, code: str | None) -> str | None:
        """The Thai name of a district (``วัฒนา``), from its DOPA code."""
        office = self._district_office.get(code or "")
        return office.name_th.removeprefix("สำนักงานเขต") if office else None

    @property
    def district_codes(self) -> frozenset[str]:
        return frozenset(self._district_office)

    def districts(self) -> list[tuple[str, str, str]]:
        """Every district as (DOPA code, Thai name, English name), by code: ``("1039", "วัฒนา", "Watthana")``."""
        return [
            (code, o.name_th.removeprefix("สำนักงานเขต"), o.name_en.removesuffix(" District Office"))
            for code, o in sorted(self._district_office.items())
        ]

    def district_named_in(self, text: str | None) -> str | None:
        """The district a free-text address names, if it names exactly one: ``เขต<name>`` in Thai (a
        bare Thai name is often a subdistrict's too), or the English name as whole words. None when
        it names none, or more than one."""
        folded = _fold(text or "")
        found = {
            code
            for code, th, en in self.districts()
            if "เขต" + th in folded.replace("เขต ", "เขต") or re.search(rf"\b{re.escape(_fold(en))}\b", folded)
        }
        return found.pop() if len(found) == 1 else None

    def district_code(self, value: str) -> str:
        """A DOPA district code (``10xx``) from a code or a district name (Thai or English)."""
        value = value.strip()
        if value in self._district_office:
            return value
        code = self._district_names.get(_fold(value))
        if code is None:
            raise InvalidInput(
                f"'{value}' is not one of Bangkok's 50 districts; give the DOPA code (1001–1050) or the district's name"
            )
        return code

    # --- routing ------------------------------------------------------------------

    def route(self, category_code: str, district: str | None) -> RoutingDecision:
        category = self.category(category_code)
        unit, _, target = category.unit.partition(":")
        if unit == "district":
            if not district:
                return RoutingDecision("triage", reason="district-level category without a district")
            return RoutingDecision(
                "agency",
                agency=self._district_office[district],
                section=target,
                reason=f"{category.code} → district office, {target}",
            )
        if unit == "department":
            return RoutingDecision("agency", agency=self.agency(target), reason=f"{category.code} → {target}")
        if unit == "external":
            channel = category.referral_channel or ("hotline" if category.urgent else "letter")
            return RoutingDecision(
                "referral",
                agency=self.agency(target),
                channel=channel,
                reason=f"{category.code} is outside the city's authority",
            )
        return RoutingDecision("triage", reason=f"{category.code} is decided by the call centre")


def in_bangkok(lat: float, lon: float) -> bool:
    box = BANGKOK_BBOX
    return box["lat_min"] <= lat <= box["lat_max"] and box["lon_min"] <= lon <= box["lon_max"]


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())
