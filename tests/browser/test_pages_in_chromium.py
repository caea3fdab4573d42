"""The agency action page and the citizen's tracking page in a real browser.

A complaint is filed over HTTP to the local stack; the agency's link is read from
the e-mail in the stack's outbox; headless Chromium opens it, acknowledges,
reports progress, then opens the citizen's tracking page. Playwright's
``expect`` waits for each page: no sleeps.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NOT_INSTALLED, PHONE, assert_thai_glyphs, chromium_executable
from tests.browser.helpers import agency_link
from tests.stack import Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser
AGENCY_MAIL = "district-1039@agency.example"


@pytest.fixture(scope="module")
def filed(server: Server) -> dict[str, Any]:
    """A complaint filed by a citizen, and the path of the agency's link from the e-mail it sent."""
    status, text, _ = server.call(
        "POST",
        "/complaints",
        {
            "category": "road",
            "description": "ถนนเป็นหลุมลึกหน้าปากซอย (browser test)",
            "location": {"address": "ซอยสุขุมวิท 31", "district": "1039"},
            "complainant": {"name": "สมชาย ใจดี", "phone": "0812345678"},
            "notify": True,
        },
    )
    assert status == 201, text
    case = json.loads(text)
    return case | {"link": agency_link(server, case["id"], AGENCY_MAIL)}


def test_the_agency_acknowledges_and_reports_progress_then_the_citizen_sees_it(
    server: Server, filed: dict[str, Any], page: Page, tmp_path: Path
) -> None:
    answer = page.goto(server.base + filed["link"])
    assert answer is not None and answer.status == 200
    expect(page.locator("#state")).to_have_text("ส่งหน่วยงานแล้ว")
    assert_thai_glyphs(page, "#state")
    expect(page.locator("#form-progress")).to_have_count(0)

    page.locator("#form-acknowledge").get_by_role("button").click()

    expect(page.locator("#state")).to_have_text("หน่วยงานรับทราบ")
    expect(page.locator("#flash")).to_contain_text("บันทึกแล้ว")
    expect(page.locator("#form-progress")).to_be_visible()
    expect(page.locator("#form-acknowledge")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    page.screenshot(path=tmp_path / "agency-page-phone.png", full_page=True)

    progress = page.locator("#form-progress")
    progress.get_by_label("ความคืบหน้า").fill("เริ่มซ่อมแล้ว คาดว่าเสร็จภายในสัปดาห์นี้")
    progress.get_by_role("button").click()

    expect(page.locator("#state")).to_have_text("กำลังดำเนินการ")
    expect(page.locator("#flash")).to_contain_text("บันทึกแล้ว")

    page.goto(f"{server.base}/track/{filed['id']}?token={filed['tracking_token']}")
    expect(page.locator("#state")).to_have_text("กำลังดำเนินการ")
    history = page.locator("#history li")
    expect(history).to_have_count(4)
    assert [history.nth(i).get_attribute("data-type") for i in range(4)] == [
        "received",
        "routed",
        "acknowledged",
        "progress",
    ]
    expect(history.last).to_contain_text("เริ่มซ่อมแล้ว คาดว่าเสร็จภายในสัปดาห์นี้")


def test_a_tampered_link_shows_the_refusal_page(server: Server, filed: dict[str, Any], page: Page) -> None:
    link = filed["link"]
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    answer = page.goto(server.base + tampered)
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    expect(page.locator("#form-acknowledge")).to_have_count(0)
