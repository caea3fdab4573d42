"""The HTML pages: the agency action page (``/a/{token}``), the citizen's tracking page (with
what happens next: ``next_step``) and filing page (``/report``).

Rendered with Jinja2 (autoescaped); pure functions of the case and its history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from . import assets, report_form
from .domain.calendar import BANGKOK
from .domain.deadlines import SlaPolicy
from .domain.events import EventType, HistoryEvent
from .domain.followup import dispute_until
from .domain.geo import DistrictPoint
from .domain.model import Case, Role, State
from .domain.routing import Catalogue
from .domain.transitions import AGENCY_ACTIONS, allowed_actions
from .messages import LABELS, render
from .next_step import next_step
from .views import PUBLIC_NOTES, Gallery

FLASH = {
    "done": ("ok", "บันทึกแล้ว", "Saved."),
    "repeated": ("warn", "แบบฟอร์มนี้ส่งไปแล้ว ไม่ได้บันทึกซ้ำ", "This form was already sent; nothing was done twice."),
    "illegal": ("err", "ทำรายการนี้ไม่ได้ในสถานะปัจจุบัน", "This action is not possible in the case's current state."),
    "invalid": ("err", "ข้อมูลไม่ครบหรือไม่ถูกต้อง", "Something is missing or wrong"),
}

REFUSED = {
    "tampered": ("ลิงก์ไม่ถูกต้อง อาจคัดลอกมาไม่ครบ", "The link is not valid; it may have been copied incompletely."),
    "expired": (
        "ลิงก์หมดอายุแล้ว (ใช้ได้ 30 วัน) โปรดใช้ลิงก์ในอีเมลฉบับล่าสุด",
        "The link has expired (links work for 30 days); use the link in the latest e-mail.",
    ),
    "superseded": (
        "เรื่องนี้ถูกส่งใหม่แล้ว (ไปหน่วยงานอื่น หรือส่งกลับมาอีกครั้ง) ลิงก์นี้จึงใช้ไม่ได้ โปรดใช้ลิงก์ในอีเมลฉบับล่าสุด",
        "The case has been sent again since (elsewhere, or back to you), so this link no longer "
        "works; use the link in the latest e-mail.",
    ),
}


def _photos(case: Case, history: Sequence[HistoryEvent], gallery: Gallery) -> dict[str, Any]:
    """Before and after, side by side: the complaint's photos and those of the last completion."""
    done = next((e for e in reversed(history) if e.type is EventType.COMPLETED), None)
    after = getattr(done.data, "evidence_urls", []) if done else []
    return {"before": [gallery(r) for r in case.photos], "after": [gallery(r) for r in after]}


def _context(case: Case, catalogue: Catalogue, history: Sequence[HistoryEvent], gallery: Gallery) -> dict[str, Any]:
    loc = case.location
    return _photos(case, history, gallery) | {
        "case": case,
        "category": catalogue.category(case.category),
        "labels": LABELS,
        "tz": BANGKOK,
        "district": catalogue.district_name(case.district),
        "map_url": (
            f"https://www.openstreetmap.org/?mlat={loc.lat}&mlon={loc.lon}#map=18/{loc.lat}/{loc.lon}"
            if loc.lat is not None and loc.lon is not None
            else None
        ),
    }


def agency_page(
    case: Case,
    history: Sequence[HistoryEvent],
    catalogue: Catalogue,
    agency_id: str,
    gallery: Gallery,
    flash: str | None = None,
    detail: str | None = None,
) -> str:
    allowed = allowed_actions(case.state, Role.AGENCY)
    actions = [a for a in AGENCY_ACTIONS if a in allowed]  # the usual next step first, hand-back last
    note = None
    if flash:
        kind, th, en = FLASH[flash]
        note = {"kind": kind, "th": th + (f": {detail}" if detail else ""), "en": en}
    return render(
        "page_agency.html",
        **_context(case, catalogue, history, gallery),
        history=history,
        actions=actions,
        agency=catalogue.agency(agency_id),
        flash=note,
        show_description=True,
        show_photos=True,
    )


FEEDBACK_FLASH = {
    "closed": ("ok", "ขอบคุณ ปิดเรื่องแล้ว", "Thank you: the case is closed."),
    "reopened": ("ok", "ขอบคุณ ส่งเรื่องกลับให้หน่วยงานแก้ไขอีกครั้งแล้ว", "Thank you: the case was sent back."),
    "invalid": ("err", "โปรดตอบทั้งสองข้อ", "Please answer both questions."),
    "refused": ("err", "ตอบไม่ได้ในขณะนี้", "An answer is not possible now"),
}


def tracking_page(
    case: Case,
    history: Sequence[HistoryEvent],
    catalogue: Catalogue,
    now: datetime,
    policy: SlaPolicy,
    gallery: Gallery,
    flash: str | None = None,
    detail: str | None = None,
) -> str:
    """The citizen's page; with the feedback form while their answer can still change something."""
    public = [e.model_copy(update={"note": e.note if e.type in PUBLIC_NOTES else None}) for e in history]
    until = dispute_until(case, policy)
    open_window = until is not None and now <= until
    feedback = case.state is State.COMPLETED
    dispute = case.state is State.CLOSED and open_window  # closed, but it may still come back
    note = None
    if flash:
        kind, th, en = FEEDBACK_FLASH[flash]
        note = {"kind": kind, "th": th + (f": {detail}" if detail else ""), "en": en}
    return render(
        "page_track.html",
        **_context(case, catalogue, public, gallery),
        next_step=next_step(case, now, policy),
        history=public,
        show_description=True,
        show_photos=True,
        feedback=feedback,
        dispute=dispute,
        flash=note,
        dispute_closed=case.state is State.CLOSED and case.completed_at is not None and not open_window,
    )


def report_page(catalogue: Catalogue, points: Sequence[DistrictPoint], tiles_url: str, attribution: str) -> str:
    """The citizen's filing page: the form, and the scripts that send it (``static/report*.js``)."""
    return render(
        "page_report.html",
        asset=assets.url,
        groups=report_form.category_groups(catalogue),
        districts=report_form.districts(catalogue, points),
        emergency=report_form.emergency_numbers(catalogue),
        config=report_form.config(catalogue, points, tiles_url, attribution),
        max_description=report_form.MAX_DESCRIPTION,
        max_photos=report_form.MAX_PHOTOS,
        max_mb=report_form.MAX_PHOTO_BYTES // (1024 * 1024),
        photo_types=",".join(report_form.PHOTO_TYPES),
    )


def refused_page(reason: str) -> str:
    th, en = REFUSED.get(reason, REFUSED["tampered"])
    return render("page_refused.html", heading_th="ลิงก์นี้ใช้ไม่ได้", heading_en="This link cannot be used", th=th, en=en)


def busy_page() -> str:
    """The store is throttling us: nothing was done; the same page or form may be sent again."""
    return render(
        "page_refused.html",
        heading_th="ระบบมีผู้ใช้งานมาก",
        heading_en="The system is busy",
        th="ยังไม่ได้บันทึกสิ่งใด โปรดลองอีกครั้งในอีกสักครู่",
        en="Nothing was saved. Please try again in a moment.",
    )


def unreadable_page(message: str) -> str:
    """A request the page cannot read (too large, not UTF-8, not a form): say so, and what to do."""
    return render(
        "page_refused.html",
        heading_th="ส่งข้อมูลไม่สำเร็จ",
        heading_en="The form could not be read",
        th="โปรดกลับไปที่หน้าเดิมแล้วส่งแบบฟอร์มอีกครั้ง",
        en=f"{message}. Go back to the page and send the form again.",
    )
