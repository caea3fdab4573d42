"""The auditors' desk (/console/audits) in headless Chromium against the local stack.

Two road cases in Watthana, each filed with a "before" photo and completed by the district with an
"after" photo that raises a flag: one taken 6.5 km away, one taken before the case was filed. The
stack runs with ``AuditRate`` 0, so the next morning's sweep draws exactly these two (flagged
completions are always audited). The auditor sees both with their evidence, the photos side by
side, and records a verdict on each; a verdict takes its audit off the list and leaves the other
as it was, the note being typed in it too. ``expect`` waits: no sleeps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from complaints.domain.calendar import BANGKOK, BusinessCalendar, local_date
from tests.browser.conftest import NOT_INSTALLED, assert_thai_glyphs, chromium_executable
from tests.fixtures.photos.make import PHOTOS
from tests.photos import encode, exif_for
from tests.stack import CALLCENTER, Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser
SITE = (13.738, 100.560)  # where before.jpg was taken: Watthana, Sukhumvit
OFFICER = {"X-Local-Role": "agency", "X-Local-Agency": "DIST-1039"}  # Watthana's district office


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    parameters = json.dumps({"AuditRate": "0"})
    server = Server(Path(tmp_path_factory.mktemp("audits")), "--no-seed", env={"LOCAL_PARAMETERS": parameters})
    yield server
    assert server.stop() == 0, server.output


def call(server: Server, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    status, text, _ = server.call(method, path, body, headers)
    assert status in (200, 201), text
    return json.loads(text)


def upload(server: Server, name: str, taken_at: datetime, headers: dict[str, str] | None = None) -> str:
    """The fixture photo ``name`` (its picture and its GPS place) taken at ``taken_at``, sent to the
    bucket through a presigned POST: the key to name."""
    picture, lat, lon, _ = PHOTOS[name]
    body = encode(picture, "JPEG", exif_for(lat, lon, taken_at), quality=85)
    ticket = call(server, "POST", "/uploads", {"content_type": "image/jpeg", "size": len(body)}, headers)
    form = ticket["upload"]
    sent = requests.post(form["url"], data=form["fields"], files={"file": (name, body, "image/jpeg")}, timeout=30)
    assert sent.status_code in (200, 201, 204), sent.text
    return ticket["key"]


def flagged_completion(server: Server, after: str, days_before_filing: int, note: str) -> str:
    """A road case at SITE with a "before" photo, completed by the district with the photo ``after``
    taken ``days_before_filing`` before the case was filed, or (0) just now: the case's number."""
    now = datetime.now(BANGKOK).replace(microsecond=0)
    case = call(
        server,
        "POST",
        "/complaints",
        {
            "category": "road",
            "description": "ถนนเป็นหลุมลึกหน้าปากซอย (console audit test)",
            "location": {"lat": SITE[0], "lon": SITE[1], "district": "1039", "address": "ซอยสุขุมวิท 39"},
            "photos": [upload(server, "before.jpg", now - timedelta(hours=1))],
        },
    )
    # EXIF keeps whole seconds: "now" is a second from now, after the filing
    taken_at = (
        now - timedelta(days=days_before_filing) if days_before_filing else datetime.now(BANGKOK) + timedelta(seconds=1)
    )
    key = upload(server, after, taken_at, OFFICER)
    call(server, "POST", f"/complaints/{case['id']}/acknowledge", {}, OFFICER)
    call(server, "POST", f"/complaints/{case['id']}/complete", {"note": note, "evidence_urls": [key]}, OFFICER)
    return case["id"]


def assert_side_by_side(audit: Locator) -> None:
    before, after = audit.locator(".photos-before img"), audit.locator(".photos-after img")
    for img in (before, after):
        img.scroll_into_view_if_needed()
        audit.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    left, right = before.bounding_box(), after.bounding_box()
    assert left is not None and right is not None
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 5, (left, right)
    link = audit.locator(".photos-after a")  # the thumbnail opens the full photo
    assert link.get_attribute("href") != after.get_attribute("src")
    assert link.get_attribute("target") == "_blank"


