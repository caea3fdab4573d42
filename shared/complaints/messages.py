"""What notices and pages say: Thai SMS texts (pure) and the Jinja2 templates of e-mails and pages.

SMS: Thai text is sent as UCS-2, 70 characters in one segment. Every text is
built to fit one segment where it can; the completion notice carries the
tracking link and takes two.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from .domain.calendar import BANGKOK
from .domain.events import EventType, HistoryEvent, Referred
from .domain.model import Case

SMS_SEGMENT = 70
THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


def thai_date(value: date | datetime) -> str:
    """``16 เม.ย. 2569``: day, abbreviated Thai month, Buddhist-era year."""
    if isinstance(value, datetime):
        value = value.astimezone(BANGKOK).date()
    return f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + 543}"


def _fit(prefix: str, text: str | None, limit: int = SMS_SEGMENT) -> str:
    """``prefix`` plus as much of ``text`` as one segment holds (cut with an ellipsis)."""
    text = " ".join((text or "").split())
    room = limit - len(prefix)
    if len(text) > room:
        text = text[: max(room - 1, 0)] + "…"
    return prefix + text


def sms_text(
    case: Case, event: HistoryEvent, track_url: str, hotline: str | None = None, agency_name: str | None = None
) -> str:
    """The citizen's SMS for an event of their case (``agency_name``: the agency the event names)."""
    head = f"1555 {case.id}: "
    data = event.data
    if event.type is EventType.ROUTED:
        return _fit(head + "ส่งถึง", (agency_name or "หน่วยงาน") + " แล้ว")
    if isinstance(data, Referred):
        org = case.referral.name_th if case.referral else ""
        if data.channel == "hotline" and hotline:
            return _fit(head + f"โปรดโทร {hotline} ", org)
        return _fit(head + "ส่งหนังสือถึง", org + " แล้ว")
    if event.type is EventType.PROGRESS:
        return _fit(head + "คืบหน้า: ", event.note)
    if event.type is EventType.COMPLETED:
        return head + f"แก้ไขเสร็จแล้ว ตอบเราว่าแก้ได้จริงไหม {track_url}"
    if event.type is EventType.HANDED_BACK:
        return head + "กำลังส่งต่อให้หน่วยงานที่รับผิดชอบ"
    if event.type is EventType.REOPENED:
        return head + "ส่งกลับให้หน่วยงานแก้ไขอีกครั้งแล้ว"
    if event.type is EventType.CHASED:
        return head + "หน่วยงานตอบช้ากว่ากำหนด ศูนย์ได้ติดตามแล้ว"
    return _fit(head, event.note or event.type)


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("complaints", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thai_date"] = thai_date
    return env


def render(name: str, **context: Any) -> str:
    """Render a template of ``complaints/templates`` (HTML is escaped; text is not)."""
    return _environment().get_template(name).render(**context)


LABELS = {
    "state": {
        "triage": "รอคัดแยก",
        "dispatched": "ส่งหน่วยงานแล้ว",
        "acknowledged": "หน่วยงานรับทราบ",
        "in_progress": "กำลังดำเนินการ",
        "completed": "แก้ไขเสร็จแล้ว",
        "referred": "ส่งต่อหน่วยงานภายนอก",
        "closed": "ปิดเรื่อง",
    },
    "due": {
        "dispatch": "ส่งต่อหน่วยงาน",
        "ack": "ตอบรับ",
        "first_progress": "รายงานความคืบหน้าครั้งแรก",
        "checkpoint": "รายงานความคืบหน้า",
        "feedback": "รอผู้ร้องยืนยันผล",
    },
    "due_en": {
        "dispatch": "routing",
        "ack": "acknowledgement",
        "first_progress": "first progress report",
        "checkpoint": "progress report",
        "feedback": "the citizen's answer",
    },
    "event": {
        "received": "รับเรื่อง",
        "routed": "ส่งหน่วยงาน",
        "referred": "ส่งต่อหน่วยงานภายนอก",
        "acknowledged": "หน่วยงานรับทราบ",
        "progress": "ความคืบหน้า",
        "completed": "แก้ไขเสร็จ",
        "handed_back": "หน่วยงานส่งคืน",
        "overdue": "เกินกำหนด",
        "chased": "ติดตามหน่วยงาน",
        "escalated": "แจ้งผู้บังคับบัญชา",
        "feedback": "ความเห็นผู้ร้อง",
        "reopened": "เปิดเรื่องใหม่",
        "audited": "ตรวจสอบ",
        "closed": "ปิดเรื่อง",
        "deadline_moved": "เลื่อนกำหนด (วันหยุด)",
        "returned_to_triage": "ส่งกลับมาคัดแยก",
        "anonymised": "ลบข้อมูลส่วนบุคคลของผู้ร้อง",
    },
}
