"""What the citizen is told in whole words, Thai then English: what comes next on the tracking
page (who must act, by when), and what an event means in the citizen's e-mail. Pure.

Dates are said in full, ``วันอังคารที่ 8 ธันวาคม 2569`` / ``Tuesday 8 December 2026``; the SMS,
which has no room for them, says ``8 ธ.ค. 69`` (``messages``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from .domain.calendar import BANGKOK, end_of_day, local_date
from .domain.deadlines import SlaPolicy
from .domain.events import Acknowledged, Completed, EventType, HistoryEvent, Progress, Referred, Reopened, Routed
from .domain.model import DUTY_KINDS, Case, DueKind, State
from .messages import local_day, short_name

THAI_DAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
THAI_MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip

#: what the agency must do by the running deadline of each kind
DUTY_TH = {
    DueKind.ACK: "ต้องตอบรับ",
    DueKind.FIRST_PROGRESS: "ต้องรายงานความคืบหน้าครั้งแรก",
    DueKind.CHECKPOINT: "ต้องรายงานความคืบหน้า",
}
DUTY_EN = {
    DueKind.ACK: "must acknowledge the case",
    DueKind.FIRST_PROGRESS: "must report its first progress",
    DueKind.CHECKPOINT: "must report progress",
}


class Named(Protocol):
    name_th: str
    name_en: str


@dataclass(frozen=True)
class Words:
    th: str
    en: str


def thai_long_date(value: date | datetime) -> str:
    """``วันอังคารที่ 8 ธันวาคม 2569``."""
    day = local_day(value)
    return f"วัน{THAI_DAYS[day.weekday()]}ที่ {day.day} {THAI_MONTHS_FULL[day.month - 1]} {day.year + 543}"


def english_date(value: date | datetime) -> str:
    """``Tuesday 8 December 2026``."""
    day = local_day(value)
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def closes_unanswered(case: Case, policy: SlaPolicy | None = None) -> datetime | None:
    """The end of a completed case's feedback window: the daily sweep closes it after this instant
    without the citizen's answer (``followup.follow_up``)."""
    if case.due is not None and case.due.kind is DueKind.FEEDBACK:
        return case.due.at
    if case.state is State.COMPLETED and case.completed_at is not None and policy is not None:
        return end_of_day(local_date(case.completed_at) + timedelta(days=policy.feedback_days))
    return None


def _referral(name_th: str, name_en: str, channel: str, hotline: str | None) -> Words:
    if channel == "hotline" and hotline:
        return Words(
            f"เรื่องนี้อยู่ในความรับผิดชอบของ{name_th} โปรดโทร {hotline}",
            f"This is a matter for {name_en}: please call {hotline}.",
        )
    ask_th, ask_en = (f" สอบถามได้ที่ {hotline}", f"; to ask about it, call {hotline}") if hotline else ("", "")
    return Words(
        f"ศูนย์ 1555 ส่งหนังสือแจ้งเรื่องนี้ถึง{name_th}แล้ว{ask_th}",
        f"The 1555 centre sent {name_en} a letter about your case{ask_en}.",
    )


def _feedback(until: datetime | None, where: Words = Words("", "")) -> Words:
    """Asking for the citizen's answer (``where``: where they give it), and when the case closes without it."""
    th = f"โปรดบอกเราว่าปัญหาได้รับการแก้ไขจริงหรือไม่{where.th}"
    en = f"Please tell us whether the problem is really fixed{where.en}"
    if until is None:
        return Words(th, en + ".")
    return Words(
        f"{th} หากไม่ได้รับคำตอบภายใน{thai_long_date(until)} เรื่องจะปิดเอง",
        f"{en}: without an answer by {english_date(until)}, the case closes by itself.",
    )


