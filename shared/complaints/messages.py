"""What notices and pages say: Thai SMS texts (pure) and the Jinja2 templates of e-mails and pages.

SMS: Thai text is sent as UCS-2, counted in UTF-16 code units: 70 in one segment,
67 in each part of a concatenated message. No text is longer than two parts
(:data:`SMS_LIMIT`). A text without a link is built to fit one segment; the
first notice (routed or referred), the acknowledgement and the completion carry
the short tracking link, whole, and the richest wording that fits beside it
(``docs/notices.md``: every text and its worst-case length).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Protocol

from .domain.calendar import BANGKOK
from .domain.events import Acknowledged, Completed, EventType, HistoryEvent, Referred, Routed
from .domain.model import Case

SMS_SEGMENT = 70  # UCS-2 code units in a single-segment SMS
SMS_LIMIT = 134  # two concatenated UCS-2 segments of 67 code units: no SMS is longer
MIN_NAME = 12  # an agency name is cut no shorter than this (with its ellipsis); else plainer words
THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


class Named(Protocol):
    """An agency or an outside organisation as a text names it."""

    name_th: str
    hotline: str | None


def local_day(value: date | datetime) -> date:
    return value.astimezone(BANGKOK).date() if isinstance(value, datetime) else value


def thai_date(value: date | datetime) -> str:
    """``16 เม.ย. 2569``: day, abbreviated Thai month, Buddhist-era year."""
    day = local_day(value)
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"


def thai_short_date(value: date | datetime, year: bool = True) -> str:
    """``8 ธ.ค. 69`` (the Buddhist-era year in two digits), or ``8 ธ.ค.``: for an SMS."""
    day = local_day(value)
    return f"{day.day} {THAI_MONTHS[day.month - 1]}" + (f" {(day.year + 543) % 100:02d}" if year else "")


def short_name(name_th: str) -> str:
    """How people say an agency's name: ``สำนักงานเขตวัฒนา`` is ``เขตวัฒนา``."""
    return name_th.removeprefix("สำนักงาน") if name_th.startswith("สำนักงานเขต") else name_th


