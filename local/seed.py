"""Demo complaints for a fresh local stack (``make run`` calls it when the table is empty).

Everything goes through the API the way a client would — ``POST /complaints``
as citizens (and as the call centre for phone complaints), then
``POST /complaints/{id}/route`` as the call centre for the cases that landed in
triage and for one re-route — each call an API Gateway event handed to the
intake handler (``Stack.api``), stamped with an instant over the last ten days.
Reference data is not seeded: it is bundled with the code.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from complaints.domain.calendar import BANGKOK
from local.events import claims_for
from local.stack import Stack

CITIZENS = [
    {"name": "สมชาย ใจดี", "phone": "0851234567", "email": "somchai@example.com"},
    {"name": "สุดา รักสะอาด", "phone": "0898765432"},
    {"name": "Anan P.", "email": "anan@example.com"},
    {"name": "วิไล ศรีสุข", "phone": "0623456789"},
    {},  # anonymous
]

# (key, days ago, Bangkok hour, role, body). ``key`` names a case for the routes below.
COMPLAINTS: list[tuple[str, float, int, str | None, dict[str, Any]]] = [
    ("road", 9.6, 9, None, {"category": "road", "description": "ถนนเป็นหลุมลึกหน้าปากซอย อันตรายมาก",
                            "location": {"lat": 13.7386, "lon": 100.5698, "address": "ซอยสุขุมวิท 31",
                                         "district": "1039"}}),
    ("rubbish", 9.2, 14, None, {"category": "cleanliness", "description": "ขยะล้นถังหน้าตลาด ไม่มีคนมาเก็บสามวันแล้ว",
                                "location": {"address": "ถนนเจริญกรุง", "district": "1004"}}),
    ("noise", 8.8, 22, None, {"category": "noise", "description": "Construction noise after 10 pm every night",
                              "location": {"address": "Rama IV Rd", "district": "1033"}, "channel": "mobile"}),
    ("lamp", 8.3, 19, None, {"category": "lighting", "description": "ไฟถนนดับทั้งซอย มืดมาก",
                             "location": {"district": "มีนบุรี"}, "channel": "line"}),
    ("drain", 7.9, 8, None, {"category": "drain", "description": "ฝาท่อระบายน้ำหาย เสี่ยงคนตกลงไป",
                             "location": {"address": "ถนนเพชรเกษม", "district": "1022"}, "urgent": True}),
    ("tree", 7.4, 11, None, {"category": "tree", "description": "กิ่งไม้ใหญ่จะหักลงมาทับสายไฟ",
                             "location": {"district": "1005"}}),
    ("footpath", 6.8, 10, None, {"category": "sidewalk", "description": "ทางเท้าทรุด กระเบื้องแตก",
                                 "location": {"address": "ซอยทองหล่อ 10", "district": "1039"}}),
    ("stall", 6.5, 16, None, {"category": "obstruction", "description": "แผงลอยวางของบนทางเท้าจนเดินไม่ได้",
                              "location": {"address": "ถนนสุขุมวิท ซอย 39", "district": "1039"}}),
    ("flood", 5.9, 17, None, {"category": "flooding", "description": "ฝนตกแล้วน้ำท่วมขังสูงครึ่งเมตรทุกครั้ง",
                              "location": {"address": "ถนนนวมินทร์", "district": "1027"}}),
    ("traffic", 5.4, 8, None, {"category": "traffic", "description": "สัญญาณไฟจราจรค้างเป็นไฟแดงนานผิดปกติ",
                               "location": {"address": "แยกผ่านฟ้า", "district": "1001"}}),
    ("dogs", 4.9, 13, None, {"category": "stray_animal", "description": "สุนัขจรจัดไล่กัดเด็กนักเรียน",
                             "location": {"district": "1044"}}),
    ("pipe", 4.6, 7, None, {"category": "water_main", "description": "ท่อประปาแตก น้ำพุ่งท่วมถนน",
                            "location": {"address": "ถนนพหลโยธิน", "district": "1030"}, "urgent": True}),
    ("pole", 4.1, 20, None, {"category": "power_pole", "description": "เสาไฟฟ้าเอียงจะล้ม มีสายไฟห้อยต่ำ",
                             "location": {"district": "1017"}, "urgent": True}),
    ("general", 3.7, 10, None, {"category": "complaint",
                                "description": "เจ้าหน้าที่เทศกิจเก็บค่าที่ผู้ค้าโดยไม่มีใบเสร็จ",
                                "location": {"district": "1013"}}),
    ("question", 3.2, 15, None, {"category": "inquiry", "description": "อยากทราบว่าถนนในซอยจะซ่อมเมื่อไร",
                                 "location": {"district": "1010"}}),
    ("nowhere", 2.8, 9, None, {"category": "road", "description": "ถนนยุบเป็นแอ่ง รถจักรยานยนต์ล้มบ่อย",
                               "location": {"address": "หน้าโรงเรียน ไม่ทราบเขต"}}),
    ("phone-noise", 2.3, 23, "callcenter", {"category": "noise", "description": "ร้านอาหารเปิดเพลงเสียงดังถึงตีสอง",
                                            "location": {"address": "ซอยเอกมัย 12", "district": "1039"},
                                            "channel": "phone"}),
    ("phone-rubbish", 1.8, 9, "callcenter", {"category": "cleanliness", "description": "มีคนลักลอบทิ้งขยะริมคลอง",
                                             "location": {"district": "1050"}, "channel": "phone"}),
    ("phone-pole", 1.3, 14, "callcenter", {"category": "suggestion",
                                           "description": "ขอให้ย้ายเสาไฟฟ้าที่ขวางทางเข้าบ้าน",
                                           "location": {"district": "1038"}, "channel": "phone"}),
    ("air", 0.9, 8, None, {"category": "pm25", "description": "ควันดำจากรถบรรทุกในไซต์ก่อสร้าง ฝุ่นเยอะมาก",
                           "location": {"district": "1014"}}),
    ("toilet", 0.4, 12, None, {"category": "toilet", "description": "ห้องน้ำสาธารณะในสวนสกปรกและไม่มีน้ำ",
                               "location": {"district": "1007"}, "channel": "mobile"}),
    # left waiting in the call centre's triage queue
    ("bikes", 0.3, 10, None, {"category": "other", "description": "อยากให้มีที่จอดจักรยานหน้าสถานีรถไฟฟ้า",
                              "location": {"district": "1030"}}),
    ("crack", 0.2, 11, None, {"category": "road", "description": "ถนนแตกร้าวยาวหลายเมตร",
                              "location": {"address": "ถนนเลียบคลอง ไม่ทราบเขต"}}),
]

# (key, hours after filing, body): the call centre routes the triage cases, and re-routes one.
ROUTES: list[tuple[str, float, dict[str, Any]]] = [
    ("general", 3, {"agency_id": "DEPT-CLE", "note": "เรื่องพฤติกรรมเจ้าหน้าที่เทศกิจ"}),
    ("question", 2, {"agency_id": "DIST-1010", "section": "public_works", "note": "สอบถามแผนซ่อมถนน"}),
    ("nowhere", 4, {"agency_id": "DIST-1039", "note": "ผู้ร้องยืนยันทางโทรศัพท์ว่าอยู่เขตวัฒนา"}),
    ("phone-pole", 1, {"external": {"agency_id": "EXT-MEA", "channel": "letter", "reference": "กทม.1555/2569"},
                       "note": "คำขอย้ายเสาไฟฟ้าเป็นอำนาจของการไฟฟ้านครหลวง"}),
    ("footpath", 5, {"agency_id": "DIST-1040", "note": "re-routed: the place is in Bang Khae, not Watthana"}),
]


# (key, hours after filing, agency, action, body): agencies at work on some cases.
ACTIONS: list[tuple[str, float, str, str, dict[str, Any]]] = [
    ("road", 20, "DIST-1039", "acknowledge", {"note": "รับทราบ จะส่งทีมช่างไปตรวจ"}),
    ("road", 44, "DIST-1039", "progress", {"note": "ตีเส้นกั้นพื้นที่แล้ว รอวัสดุ", "expected_completion": None}),
    ("rubbish", 5, "DIST-1004", "acknowledge", {}),
    ("rubbish", 26, "DIST-1004", "complete", {"note": "เก็บขยะเรียบร้อย เพิ่มรอบเก็บเป็นทุกวัน",
                                              "evidence_urls": ["https://photos.example/after-rubbish.jpg"]}),
    ("drain", 3, "DIST-1022", "complete", {"note": "ติดตั้งฝาท่อใหม่แล้ว"}),
    ("noise", 30, "DIST-1033", "acknowledge", {}),
    ("flood", 20, "DEPT-DDS", "handback", {"reason": "จุดนี้อยู่ในความรับผิดชอบของสำนักงานเขต ไม่ใช่ท่อหลัก"}),
]


def _at(now: datetime, days_ago: float, hour: int) -> datetime:
    day = (now - timedelta(days=days_ago)).astimezone(BANGKOK)
    at = day.replace(hour=hour, minute=(int(days_ago * 97) % 60), second=0, microsecond=0)
    return min(at, now - timedelta(minutes=30))


def run(stack: Stack, now: datetime | None = None) -> list[dict[str, Any]]:
    """File the demo complaints, route some, print what was made, and save once at the end."""
    now = now or datetime.now(UTC)
    # The metric lines (EMF, printed by each invocation) of the demo data are not shown; the
    # handler is imported first, so that its logger keeps the real stdout.
    stack.prepare("IntakeFunction")
    quiet = io.StringIO()
    stack.autosave = False
    try:
        with contextlib.redirect_stdout(quiet):
            cases = _file_and_route(stack, now)
    except Exception:
        sys.stderr.write(quiet.getvalue())
        raise
    finally:
        stack.autosave = True
    stack.save()
    print_table(cases)
    return cases


def _file_and_route(stack: Stack, now: datetime) -> list[dict[str, Any]]:
    callcenter = claims_for("callcenter", user="local-seed")
    headers = {"Content-Type": "application/json"}
    filed: dict[str, dict[str, Any]] = {}
    for n, (key, days_ago, hour, role, body) in enumerate(COMPLAINTS):
        complainant = CITIZENS[n % len(CITIZENS)]
        payload = {"complainant": complainant,
                   "notify": bool(complainant.get("phone") or complainant.get("email"))} | body
        at = _at(now, days_ago, hour)
        answer = stack.api("POST", "/complaints", headers=headers, at=at,
                           body=json.dumps(payload, ensure_ascii=False),
                           claims=callcenter if role == "callcenter" else None)
        if answer is None or answer.status != 201:
            raise RuntimeError(f"seeding '{key}' failed: {answer and answer.status} "
                               f"{answer and answer.body.decode('utf-8', 'replace')}")
        filed[key] = answer.json | {"_at": at}
    for key, hours, body in ROUTES:
        case = filed[key]
        at = min(case["_at"] + timedelta(hours=hours), now - timedelta(minutes=5))
        answer = stack.api("POST", f"/complaints/{case['id']}/route", headers=headers, at=at,
                           body=json.dumps(body, ensure_ascii=False), claims=callcenter)
        if answer is None or answer.status != 200:
            raise RuntimeError(f"routing '{key}' failed: {answer and answer.status} "
                               f"{answer and answer.body.decode('utf-8', 'replace')}")
        filed[key] = answer.json | {"_at": case["_at"], "tracking_token": case.get("tracking_token")}
    for key, hours, agency, action, body in ACTIONS:
        case = filed[key]
        at = min(case["_at"] + timedelta(hours=hours), now - timedelta(minutes=1))
        payload = {k: v for k, v in body.items() if v is not None}
        answer = stack.api("POST", f"/complaints/{case['id']}/{action}", headers=headers, at=at,
                           body=json.dumps(payload, ensure_ascii=False),
                           claims=claims_for("agency", agency_id=agency, user="local-seed"))
        if answer is None or answer.status != 200:
            raise RuntimeError(f"{action} '{key}' failed: {answer and answer.status} "
                               f"{answer and answer.body.decode('utf-8', 'replace')}")
        filed[key] = answer.json | {"_at": case["_at"], "tracking_token": case.get("tracking_token")}
    first = filed[COMPLAINTS[0][0]]
    stack.demo = {"id": first["id"], "token": first["tracking_token"]}
    return list(filed.values())


def print_table(cases: list[dict[str, Any]]) -> None:
    """id, state, category and who has it — no personal data."""
    print(f"\nSeeded {len(cases)} demo complaints:\n")
    print(f"  {'id':<12} {'received (Bangkok)':<17} {'state':<11} {'category':<13} agency")
    for c in sorted(cases, key=lambda c: c["_at"]):
        who = (c.get("agency") or {}).get("id") or (c.get("referral") or {}).get("agency_id") or "—"
        when = c["_at"].astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")
        print(f"  {c['id']:<12} {when:<17} {c['state']:<11} {c['category']:<13} {who}")
