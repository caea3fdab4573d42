"""The words of the monthly report: each figure's Thai and English label (SPEC §8)."""

from __future__ import annotations

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip

#: Per-agency fields (and the derived ``on_time``): (Thai, English).
FIELDS = {
    "agency_id": ("รหัส", "ID"),
    "name_th": ("หน่วยงาน", "agency"),
    "name_en": ("ชื่อภาษาอังกฤษ", "name in English"),
    "on_time": ("ทำตามกำหนด", "on time"),
    "dispatched": ("ส่งถึงหน่วยงาน", "dispatched"),
    "handed_back": ("ส่งคืน", "handed back"),
    "acknowledged": ("รับทราบ", "acknowledged"),
    "ack_met": ("รับทราบทันเวลา", "ack met"),
    "ack_missed": ("รับทราบเกินกำหนด", "ack missed"),
    "ack_rate": ("อัตรารับทราบทันเวลา", "ack rate"),
    "first_progress_met": ("ความคืบหน้าแรกทันเวลา", "first progress met"),
    "first_progress_missed": ("ความคืบหน้าแรกเกินกำหนด", "first progress missed"),
    "first_progress_rate": ("อัตราความคืบหน้าแรกทันเวลา", "first progress rate"),
    "checkpoint_met": ("รายงานตามรอบทันเวลา", "checkpoint met"),
    "checkpoint_missed": ("รายงานตามรอบเกินกำหนด", "checkpoint missed"),
    "checkpoint_rate": ("อัตรารายงานตามรอบทันเวลา", "checkpoint rate"),
    "completed": ("แก้ไขเสร็จ", "completed"),
    "median_business_days_to_complete": ("วันทำการจนแก้เสร็จ (มัธยฐาน)", "median business days to complete"),
    "reopened": ("เปิดเรื่องใหม่", "reopened"),
    "reopened_by_citizen": ("เปิดใหม่โดยผู้ร้อง", "reopened by citizen"),
    "reopened_by_audit": ("เปิดใหม่จากการตรวจสอบ", "reopened by audit"),
    "audits": ("ตรวจสอบ", "audits"),
    "audits_inconsistent": ("ตรวจพบไม่ตรงจริง", "audits inconsistent"),
    "chases": ("ติดตามทวงถาม", "chases"),
    "escalations": ("แจ้งผู้บังคับบัญชา", "escalations"),
    "citizens_satisfied": ("ผู้ร้องพอใจ", "citizens satisfied"),
    "citizens_unsatisfied": ("ผู้ร้องไม่พอใจ", "citizens unsatisfied"),
    "open_at_month_end": ("ค้าง ณ สิ้นเดือน", "open at month end"),
}

#: The headline figures (of ``totals``) and which way is better: +1 up, -1 down, 0 neither.
HEADLINE = (
    ("dispatched", 0),
    ("completed", 0),
    ("on_time", 1),
    ("ack_rate", 1),
    ("first_progress_rate", 1),
    ("checkpoint_rate", 1),
    ("median_business_days_to_complete", -1),
    ("reopened", -1),
    ("escalations", -1),
    ("citizens_satisfied", 1),
    ("citizens_unsatisfied", -1),
    ("open_at_month_end", -1),
)

CALL_CENTRE = {
    "received": ("รับเรื่องร้องเรียน", "complaints received"),
    "routed_automatically": ("ส่งหน่วยงานอัตโนมัติ", "routed automatically"),
    "dispatch_met": ("ส่งต่อทันเวลา", "routed in time"),
    "dispatch_missed": ("ส่งต่อเกินกำหนด", "routed late"),
    "dispatch_rate": ("อัตราส่งต่อทันเวลา", "routing on-time rate"),
    "referred_hotline": ("แนะนำสายด่วนหน่วยงานภายนอก", "referred to a hotline"),
    "referred_letter": ("ส่งหนังสือถึงหน่วยงานภายนอก", "referred by letter"),
    "closed_in_triage": ("ปิดเรื่องขั้นคัดแยก", "closed in triage"),
}

CHANNELS = {
    "web": ("เว็บไซต์", "web"),
    "mobile": ("แอปมือถือ", "mobile app"),
    "phone": ("โทรศัพท์", "phone"),
    "line": ("LINE", "LINE"),
    "email": ("อีเมล", "e-mail"),
    "walk_in": ("ติดต่อด้วยตนเอง", "walk-in"),
    "open311": ("Open311", "Open311"),
}

CATEGORY_FIELDS = {
    "category": ("หมวด", "category"),
    "received": ("รับเรื่อง", "received"),
    "completed": ("แก้ไขเสร็จ", "completed"),
    "reopened": ("เปิดเรื่องใหม่", "reopened"),
}

DISTRICT_FIELDS = {
    "district": ("เขต", "district"),
    "received": ("รับเรื่อง", "received"),
    "completed": ("แก้ไขเสร็จ", "completed"),
    "open_at_month_end": ("ค้าง ณ สิ้นเดือน", "open at month end"),
}

#: The deadline kinds of the e-mail's overview chart: (key of totals or call_centre, Thai, English).
OVERVIEW = (
    ("dispatch_rate", "ส่งต่อหน่วยงาน (ศูนย์ 1555)", "routing (call centre)"),
    ("ack_rate", "รับทราบ", "acknowledgement"),
    ("first_progress_rate", "ความคืบหน้าครั้งแรก", "first progress report"),
    ("checkpoint_rate", "รายงานตามรอบ", "progress reports"),
    ("on_time", "รวมทุกกำหนดของหน่วยงาน", "all agency deadlines"),
)