def ucs2_length(text: str) -> int:
    """The length of ``text`` as an SMS counts it: UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, room: int) -> str:
    """``text`` in at most ``room`` code units, cut with an ellipsis: never inside a character, nor
    between a letter and its marks, nor after a Thai vowel written before its consonant."""
    if ucs2_length(text) <= room:
        return text
    if room <= 0:
        return ""
    end, used = 0, 1  # the ellipsis
    while used + ucs2_length(text[end]) <= room:
        used += ucs2_length(text[end])
        end += 1
    while end and (unicodedata.category(text[end]).startswith("M") or "\u0e40" <= text[end - 1] <= "\u0e44"):
        end -= 1
    return text[:end].rstrip() + "…"


def _fit(prefix: str, text: str | None, limit: int = SMS_SEGMENT) -> str:
    """``prefix`` plus as much of ``text`` as ``limit`` code units hold (cut with an ellipsis)."""
    return prefix + _cut(" ".join((text or "").split()), limit - ucs2_length(prefix))


def _compose(head: str, link: str, variants: Sequence[tuple[str, bool]], plain: str, name: str = "") -> str:
    """``head`` and the first of ``variants`` (the richest first) that fits :data:`SMS_LIMIT` with
    ``link`` whole. A variant is a text with ``{link}`` (and ``{name}``) and whether the name may be
    cut to fit (never below :data:`MIN_NAME`). A base URL so long that no variant fits: ``plain``
    (no link) cut to fit, since a cut link would not work."""
    for text, may_cut in variants:
        room = SMS_LIMIT - ucs2_length(head + text.format(name="", link=link))
        if "{name}" in text and ucs2_length(name) > room and not (may_cut and room >= MIN_NAME):
            continue
        if room >= 0:
            return head + text.format(name=_cut(name, room), link=link)
    return _fit(head, plain, SMS_LIMIT)


def _routed(head: str, link: str, data: Routed, name: str) -> str:
    variants = [
        (f"ส่งถึง{{name}}แล้ว ต้องตอบรับภายใน {thai_short_date(data.due)} ติดตาม {{link}}", False),
        (f"ส่งถึง{{name}}แล้ว ตอบรับภายใน {thai_short_date(data.due, year=False)} {{link}}", True),
        ("ส่งถึง{name}แล้ว {link}", True),
        ("ส่งหน่วยงานแล้ว {link}", False),
        ("{link}", False),
    ]
    return _compose(head, link, variants, f"ส่งถึง{name}แล้ว", name)


def _referred(head: str, link: str, data: Referred, org: Named | None) -> str:
    name = short_name(org.name_th) if org else ""
    if data.channel == "hotline" and org and org.hotline:
        call = f"โปรดโทร {org.hotline}"
        variants = [(call + " {name} ติดตาม {link}", False), (call + " {name} {link}", True), (call + " {link}", False)]
        return _compose(head, link, [*variants, ("{link}", False)], f"{call} {name}", name)
    variants = [("ส่งหนังสือถึง{name}แล้ว ติดตาม {link}", False), ("ส่งหนังสือถึง{name}แล้ว {link}", True)]
    return _compose(
        head, link, [*variants, ("ส่งหนังสือแล้ว {link}", False), ("{link}", False)], f"ส่งหนังสือถึง{name}แล้ว", name
    )


def _acknowledged(head: str, link: str, data: Acknowledged, name: str) -> str:
    variants: list[tuple[str, bool]] = []
    if data.due is not None:
        year, day = thai_short_date(data.due), thai_short_date(data.due, year=False)
        variants = [
            (f"{{name}} รับเรื่องแล้ว จะรายงานความคืบหน้าภายใน {year} {{link}}", False),
            (f"{{name}} รับเรื่องแล้ว รายงานความคืบหน้าภายใน {day} {{link}}", False),
            (f"{{name}} รับเรื่องแล้ว จะรายงานภายใน {day} {{link}}", True),
        ]
    variants += [("{name} รับเรื่องแล้ว {link}", True), ("รับเรื่องแล้ว {link}", False), ("{link}", False)]
    return _compose(head, link, variants, f"{name} รับเรื่องแล้ว", name)


def _completed(head: str, link: str, data: Completed) -> str:
    ask = "แก้ไขเสร็จแล้ว ตอบเราว่าแก้ได้จริงไหม"
    variants = [(ask + " {link}", False), ("แก้ไขเสร็จแล้ว {link}", False), ("{link}", False)]
    if data.due is not None:  # the end of the feedback window: the case closes by itself after it
        variants.insert(0, (f"{ask} ภายใน {thai_short_date(data.due, year=False)} {{link}}", False))
    return _compose(head, link, variants, ask)


def sms_text(case: Case, event: HistoryEvent, link: str, agency: Named | None = None) -> str:
    """The citizen's SMS for an event of their case: ``link`` is the short tracking link;
    ``agency``, the agency the event names (routed: the new one; referred: the outside
    organisation; otherwise the case's agency at the event)."""
    head = f"1555 {case.id}: "
    data = event.data
    name = short_name(agency.name_th) if agency else "หน่วยงาน"
    if isinstance(data, Routed):
        return _routed(head, link, data, name)
    if isinstance(data, Referred):
        return _referred(head, link, data, agency)
    if isinstance(data, Acknowledged):
        return _acknowledged(head, link, data, name)
    if event.type is EventType.PROGRESS:
        return _fit(head + "คืบหน้า: ", event.note)
    if isinstance(data, Completed):
        return _completed(head, link, data)
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
    "state_en": {
        "triage": "triage",
        "dispatched": "sent to the agency",
        "acknowledged": "acknowledged",
        "in_progress": "in progress",
        "completed": "completed",
        "referred": "referred outside",
        "closed": "closed",
    },
    "event_en": {
        "received": "received",
        "routed": "routed",
        "referred": "referred outside",
        "acknowledged": "acknowledged",
        "progress": "progress",
        "completed": "completed",
        "handed_back": "handed back",
        "overdue": "overdue",
        "chased": "agency chased",
        "escalated": "escalated",
        "feedback": "citizen's answer",
        "reopened": "reopened",
        "audited": "audited",
        "closed": "closed",
        "deadline_moved": "deadline moved (holiday)",
        "returned_to_triage": "returned to triage",
        "anonymised": "personal data erased",
    },
}
