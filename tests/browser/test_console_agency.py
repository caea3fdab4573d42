"""The agency officer's console page in headless Chromium on a tablet, against the local stack:
the agency's queue by deadline with the overdue case first, the counts of what is overdue and
due today, acknowledging from the queue, completing with an "after" photo (the photo sent to the
bucket with a presigned POST), and a refusal when the case moved on meanwhile.

The overdue case is filed six days ago: a stack of its own files it through the API at that
instant (``backdated``) before the page's stack starts on the same state. The other cases are
filed now through the API; road cases in Watthana (1039) go to its district office, DIST-1039.
``expect`` waits for each change: no sleeps."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.backdated import file_in_the_past
from tests.browser.conftest import NOT_INSTALLED, assert_thai_glyphs, chromium_executable
from tests.stack import CALLCENTER, Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser
AFTER = Path(__file__).resolve().parents[1] / "fixtures" / "photos" / "after_here.jpg"
OFFICER = {"X-Local-Role": "agency", "X-Local-Agency": "DIST-1039"}
PAGE = "/console/agency?as=agency:DIST-1039"
ROAD = {"category": "road", "location": {"district": "1039", "address": "ซอยสุขุมวิท 39"}}


@pytest.fixture(scope="module")
def overdue_and_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Server]]:
    state = Path(tmp_path_factory.mktemp("console-agency"))
    six_days_ago = datetime.now(UTC) - timedelta(days=6)
    (late,) = file_in_the_past(state, [(six_days_ago, ROAD | {"description": "ฝาท่อหายมาหลายวันแล้ว (browser test)"})])
    assert late["agency"]["id"] == "DIST-1039"
    server = Server(state, "--no-seed")
    yield late["id"], server
    assert server.stop() == 0, server.output


@pytest.fixture
def server(overdue_and_server: tuple[str, Server]) -> Server:
    return overdue_and_server[1]


def file_road_case(server: Server, description: str) -> str:
    status, text, _ = server.call("POST", "/complaints", ROAD | {"description": description})
    assert status == 201, text
    case = json.loads(text)
    assert (case["state"], case["agency"]["id"]) == ("dispatched", "DIST-1039")
    return case["id"]


def staff_case(server: Server, case_id: str) -> dict[str, Any]:
    status, text, _ = server.call("GET", f"/complaints/{case_id}", headers=CALLCENTER)
    assert status == 200, text
    return json.loads(text)


def row(page: Page, case_id: str) -> Locator:
    return page.locator(f'#queue .pager-list > li[data-key="{case_id}"]')


def test_the_overdue_case_leads_the_queue_and_the_officer_acknowledges_it(
    overdue_and_server: tuple[str, Server], tablet: Page
) -> None:
    late, server = overdue_and_server
    fresh = file_road_case(server, "ไฟส่องทางดับ (browser test)")
    tablet.goto(server.base + PAGE)
    rows = tablet.locator("#queue .pager-list > li")
    expect(rows.first.locator(".case-id")).to_have_text(late)  # the most overdue first
    expect(row(tablet, fresh)).to_be_visible()
    first = row(tablet, late)
    expect(first.locator(".case-due .late")).to_contain_text("เกินกำหนด")
    expect(first.locator(".case-due .late")).to_contain_text("late")
    expect(first.locator(".case-category")).to_have_text("ถนน Road surface")
    expect(first.locator(".case-place")).to_have_text("ซอยสุขุมวิท 39 · เขตวัฒนา Watthana")
    expect(first.locator(".state")).to_contain_text("ส่งหน่วยงานแล้ว")
    expect(row(tablet, fresh).locator(".case-due")).to_contain_text("left")  # time left, no late mark
    expect(row(tablet, fresh).locator(".late")).to_have_count(0)
    expect(tablet.locator("#count-overdue")).to_have_text("1")
    assert_thai_glyphs(tablet, "#queue .state")

    first.locator("button[data-action=acknowledge]").click()
    expect(first.locator(".state")).to_contain_text("หน่วยงานรับทราบ")  # the row, in its place
    expect(tablet.locator("#toasts")).to_contain_text("บันทึกแล้ว")
    expect(tablet.locator("#count-overdue")).to_have_text("0")  # the counts follow the action
    expect(rows.first.locator(".case-id")).to_have_text(late)
    assert staff_case(server, late)["state"] == "acknowledged"

    tablet.locator("#view-state").click()  # by state: the acknowledged ones, newest first
    tablet.locator("#state-filter").select_option("acknowledged")
    expect(rows.locator(".case-id")).to_have_text([late])


def test_the_officer_completes_a_case_with_an_after_photo(server: Server, tablet: Page) -> None:
    case_id = file_road_case(server, "ถนนยุบหน้าบ้านเลขที่ 12 (browser test)")
    tablet.goto(server.base + PAGE)
    mine = row(tablet, case_id)
    mine.locator("button[data-action=complete]").click()
    form = mine.locator("form[data-action=complete]")
    form.get_by_label("ผลการแก้ไข").fill("ปะถนนเรียบร้อยแล้ว")
    form.get_by_role("button", name=re.compile("Report completion")).click()
    refusal = mine.locator(".act-status.err")  # a road case needs a photo: the API's words
    expect(refusal).to_contain_text("ต้องมีรูปหลังแก้ไขจึงจะแจ้งเสร็จได้")
    expect(refusal).to_contain_text("needs a photo of the result")
    expect(mine.locator(".state")).to_contain_text("ส่งหน่วยงานแล้ว")

    form.locator("input[type=file]").set_input_files(str(AFTER))
    expect(form.locator(".act-status")).to_contain_text("photo sent")
    expect(form.locator(".after-preview")).to_be_visible()
    form.get_by_role("button", name=re.compile("Report completion")).click()
    expect(mine.locator(".state")).to_contain_text("แก้ไขเสร็จแล้ว")
    expect(mine.locator("button[data-action]")).to_have_count(0)  # nothing left for the agency to do
    mine.locator(".case-more summary").click()  # the whole case: the completion with its photo
    expect(mine.locator('.case-history li[data-type="completed"] img')).to_have_count(1)
    (done,) = [e for e in staff_case(server, case_id)["history"] if e["type"] == "completed"]
    assert done["note"] == "ปะถนนเรียบร้อยแล้ว"
    assert len(done["evidence"]) == 1  # the photo, stored with the completion


def test_an_action_the_case_no_longer_allows_is_said_plainly_in_its_row(server: Server, tablet: Page) -> None:
    case_id = file_road_case(server, "ต้นไม้ล้มขวางทาง (browser test)")
    tablet.goto(server.base + PAGE)
    mine = row(tablet, case_id)
    expect(mine.locator(".state")).to_contain_text("ส่งหน่วยงานแล้ว")
    status, text, _ = server.call("POST", f"/complaints/{case_id}/acknowledge", {}, headers=OFFICER)
    assert status == 200, text  # a colleague acknowledged it meanwhile

    mine.locator("button[data-action=acknowledge]").click()
    expect(mine.locator(".row-error")).to_contain_text("Not possible in the case's current state")
    expect(mine.locator(".state")).to_contain_text("หน่วยงานรับทราบ")  # the row shows where the case is
    expect(mine.locator("button[data-action=acknowledge]")).to_have_count(0)
