"""The HTML pages: the agency action page (``/a/{token}``) and the citizen's tracking page.

Rendered with Jinja2 (autoescaped); pure functions of the case and its history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .domain.calendar import BANGKOK
from .domain.lifecycle import allowed_actions
from .domain.model import Case, HistoryEvent, Role
from .domain.routing import Catalogue
from .messages import LABELS, render
from .views import PUBLIC_NOTES

AGENCY_ACTIONS = ("acknowledge", "progress", "complete", "handback")

FLASH = {
    "done": ("ok", "บันทึกแล้ว", "Saved."),
    "repeated": ("warn", "แบบฟอร์มนี้ส่งไปแล้ว ไม่ได้บันทึกซ้ำ", "This form was already sent; nothing was done twice."),
    "illegal": ("err", "ทำรายการนี้ไม่ได้ในสถานะปัจจุบัน", "This action is not possible in the case's current state."),
    "invalid": ("err", "ข้อมูลไม่ครบหรือไม่ถูกต้อง", "Something is missing or wrong"),
}

REFUSED = {
    "tampered": ("ลิงก์ไม่ถูกต้อง อาจคัดลอกมาไม่ครบ", "The link is not valid; it may have been copied incompletely."),
    "expired": ("ลิงก์หมดอายุแล้ว (ใช้ได้ 30 วัน) โปรดใช้ลิงก์ในอีเมลฉบับล่าสุด",
                "The link has expired (links work for 30 days); use the link in the latest e-mail."),
    "superseded": ("เรื่องนี้ถูกส่งไปยังหน่วยงานอื่นแล้ว ลิงก์นี้จึงใช้ไม่ได้",
                   "The case has been sent elsewhere since, so this link no longer works."),
}


def _context(case: Case, catalogue: Catalogue) -> dict[str, Any]:
    loc = case.location
    return {
        "case": case, "category": catalogue.category(case.category), "labels": LABELS, "tz": BANGKOK,
        "district": catalogue.district_name(case.district),
        "map_url": (f"https://www.openstreetmap.org/?mlat={loc.lat}&mlon={loc.lon}#map=18/{loc.lat}/{loc.lon}"
                    if loc.lat is not None and loc.lon is not None else None),
    }


def agency_page(case: Case, history: Sequence[HistoryEvent], catalogue: Catalogue, agency_id: str,
                flash: str | None = None, detail: str | None = None) -> str:
    allowed = allowed_actions(case.state, Role.AGENCY)
    actions = [a for a in AGENCY_ACTIONS if a in allowed]  # the usual next step first, hand-back last
    note = None
    if flash:
        kind, th, en = FLASH[flash]
        note = {"kind": kind, "th": th + (f": {detail}" if detail else ""), "en": en}
    return render("page_agency.html", **_context(case, catalogue), history=history, actions=actions,
                  agency=catalogue.agency(agency_id), flash=note, show_description=True, show_photos=True)


def tracking_page(case: Case, history: Sequence[HistoryEvent], catalogue: Catalogue) -> str:
    public = [e.model_copy(update={"note": e.note if e.type in PUBLIC_NOTES else None}) for e in history]
    return render("page_track.html", **_context(case, catalogue), history=public, show_description=True,
                  show_photos=True)


def refused_page(reason: str) -> str:
    th, en = REFUSED.get(reason, REFUSED["tampered"])
    return render("page_refused.html", th=th, en=en)
