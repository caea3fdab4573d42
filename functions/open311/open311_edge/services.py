"""GeoReport v2's discovery, service list and service definitions, from the catalogue in force.

A service is one of our categories (its code is the ``service_code``); its ``group`` is the kind of
unit that handles it (``district``, ``department``, ``external``, ``triage``); a category routed by
district has ``metadata: true`` and a definition with one required attribute, ``district``: a
``singlevaluelist`` of the 50 districts (their DOPA codes, named in Thai and English).
"""

from __future__ import annotations

from typing import Any

from complaints.domain.model import Category
from complaints.domain.routing import DISTRICT_SECTIONS, Catalogue

from .formats import FORMATS, Open311Error

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: When this endpoint's contract last changed (the discovery's ``changeset``).
CHANGESET = "2026-12-01T00:00:00+07:00"
CONTACT = "ศูนย์รับเรื่องร้องเรียน 1555 กรุงเทพมหานคร โทร 1555 · Bangkok's 1555 complaint centre, call 1555"
KEY_SERVICE = (
    "ขอ api_key ได้จากผู้ดูแลระบบของศูนย์ 1555 (POST /api-keys) · "
    "Ask the 1555 centre's operators for an api_key (they issue one with POST /api-keys)"
)
DISTRICT = "district"
SEPARATOR = " · "


def both(th: str, en: str) -> str:
    """A Thai text with its English, the way every Open311 text here reads: ``ถนน · Road surface``."""
    return f"{th}{SEPARATOR}{en}"


def discovery(base_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": CONTACT,
        "key_service": KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{base_url.rstrip('/')}/open311/v2",
                "changeset": CHANGESET,
                "type": "production",
                "formats": [FORMATS["json"].split(";")[0], FORMATS["xml"].split(";")[0]],
            }
        ],
    }


def by_district(category: Category) -> bool:
    return category.unit.startswith("district:")


def _handled_by(category: Category, catalogue: Catalogue) -> str:
    """Who handles the category, in words (the service's ``description``)."""
    unit, _, target = category.unit.partition(":")
    if unit == "district":
        section = DISTRICT_SECTIONS.get(target, target)
        return both(f"{section} สำนักงานเขตที่เกิดเหตุ", f"the district office of the place ({target.replace('_', ' ')})")
    if unit in ("department", "external") and target in catalogue.agencies:
        agency = catalogue.agencies[target]
        if unit == "department":
            return both(agency.name_th, agency.name_en)
        call = f" โทร {agency.hotline}" if agency.hotline and category.urgent else ""
        call_en = f", call {agency.hotline}" if agency.hotline and category.urgent else ""
        return both(f"ส่งต่อ{agency.name_th}{call}", f"referred to {agency.name_en}{call_en}")
    return both("ศูนย์ 1555 พิจารณาส่งต่อ", "the 1555 call centre decides who handles it")


def service(category: Category, catalogue: Catalogue) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": both(category.name_th, category.name_en),
        "description": _handled_by(category, catalogue),
        "metadata": by_district(category),
        "type": "realtime",
        "keywords": f"{category.name_th},{category.name_en}",
        "group": category.unit.partition(":")[0],
    }


def services(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [service(c, catalogue) for c in catalogue.categories.values()]


def definition(code: str, catalogue: Catalogue) -> dict[str, Any]:
    """A service's definition: its attributes (``district`` for a category routed by district)."""
    category = catalogue.categories.get(code)
    if category is None:
        raise Open311Error(404, f"no service '{code[:50]}': services.json lists them")
    attributes = []
    if by_district(category):
        attributes.append(
            {
                "variable": True,
                "code": DISTRICT,
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": both("รหัสเขต 1001–1050", "the district's DOPA code, 1001–1050"),
                "order": 1,
                "description": both("เขตที่เกิดเหตุ", "The district where the problem is"),
                "values": [{"key": key, "name": both(th, en)} for key, th, en in catalogue.districts()],
            }
        )
    return {"service_code": category.code, "attributes": attributes}
