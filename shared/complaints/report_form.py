"""What the citizen's filing page (``GET /report``) offers, and the policy it is served with.

Pure: the catalogue and the district points in, the page's choices (categories in plain
words, grouped; whom to call for an urgent one; the districts) and its configuration out.
The page's scripts (``static/report*.js``) read that configuration from a JSON block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from .domain import photos
from .domain.geo import NEAR, DistrictPoint
from .domain.routing import BANGKOK_BBOX, Catalogue
from .schemas import MAX_DESCRIPTION

MAX_PHOTOS = 3  # a filing from the page (the API takes more)
# What POST /uploads takes: the page refuses a bigger file, or another type, before sending it.
MAX_PHOTO_BYTES = photos.MAX_BYTES
PHOTO_TYPES = photos.TYPES
CENTRE = (13.7563, 100.5018)  # Sanam Luang: where the map opens before there is a pin

GROUPS = {
    "street": ("ถนน ทางเท้า ไฟทาง การเดินทาง", "Streets, footpaths, lights, getting around"),
    "water": ("น้ำท่วม ท่อ คลอง ประปา", "Flooding, drains, canals, water mains"),
    "power": ("ไฟฟ้า เสาไฟ สายไฟ", "Electricity poles and wires"),
    "clean": ("ขยะ ความสะอาด ต้นไม้ เสียง ฝุ่น", "Rubbish, trees, noise, dust"),
    "safety": ("ความปลอดภัย ทางสาธารณะ คนและสัตว์", "Safety, public space, people and animals"),
    "other": ("เรื่องอื่น ๆ", "Something else"),
}
#: Each category of the seed catalogue in plain words: (group, Thai, English). A category added
#: later by operators is offered under "other" with its catalogue names.
PLAIN = {
    "road": ("street", "ถนนชำรุด เป็นหลุมเป็นบ่อ", "Damaged road, potholes"),
    "sidewalk": ("street", "ทางเท้าชำรุด เดินไม่สะดวก", "Broken footpath"),
    "lighting": ("street", "ไฟทางดับ ไฟส่องสว่างเสีย", "Street light out"),
    "bridge": ("street", "สะพานชำรุด", "Damaged bridge"),
    "traffic": ("street", "การจราจรติดขัด", "Traffic"),
    "traffic_sign": ("street", "ไฟจราจร ป้ายจราจรเสีย", "Traffic lights or signs broken"),
    "transport": ("street", "การเดินทาง รถโดยสารสาธารณะ", "Getting around, public transport"),
    "highway": ("street", "ถนนทางหลวงชำรุด", "Damaged national highway"),
    "expressway": ("street", "ปัญหาบนทางด่วน", "Problem on an expressway"),
    "drain": ("water", "ท่อระบายน้ำอุดตัน ฝาท่อหาย", "Blocked drain, missing drain cover"),
    "flooding": ("water", "น้ำท่วม น้ำขัง", "Flooding, standing water"),
    "canal": ("water", "คลองสกปรก ตื้นเขิน", "Dirty or silted canal"),
    "water_main": ("water", "ท่อประปาแตก น้ำรั่วไหล", "Burst water main"),
    "water_service": ("water", "ขอขยายเขตประปา", "Asking for a water supply extension"),
    "power_pole": ("power", "เสาไฟฟ้าล้ม สายไฟขาด ไฟฟ้ารั่ว", "Fallen electricity pole, broken or live wire"),
    "power_service": ("power", "ขอย้ายเสาไฟฟ้า", "Asking to move an electricity pole"),
    "cables": ("power", "สายไฟ สายสื่อสารรก ห้อยต่ำ", "Tangled or low-hanging overhead cables"),
    "cleanliness": ("clean", "ขยะ ความสกปรก ไม่มีคนเก็บ", "Rubbish not collected, dirty place"),
    "tree": ("clean", "ต้นไม้ กิ่งไม้ ล้มหรือต้องตัดแต่ง", "Trees and branches, fallen or to trim"),
    "toilet": ("clean", "ห้องน้ำสาธารณะ", "Public toilets"),
    "noise": ("clean", "เสียงดังรบกวน", "Noise"),
    "pm25": ("clean", "ฝุ่น PM2.5 ควัน มลพิษ", "Dust (PM2.5), smoke, air pollution"),
    "safety": ("safety", "จุดเสี่ยง ไม่ปลอดภัย", "Unsafe spot"),
    "obstruction": ("safety", "สิ่งกีดขวางทางเท้า ถนน ที่สาธารณะ", "Something blocking a footpath or street"),
    "sign": ("safety", "ป้ายโฆษณา ป้ายผิดกฎหมาย", "Illegal signs and billboards"),
    "stray_animal": ("safety", "สุนัข แมวจรจัด", "Stray dogs and cats"),
    "homeless": ("safety", "คนไร้บ้าน ต้องการความช่วยเหลือ", "Homeless people who need help"),
    "complaint": ("other", "ร้องเรียนเรื่องอื่น", "Another complaint"),
    "suggestion": ("other", "ข้อเสนอแนะ", "A suggestion"),
    "inquiry": ("other", "สอบถาม", "A question"),
    "other": ("other", "อื่น ๆ ไม่แน่ใจว่าเป็นเรื่องอะไร", "Other, not sure"),
}
#: Whom to call at once when someone is hurt or in danger: agencies of the catalogue (their
#: hotlines), in short words.
EMERGENCY = {"EXT-POLICE": ("ตำรวจ", "police"), "EXT-EMS": ("เจ็บป่วยฉุกเฉิน", "medical emergency")}


def category_groups(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The picker's groups, each with its categories in plain words (urgent ones first)."""
    groups: dict[str, list[dict[str, Any]]] = {key: [] for key in GROUPS}
    for category in catalogue.categories.values():
        group, th, en = PLAIN.get(category.code, ("other", category.name_th, category.name_en))
        groups[group].append({"code": category.code, "th": th, "en": en, "urgent": category.urgent})
    return [
        {"th": GROUPS[key][0], "en": GROUPS[key][1], "options": sorted(options, key=lambda o: not o["urgent"])}
        for key, options in groups.items()
        if options
    ]


