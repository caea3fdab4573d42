"""What the tracking page says happens next, for each state of a case lived through the lifecycle:
who must act, by when (the running deadline in full words, Thai and English)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from complaints.domain import followup, lifecycle
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.deadlines import SlaPolicy
from complaints.domain.model import Actor, Case, DueKind, Role, State
from complaints.next_step import english_date, next_step, thai_long_date
from complaints.reference import default_catalogue

pytestmark = pytest.mark.unit
CATALOGUE = default_catalogue()
CAL = BusinessCalendar.with_specials()
POLICY = SlaPolicy(escalate_after_business_days=3, feedback_days=14, dispute_days=30)
FILED = datetime.fromisoformat("2026-12-07T09:12:00+07:00")  # a Monday
CITIZEN = Actor(role=Role.CITIZEN)
OFFICER = Actor(role=Role.AGENCY, id="officer", agency_id="DIST-1039")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "+07:00")


def filed(category: str = "road", district: str | None = "1039") -> Case:
    draft = Case(id="2612-ABC123", state=State.TRIAGE, category=category, description="หลุม", district=district,
                 received_at=FILED, token_hash="x")  # fmt: skip
    return lifecycle.receive(draft, CATALOGUE.route(category, district), CAL, CITIZEN).case


def acknowledged() -> Case:
    return lifecycle.acknowledge(filed(), OFFICER, at("2026-12-08T10:00"), CAL, None).case


def in_progress() -> Case:
    return lifecycle.progress(acknowledged(), OFFICER, at("2026-12-09T10:00"), CAL, "ซ่อม", None).case


def completed() -> Case:
    return lifecycle.complete(in_progress(), OFFICER, at("2026-12-10T10:00"), "เสร็จ", (), CAL, POLICY).case


def test_full_dates_in_thai_and_english():
    assert thai_long_date(at("2026-12-08T23:59")) == "วันอังคารที่ 8 ธันวาคม 2569"
    assert english_date(at("2026-12-08T23:59")) == "Tuesday 8 December 2026"
    assert thai_long_date(datetime.fromisoformat("2026-12-08T17:00:00+00:00")) == "วันพุธที่ 9 ธันวาคม 2569"  # Bangkok


def test_triage_the_call_centre_routes_within_24_hours():
    step = next_step(filed("inquiry"), FILED, POLICY)
    assert step.th == ("ศูนย์ 1555 จะส่งเรื่องถึงหน่วยงานที่รับผิดชอบภายใน 24 ชั่วโมง (ภายในวันอังคารที่ 8 ธันวาคม 2569 เวลา 09:12 น.)")
    assert step.en == (
        "The 1555 call centre sends the case to the agency in charge within 24 hours "
        "(by Tuesday 8 December 2026, 09:12)."
    )


def test_dispatched_the_agency_must_acknowledge_by_its_deadline():
    step = next_step(filed(), FILED, POLICY)
    assert step.th == "เขตวัฒนา ต้องตอบรับภายในวันอังคารที่ 8 ธันวาคม 2569"
    assert step.en == "Watthana District Office must acknowledge the case by Tuesday 8 December 2026."


def test_acknowledged_the_agency_must_report_first_progress():
    case = acknowledged()
    assert case.due.kind is DueKind.FIRST_PROGRESS
    step = next_step(case, at("2026-12-08T10:00"), POLICY)
    assert step.th == f"เขตวัฒนา ต้องรายงานความคืบหน้าครั้งแรกภายใน{thai_long_date(case.due.at)}"
    assert step.en == f"Watthana District Office must report its first progress by {english_date(case.due.at)}."


def test_in_progress_the_agency_must_report_again_by_the_checkpoint():
    case = in_progress()
    assert case.due.kind is DueKind.CHECKPOINT
    step = next_step(case, at("2026-12-09T10:00"), POLICY)
    assert step.th == "เขตวัฒนา ต้องรายงานความคืบหน้าภายในวันอังคารที่ 15 ธันวาคม 2569"
    assert "must report progress by Tuesday 15 December 2026" in step.en


def test_a_late_agency_is_said_to_be_late_and_chased():
    step = next_step(filed(), at("2026-12-09T08:30"), POLICY)
    assert step.th.startswith("เขตวัฒนา ต้องตอบรับภายใน") and "เลยกำหนดแล้ว" in step.th
    assert "It is late" in step.en


def test_completed_asks_for_an_answer_and_says_when_the_case_closes_by_itself():
    case = completed()
    step = next_step(case, at("2026-12-10T12:00"), POLICY)
    until = "วันพฤหัสบดีที่ 24 ธันวาคม 2569"  # 14 days after Thu 10 December, to the end of the day
    assert step.th == (f"โปรดบอกเราว่าปัญหาได้รับการแก้ไขจริงหรือไม่ (แบบฟอร์มด้านล่าง) หากไม่ได้รับคำตอบภายใน{until} เรื่องจะปิดเอง")
    assert step.en.endswith("without an answer by Thursday 24 December 2026, the case closes by itself.")
    # the daily sweep agrees: not closed at the end of that day, closed right after
    end = case.due.at
    assert followup.follow_up(case, end, CAL, POLICY) is None
    assert followup.follow_up(case, end + timedelta(milliseconds=1), CAL, POLICY).case.state is State.CLOSED


def test_completed_without_a_feedback_deadline_counts_the_policys_days():
    case = completed().model_copy(update={"due": None})
    assert "วันพฤหัสบดีที่ 24 ธันวาคม 2569" in next_step(case, at("2026-12-10T12:00"), POLICY).th


@pytest.mark.parametrize(
    ("category", "th", "en"),
    [
        ("power_pole", "เรื่องนี้อยู่ในความรับผิดชอบของการไฟฟ้านครหลวง โปรดโทร 1130", "please call 1130."),
        ("water_main", "เรื่องนี้อยู่ในความรับผิดชอบของการประปานครหลวง โปรดโทร 1125", "please call 1125."),
    ],
)
def test_referred_says_whom_to_call(category, th, en):
    step = next_step(filed(category), FILED, POLICY)
    assert step.th == th and step.en.endswith(en)


def test_a_referral_by_letter_says_a_letter_went_and_whom_to_ask():
    org = CATALOGUE.agencies["EXT-DOH"]
    case = lifecycle.refer(
        filed("inquiry"), org, "letter", None, Actor(role=Role.CALLCENTER, id="cc"), FILED, None
    ).case
    step = next_step(case, FILED, POLICY)
    assert step.th == f"ศูนย์ 1555 ส่งหนังสือแจ้งเรื่องนี้ถึง{org.name_th}แล้ว สอบถามได้ที่ {org.hotline}"
    assert (
        step.en == f"The 1555 centre sent {org.name_en} a letter about your case; to ask about it, call {org.hotline}."
    )


def test_closed_nothing_more_happens():
    case = lifecycle.close(filed("inquiry"), Actor(role=Role.CALLCENTER, id="cc"), FILED, "ตอบแล้ว").case
    assert next_step(case, FILED, POLICY) is None