def next_step(case: Case, now: datetime, policy: SlaPolicy) -> Words | None:
    """Who must act next on the case, and by when; None when nothing more will happen (closed)."""
    due = case.due
    if case.state is State.TRIAGE:
        th = "ศูนย์ 1555 จะส่งเรื่องถึงหน่วยงานที่รับผิดชอบภายใน 24 ชั่วโมง"
        en = "The 1555 call centre sends the case to the agency in charge within 24 hours"
        if due is not None and due.kind is DueKind.DISPATCH:
            clock = due.at.astimezone(BANGKOK).strftime("%H:%M")
            th += f" (ภายใน{thai_long_date(due.at)} เวลา {clock} น.)"
            en += f" (by {english_date(due.at)}, {clock})"
        return Words(th, en + ".")
    if case.state is State.REFERRED and case.referral is not None:
        ref = case.referral
        return _referral(short_name(ref.name_th), ref.name_en, ref.channel, ref.hotline)
    if case.state is State.COMPLETED:
        return _feedback(closes_unanswered(case, policy), Words(" (แบบฟอร์มด้านล่าง)", " (the form below)"))
    if case.agency is None or due is None or due.kind not in DUTY_KINDS or due.kind is DueKind.DISPATCH:
        return None
    words = Words(
        f"{short_name(case.agency.name_th)} {DUTY_TH[due.kind]}ภายใน{thai_long_date(due.at)}",
        f"{case.agency.name_en} {DUTY_EN[due.kind]} by {english_date(due.at)}.",
    )
    if now > due.at:
        return Words(
            words.th + " ซึ่งเลยกำหนดแล้ว ศูนย์ 1555 กำลังติดตาม", words.en + " It is late: the 1555 centre chases it."
        )
    return words


def told(case: Case, event: HistoryEvent, agency: Named | None, hotline: str | None = None) -> Words:
    """What an event means, for the citizen's e-mail; ``agency``: the one the event names (as for
    ``messages.sms_text``), ``hotline``: an outside organisation's number."""
    data = event.data
    name_th, name_en = (agency.name_th, agency.name_en) if agency else ("หน่วยงาน", "the agency")
    if isinstance(data, Routed):
        return Words(
            f"ส่งเรื่องถึง{name_th}แล้ว หน่วยงานต้องตอบรับภายใน{thai_long_date(data.due)}",
            f"Your case was sent to {name_en}. The agency must acknowledge it by {english_date(data.due)}.",
        )
    if isinstance(data, Referred):
        return _referral(name_th, name_en, data.channel, hotline)
    if isinstance(data, Acknowledged) and data.due is not None:
        return Words(
            f"{name_th} รับเรื่องแล้ว และต้องรายงานความคืบหน้าครั้งแรกภายใน{thai_long_date(data.due)}",
            f"{name_en} acknowledged your case and must report its first progress by {english_date(data.due)}.",
        )
    if isinstance(data, Progress):
        th, en = f"ความคืบหน้าจาก{name_th}: {event.note or '-'}", f"{name_en} reported progress (its note is above)."
        if data.expected_completion:
            th += f" (คาดว่าจะแล้วเสร็จภายใน{thai_long_date(data.expected_completion)})"
            en += f" It expects to be done by {english_date(data.expected_completion)}."
        return Words(th, en)
    if isinstance(data, Completed):
        feedback = _feedback(data.due, Words(" (ที่ลิงก์ด้านล่าง)", " (the link below)"))
        return Words(f"{name_th} แจ้งว่าแก้ไขเสร็จแล้ว {feedback.th}", f"{name_en} reports the work done. {feedback.en}")
    if isinstance(data, Reopened):
        due = f"ภายใน{thai_long_date(data.due)}" if data.due else ""
        return Words(
            "ส่งเรื่องกลับให้หน่วยงานแก้ไขอีกครั้งแล้ว" + (f" หน่วยงานต้องตอบรับ{due}" if due else ""),
            "Your case was sent back to be fixed again"
            + (f"; the agency must acknowledge it by {english_date(data.due)}." if data.due else "."),
        )
    if event.type is EventType.HANDED_BACK:
        return Words(
            "หน่วยงานแจ้งว่าเรื่องนี้ไม่อยู่ในความรับผิดชอบ ศูนย์ 1555 กำลังส่งต่อให้หน่วยงานที่รับผิดชอบ",
            "The agency said the case is not theirs; the 1555 centre is sending it to the agency in charge.",
        )
    if event.type is EventType.CHASED:
        return Words(
            "หน่วยงานตอบช้ากว่ากำหนด ศูนย์ 1555 ได้ติดตามหน่วยงานแล้ว", "The agency is late: the 1555 centre has chased it."
        )
    return Words(event.note or str(event.type), str(event.type))