def urgent_calls(catalogue: Catalogue) -> dict[str, dict[str, str]]:
    """For each urgent category outside the city's authority: the organisation to call now."""
    calls = {}
    for category in catalogue.categories.values():
        unit, _, target = category.unit.partition(":")
        agency = catalogue.agencies.get(target) if unit == "external" else None
        if category.urgent and agency and agency.hotline:
            calls[category.code] = {"hotline": agency.hotline, "th": agency.name_th, "en": agency.name_en}
    return calls


def emergency_numbers(catalogue: Catalogue) -> list[dict[str, str]]:
    numbers = []
    for agency_id, (th, en) in EMERGENCY.items():
        agency = catalogue.agencies.get(agency_id)
        if agency and agency.hotline:
            numbers.append({"hotline": agency.hotline, "th": th, "en": en})
    return numbers


def districts(catalogue: Catalogue, points: Iterable[DistrictPoint]) -> list[dict[str, Any]]:
    """The district picker's entries, in Thai alphabetical order, each with its point."""
    entries = []
    for point in points:
        office = catalogue.agencies.get(f"DIST-{point.code}")
        th = catalogue.district_name(point.code)
        if office and th:
            en = office.name_en.removesuffix(" District Office")
            entries.append({"code": point.code, "th": th, "en": en, "lat": point.lat, "lon": point.lon})
    return sorted(entries, key=lambda d: d["th"])


def config(catalogue: Catalogue, points: Iterable[DistrictPoint], tiles_url: str, attribution: str) -> dict[str, Any]:
    """What the page's scripts need (the JSON block of ``page_report.html``)."""
    return {
        "tiles": {"url": tiles_url, "attribution": attribution},
        "centre": list(CENTRE),
        "bbox": BANGKOK_BBOX,
        "near": NEAR,
        "districts": districts(catalogue, points),
        "urgent": urgent_calls(catalogue),
        "photos": {"max": MAX_PHOTOS, "max_bytes": MAX_PHOTO_BYTES, "types": list(PHOTO_TYPES)},
        "max_description": MAX_DESCRIPTION,
    }


_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.*-]+(:[0-9]{1,5})?$")


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL or a tile URL template, for a Content-Security-Policy: a
    ``{s}`` sub-domain becomes ``*`` (``https://{s}.tile.example`` → ``https://*.tile.example``)."""
    parts = urlsplit(url.replace("{s}", "*"))
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin if _ORIGIN.match(origin) else None


def content_security_policy(tiles_url: str, photo_origin: str | None) -> str:
    """The filing page's policy: its own scripts only (no inline script), the API and the photo
    bucket to talk to, images from itself, the tile server and the bucket (``blob:`` previews)."""
    tiles, photos = origin_of(tiles_url), origin_of(photo_origin) if photo_origin else None
    images = " ".join(o for o in ("'self' data: blob:", tiles, photos) if o)
    connect = " ".join(o for o in ("'self'", photos) if o)
    return (
        f"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src {images}; "
        f"connect-src {connect}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