def test_an_auditor_records_verdicts_and_each_audit_leaves_the_list_in_place(server: Server, tablet: Page) -> None:
    now = datetime.now(BANGKOK).replace(microsecond=0)
    far = flagged_completion(server, "after_elsewhere.jpg", 0, "ปะหลุมเรียบร้อยแล้ว")
    early = flagged_completion(server, "after_here.jpg", 2, "ซ่อมผิวถนนแล้ว")
    day = BusinessCalendar.with_specials().next_business_day(local_date(now))
    at = datetime.combine(day, time(8, 30), tzinfo=BANGKOK).isoformat()
    call(server, "POST", f"/_local/invoke/SlaCheckFunction?at={quote(at)}")  # the morning's sweep draws both

    tablet.goto(server.base + "/console/audits?as=auditor")
    audits = tablet.locator("#audits .pager-list > li")
    expect(audits).to_have_count(2)
    expect(tablet.locator("#audit-count")).to_have_text("(2)")
    first, second = audits.filter(has_text=far), audits.filter(has_text=early)
    expect(first.locator(".flags")).to_have_text("ถ่ายห่างจากจุดที่แจ้ง taken far from the site")
    expect(second.locator(".flags")).to_have_text("ถ่ายก่อนวันที่แจ้งเรื่อง taken before the complaint was filed")
    expect(first.locator(".completion-note")).to_have_text("ปะหลุมเรียบร้อยแล้ว")
    expect(first.locator(".description")).to_contain_text("ถนนเป็นหลุมลึก")
    expect(first.locator(".place")).to_contain_text("ซอยสุขุมวิท 39")
    expect(first.locator(".agency")).to_contain_text("สำนักงานเขตวัฒนา")
    expect(first.locator("h3")).to_contain_text("ถนน")  # the category's name
    expect(first.locator(".checks")).to_contain_text(re.compile(r"\d,\d{3} m from the site"))
    assert_side_by_side(first)
    assert_thai_glyphs(tablet, "#audits .flags .t")

    # inconsistent needs a note: asked for, nothing sent
    first.locator(".verdict-inconsistent").click()
    expect(first.locator("textarea")).to_be_focused()
    expect(tablet.locator("#toasts")).to_contain_text("Say what does not match")
    expect(audits).to_have_count(2)

    # a note being typed in the second audit, then a one-click verdict on the first
    second.locator("textarea").fill("ภาพถ่ายก่อนวันแจ้ง ต้องตรวจพื้นที่")
    with tablet.expect_response(lambda r: r.request.method == "POST" and "/audits/" in r.url) as answer:
        first.locator(".verdict-consistent").click()
    assert json.loads(answer.value.request.post_data or "{}") == {"verdict": "consistent", "note": None}
    expect(tablet.locator("#toasts")).to_contain_text(f"Recorded: {far} consistent")
    expect(audits).to_have_count(1)
    expect(tablet.locator("#audit-count")).to_have_text("(1)")
    expect(second.locator("textarea")).to_have_value("ภาพถ่ายก่อนวันแจ้ง ต้องตรวจพื้นที่")  # kept as it was

    second.locator(".verdict-inconsistent").click()
    expect(tablet.locator("#toasts")).to_contain_text(f"Recorded: {early} inconsistent, reopened")
    expect(audits).to_have_count(0)
    expect(tablet.locator("#audits .pager-empty")).to_be_visible()

    assert call(server, "GET", "/audits", headers={"X-Local-Role": "auditor"})["audits"] == []
    reopened = call(server, "GET", f"/complaints/{early}", headers=CALLCENTER)
    assert reopened["state"] == "dispatched"
    (verdict,) = [e for e in reopened["history"] if e["type"] == "audited"]
    assert (verdict["verdict"], verdict["note"]) == ("inconsistent", "ภาพถ่ายก่อนวันแจ้ง ต้องตรวจพื้นที่")
    assert call(server, "GET", f"/complaints/{far}", headers=CALLCENTER)["state"] == "completed"
