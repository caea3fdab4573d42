"""The call centre's console page in headless Chromium (tablet size) against the local stack: a
phone complaint filed with the keyboard only and found again by the caller's phone; a triage case
routed to the agency the page suggests, leaving the queue with the routing in its history; an
overdue triage case marked late (the browser's clock moved past the routing deadline, as the
queue's time left is the browser's). ``expect`` waits: no sleeps."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NOT_INSTALLED, assert_thai_glyphs, chromium_executable, tablet_page
from tests.stack import CALLCENTER, Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser
PAGE = "/console/callcentre?as=callcenter"
CASE_ID = re.compile(r"^\d{4}-[0-9A-Z]{6}$")
LATE = re.compile(r"\blate\b")


def file_case(server: Server, category: str, district: str) -> dict:
    body = {"category": category, "description": "ทดสอบ · a test case", "location": {"district": district}}
    status, text, _ = server.call("POST", "/complaints", body)  # a citizen
    assert status == 201, text
    return json.loads(text)


def case_of(server: Server, case_id: str) -> dict:
    status, text, _ = server.call("GET", f"/complaints/{case_id}", headers=CALLCENTER)
    assert status == 200, text
    return json.loads(text)


def queue_row(page: Page, case_id: str):
    return page.locator("#queue .pager-list > li", has=page.locator(".case-open", has_text=case_id))


def test_a_phone_complaint_is_filed_with_the_keyboard_only_and_found_by_the_callers_phone(
    server: Server, tablet: Page
) -> None:
    tablet.goto(server.base + PAGE)
    expect(tablet.locator("#file-phone")).to_be_focused()  # the first field: type at once
    assert_thai_glyphs(tablet, "#file h2")
    keys = tablet.keyboard
    for text in ("086-999-0001", "สมศรี ใจดี", "ถนน", "ถนนเป็นหลุมลึก รถจักรยานยนต์ล้ม", "บางรัก", "หน้าซอยสีลม 9", ""):
        keys.type(text)
        keys.press("Enter")  # the next field
    expect(tablet.locator("#file-notify")).to_be_focused()
    keys.press("Space")  # the caller wants SMS
    keys.press("Tab")
    keys.press("Enter")  # on the last field: files

    number = tablet.locator("#filed-number")
    expect(number).to_have_text(CASE_ID)
    case_id = number.inner_text()
    expect(tablet.locator("#case .case-number")).to_have_text(case_id)  # the case opens
    expect(tablet.locator("#case .case-description")).to_have_text("ถนนเป็นหลุมลึก รถจักรยานยนต์ล้ม")
    expect(tablet.locator("#case .case-details")).to_contain_text("สำนักงานเขตบางรัก")  # routed at once
    expect(tablet.locator("#file-phone")).to_be_focused()  # ready for the next call
    case = case_of(server, case_id)
    assert (case["channel"], case["category"], case["district"], case["notify"]) == ("phone", "road", "1004", True)
    assert case["complainant"]["phone"] == "+66869990001"
    assert case["history"][0]["by"]["role"] == "callcenter"

    tablet.locator("#search-q").fill("0869990001")
    keys.press("Enter")
    expect(tablet.locator("#results .case-open")).to_have_text([case_id])


def test_a_triage_case_is_routed_to_the_suggested_agency_and_leaves_the_queue(server: Server, tablet: Page) -> None:
    case_id = file_case(server, "flooding", "1039")["id"]  # the drainage department's, at once
    officer = {"X-Local-Role": "agency", "X-Local-Agency": "DEPT-DDS"}
    status, text, _ = server.call(
        "POST", f"/complaints/{case_id}/handback", {"reason": "ท่อย่อย · a side drain"}, officer
    )
    assert status == 200, text  # back in triage

    tablet.goto(server.base + PAGE)
    row = queue_row(tablet, case_id)
    row.locator(".case-open").click()
    view = tablet.locator("#case .case-view")
    expect(view.locator(".case-number")).to_have_text(case_id)
    expect(view.locator(".case-history > li")).to_have_count(3)  # received, routed, handed back
    expect(tablet.locator("#route-suggested")).to_contain_text("สำนักการระบายน้ำ")
    expect(tablet.locator("#route-agency")).to_have_value(
        "สำนักการระบายน้ำ · Department of Drainage and Sewerage (DEPT-DDS)"
    )
    tablet.locator("#route-note").fill("ท่อหลักของสำนักฯ · the main drain")
    tablet.locator("#route-submit").click()

    expect(tablet.locator(".toast.ok").last).to_contain_text(f"{case_id} routed to")
    expect(row).to_have_count(0)  # the queue reloaded without it
    routed = view.locator(".case-history > li").last
    expect(routed).to_have_attribute("data-type", "routed")
    expect(routed).to_contain_text("ส่งหน่วยงาน")
    expect(routed).to_contain_text("ท่อหลักของสำนักฯ")
    expect(view.locator(".state")).to_have_text("ส่งหน่วยงานแล้ว sent to the agency")
    assert case_of(server, case_id)["agency"]["id"] == "DEPT-DDS"


def test_an_overdue_triage_case_is_marked_late(server: Server, browser: Browser) -> None:
    case_id = file_case(server, "other", "1039")["id"]  # the call centre decides: triage, 24 hours to route
    on_time = tablet_page(browser)
    on_time.goto(server.base + PAGE)
    due = queue_row(on_time, case_id).locator(".queue-due > .t")
    expect(due).to_contain_text("เหลือ")
    expect(due).not_to_have_class(LATE)
    on_time.context.close()

    later = tablet_page(browser)  # two days on, by the browser's clock
    later.clock.set_fixed_time(datetime.now().astimezone() + timedelta(days=2))
    later.goto(server.base + PAGE)
    due = queue_row(later, case_id).locator(".queue-due > .t")
    expect(due).to_have_class(LATE)
    expect(due).to_contain_text("เกินกำหนด 1 วัน")
    expect(due).to_contain_text("late")
    assert_thai_glyphs(later, "#queue .late")
    later.context.close()
