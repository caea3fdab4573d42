"""The admin's page (/console/admin) in headless Chromium against the local stack: special holidays
added, official ones cancelled, both taken back, and a case's running deadline seen to move.

The stack is empty (``--no-seed``): the one case filed here is the only running deadline, so each
change says exactly how many deadlines it moved. The local stack files at the wall clock's time; the
case's acknowledgement deadline is the end of the next business day, whatever that is today.
``expect`` waits: no sleeps.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from complaints.domain.calendar import BANGKOK, BusinessCalendar
from tests.browser.conftest import NOT_INSTALLED, TABLET, assert_thai_glyphs, chromium_executable
from tests.stack import Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(Path(tmp_path_factory.mktemp("admin")), "--no-seed")
    yield server
    assert server.stop() == 0, server.output


@pytest.fixture
def admin(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport=TABLET, locale="th-TH")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(server.base + "/console/admin?as=admin")
    expect(page.locator("#holidays .pager-list > li").first).to_be_visible()
    yield page
    context.close()


def file_a_case(server: Server) -> str:
    """A road case in Watthana, routed at once to the district (its clock: the acknowledgement)."""
    body = {"category": "road", "description": "ทางเท้าชำรุด (console admin test)", "location": {"district": "1039"}}
    status, text, _ = server.call("POST", "/complaints", body)
    assert status == 201, text
    return json.loads(text)["id"]


def official(day: date) -> bool:
    return BusinessCalendar.with_specials().holiday_name(day) is not None


def shown_deadline(page: Page) -> date:
    return datetime.fromisoformat(page.locator("#case-due").get_attribute("data-at") or "").astimezone(BANGKOK).date()


def test_an_admin_adds_a_holiday_and_sees_a_case_deadline_move(server: Server, admin: Page) -> None:
    case_id = file_a_case(server)
    admin.locator("#case-id").fill(case_id)
    admin.locator("#case-open").click()
    expect(admin.locator("#case-number")).to_have_text(case_id)
    expect(admin.locator("#case-box")).to_contain_text("ตอบรับ acknowledgement")
    deadline = shown_deadline(admin)
    before = admin.locator("#case-due").inner_text()
    assert BusinessCalendar.with_specials().is_business_day(deadline)

    # a special holiday on the deadline's day: the deadline moves to the next business day
    admin.locator("#holiday-day").fill(deadline.isoformat())
    admin.locator("#holiday-name").fill("วันหยุดพิเศษตามมติ ครม.")
    admin.locator("#holiday-submit").click()
    expect(admin.locator("#holiday-result")).to_contain_text("เลื่อนกำหนดเวลาที่กำลังนับ 1 เรื่อง")
    expect(admin.locator("#holiday-result")).to_contain_text("1 running deadline(s) moved")
    expected = BusinessCalendar.with_specials(added={deadline: "x"}).next_business_day(deadline)
    expect(admin.locator("#case-due-was")).to_contain_text(before)
    assert shown_deadline(admin) == expected
    assert admin.locator("#case-due").inner_text() != before
    assert_thai_glyphs(admin, "#holiday-result")
    row = admin.locator(f'#holidays li[data-key="{deadline.isoformat()}"]')  # the list shows its year
    expect(row).to_contain_text("วันหยุดพิเศษตามมติ ครม.")
    expect(row.locator(".badge")).to_have_text("วันหยุดพิเศษ special")

    # taken back: the deadline is where it was
    row.get_by_role("button", name="Take back").click()
    expect(admin.locator("#holiday-result")).to_contain_text("Special holiday taken back")
    expect(admin.locator("#holiday-result")).to_contain_text("1 running deadline(s) moved")
    expect(row).to_have_count(0)
    expect(admin.locator("#case-due")).to_have_text(before)
    assert shown_deadline(admin) == deadline


def test_an_admin_cancels_an_official_holiday_and_takes_the_cancellation_back(server: Server, admin: Page) -> None:
    year = datetime.now(BANGKOK).year + 1
    day = next(
        date(year, 3, 1) + timedelta(days=n) for n in range(366) if official(date(year, 3, 1) + timedelta(days=n))
    )
    admin.locator("#year-next").click()  # next year's, at least two months away: no running deadline near it
    expect(admin.locator("#holiday-year")).to_contain_text(str(year))
    official_day = admin.locator(f'#holidays li[data-key="{day.isoformat()}"]')
    expect(official_day.locator(".badge")).to_have_text("วันหยุดราชการ official")

    official_day.get_by_role("button", name="Cancel this holiday").click()
    expect(admin.locator("#holiday-result")).to_contain_text("Holiday cancelled")
    expect(admin.locator("#holiday-result")).to_contain_text("0 running deadline(s) moved")
    expect(official_day.locator(".badge")).to_have_text("ยกเลิกแล้ว (เป็นวันทำงาน) cancelled: a working day")

    official_day.get_by_role("button", name="Restore the holiday").click()
    expect(admin.locator("#holiday-result")).to_contain_text("Holiday restored")
    expect(official_day.locator(".badge")).to_have_text("วันหยุดราชการ official")
