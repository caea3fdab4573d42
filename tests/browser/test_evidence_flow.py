"""Before and after, in a real browser: a citizen files from a phone with a photo, the agency's
officer completes the case from the e-mail's link with an "after" photo taken elsewhere, the
completion is flagged without blocking the officer, and the auditor sees the flag after the
daily sweep.

The local stack runs with no map tiles reachable and with ``AuditRate`` 0: no completion is
drawn by chance, so the flagged case's audit is there because it was flagged. The citizen and
the officer use phone-sized pages; Playwright's ``expect`` waits for each change: no sleeps.
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
from playwright.sync_api import Browser, Locator, Page, expect

from complaints.domain.calendar import BANGKOK, BusinessCalendar, local_date
from tests.browser.conftest import NOT_INSTALLED, PHONE, chromium_executable, phone
from tests.browser.helpers import UNREACHABLE_TILES, agency_link, drag_pin, on_map
from tests.fixtures.photos.make import PHOTOS
from tests.photos import encode, exif_for
from tests.stack import CALLCENTER, Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser
BEFORE = Path(__file__).resolve().parents[1] / "fixtures" / "photos" / "before.jpg"
SITE = (13.738, 100.560)  # where before.jpg was taken: Watthana, Sukhumvit
AGENCY_MAIL = "district-1039@agency.example"  # Watthana's district office: roads there are its own
NOT_YET = "ส่งหน่วยงานแล้ว"  # the state of a case sent to its agency (nothing done yet)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    parameters = json.dumps({"MapTilesUrl": UNREACHABLE_TILES, "AuditRate": "0"})
    server = Server(Path(tmp_path_factory.mktemp("evidence")), "--no-seed", env={"LOCAL_PARAMETERS": parameters})
    yield server
    assert server.stop() == 0, server.output


def taken_now(name: str, folder: Path) -> Path:
    """The fixture ``name`` (its picture and its GPS place), as if taken now.

    The fixtures' EXIF times are fixed (after_*.jpg: 2026-12-03 10:00), while a case's filing
    time is the wall clock: from that day on the fixture would also be "taken before filing".
    So the "after" photos are written here with a time a second from now (EXIF keeps whole
    seconds), after the case was filed."""
    picture, lat, lon, _ = PHOTOS[name]
    taken_at = datetime.now(BANGKOK).replace(microsecond=0) + timedelta(seconds=1)
    path = folder / name
    path.write_bytes(encode(picture, "JPEG", exif_for(lat, lon, taken_at), quality=85))
    return path


def assert_loaded(img: Locator) -> None:
    """The image is shown: the browser fetched and decoded it (a thumbnail's signed URL works)."""
    img.scroll_into_view_if_needed()
    img.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())


def file_from_phone(page: Page, server: Server) -> tuple[str, str]:
    """The citizen files a road case with before.jpg, the pin moved to where it was taken:
    the case's number and its tracking link."""
    page.goto(server.base + "/report")
    page.select_option("#category", "road")
    page.fill("#description", "ถนนเป็นหลุมลึกหน้าปากซอย มีรูปประกอบ (browser test)")
    page.set_input_files("#photo-gallery", str(BEFORE))
    expect(page.locator("#photos li")).to_contain_text("ส่งรูปแล้ว")
    tapped = (SITE[0] + 0.01, SITE[1] - 0.01)
    page.mouse.click(*on_map(page, *tapped))  # a tap near the place, then the pin dragged onto it
    expect(page.locator(".pin")).to_be_visible()
    drag_pin(page, tapped, SITE)
    expect(page.locator("#district")).to_have_value("1039")  # Watthana: the pin's district
    expect(page.locator("#place-question")).to_be_hidden()
    page.click("#send")
    expect(page.locator("#done")).to_be_visible()
    return page.inner_text("#case-number"), page.get_attribute("#track-link", "href") or ""


def complete(page: Page, server: Server, link: str, note: str, photo: Path | None) -> int:
    """The officer opens the action link, takes or chooses the "after" photo and reports the
    completion; the status of the page that answers."""
    page.goto(server.base + link)
    form = page.locator("#form-complete")
    if photo is not None:
        page.set_input_files("#after-photo", str(photo))
        expect(page.locator("#after-status")).to_contain_text("photo sent")
        expect(page.locator("#after-preview")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the preview fits
    form.get_by_label("ผลการแก้ไข").fill(note)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url == server.base + link) as answer:
        form.get_by_role("button", name=re.compile("Report completion")).click()
    return answer.value.status


def staff_case(server: Server, case_id: str) -> dict[str, Any]:
    status, text, _ = server.call("GET", f"/complaints/{case_id}", headers=CALLCENTER)
    assert status == 200, text
    return json.loads(text)


def completion(server: Server, case_id: str) -> dict[str, Any]:
    """The case's completed event as the call centre sees it (with the checks and the flags)."""
    (done,) = [e for e in staff_case(server, case_id)["history"] if e["type"] == "completed"]
    return done


def assert_before_and_after_side_by_side(page: Page) -> None:
    before, after = page.locator("#photos-before img"), page.locator("#photos-after img")
    expect(before).to_have_count(1)
    expect(after).to_have_count(1)
    assert_loaded(before)
    assert_loaded(after)
    left, right = before.bounding_box(), after.bounding_box()
    assert left is not None and right is not None
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 5, (left, right)
    assert right["x"] + right["width"] <= PHONE["width"]  # both in the phone's width


def test_an_after_photo_taken_elsewhere_never_blocks_the_officer_and_the_auditor_sees_the_flag(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    # 1. the citizen files from a phone, with a photo and the pin moved to where it was taken
    citizen = phone(browser)
    case_id, track = file_from_phone(citizen, server)
    case = staff_case(server, case_id)
    assert case["location"]["lat"] == pytest.approx(SITE[0], abs=0.001)  # a pixel is ~75 m at the map's zoom
    assert case["location"]["lon"] == pytest.approx(SITE[1], abs=0.001)
    assert len(case["photos"]) == 1

    # 2. the officer opens the e-mail's link, sees the citizen's photo, completes with a photo
    #    taken 6.5 km away: saved as any completion, nothing asked, nothing refused
    officer = phone(browser)
    link = agency_link(server, case_id, AGENCY_MAIL)
    officer.goto(server.base + link)
    assert_loaded(officer.locator("#photos-before img"))
    expect(officer.locator("#photos-after")).to_contain_text("not yet")
    elsewhere = taken_now("after_elsewhere.jpg", tmp_path)
    assert complete(officer, server, link, "ปะหลุมเรียบร้อยแล้ว", elsewhere) == 200
    expect(officer.locator("#flash")).to_have_text(re.compile("บันทึกแล้ว"))
    expect(officer.locator("#flash")).to_have_class(re.compile(r"\bok\b"))
    expect(officer.locator("#state")).to_have_text("แก้ไขเสร็จแล้ว")
    assert_before_and_after_side_by_side(officer)
    assert "far_from_site" not in officer.content()  # the flag is for staff: the agency is not told

    # 3. the completion is flagged for staff; the citizen sees both photos and no flag
    done = completion(server, case_id)
    assert done["flags"] == ["far_from_site"]
    (checked,) = done["evidence_checks"]
    assert checked["distance_m"] > 6000
    citizen.goto(track)
    expect(citizen.locator("#state")).to_have_text("แก้ไขเสร็จแล้ว")
    assert_before_and_after_side_by_side(citizen)
    assert not re.search("far_from_site|evidence_checks|flag", citizen.content())

    # a second case, completed with a photo taken on the spot: not flagged
    status, text, _ = server.call(
        "POST",
        "/complaints",
        {
            "category": "road",
            "description": "ถนนยุบเป็นแอ่ง (browser test)",
            "location": {"lat": SITE[0], "lon": SITE[1], "district": "1039"},
        },
    )
    assert status == 201, text
    second = json.loads(text)["id"]
    here = taken_now("after_here.jpg", tmp_path)
    assert complete(officer, server, agency_link(server, second, AGENCY_MAIL), "ซ่อมแล้ว", here) == 200
    done = completion(server, second)
    assert "flags" not in done  # none raised (the staff view leaves out what is empty)
    assert done["evidence_checks"][0]["distance_m"] < 200

    # 4. the daily sweep the next business morning draws the flagged completion (the rate is 0),
    #    and the auditor, in the browser, sees its flag
    day = BusinessCalendar.with_specials().next_business_day(local_date(datetime.now(BANGKOK)))
    at = datetime.combine(day, time(8, 30), tzinfo=BANGKOK).isoformat()
    status, text, _ = server.call("POST", f"/_local/invoke/SlaCheckFunction?at={quote(at)}")
    assert status == 200, text
    auditor = browser.new_page()
    answer = auditor.goto(server.base + "/audits?as=auditor")
    assert answer is not None and answer.status == 200
    audits = answer.json()["audits"]
    assert [(a["case"]["id"], a["flags"]) for a in audits] == [(case_id, ["far_from_site"])]
    (evidence,) = next(e for e in audits[0]["case"]["history"] if e["type"] == "completed")["evidence"]
    auditor.goto(evidence["thumbnail_url"])  # the auditor can look at the photo it is about
    assert auditor.evaluate("document.images[0].naturalWidth") > 0
    for page in (citizen, officer, auditor):
        page.context.close()


def test_the_officer_is_told_when_the_file_is_not_a_photo_and_when_the_photo_is_missing(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    status, text, _ = server.call(
        "POST",
        "/complaints",
        {"category": "road", "description": "ฝาท่อหาย (browser test)", "location": {"district": "1039"}},
    )
    assert status == 201, text
    case_id = json.loads(text)["id"]
    link = agency_link(server, case_id, AGENCY_MAIL)
    officer = phone(browser)
    officer.goto(server.base + link)

    # a text file named .jpg: refused on the page, and nothing named in the form
    notes = tmp_path / "notes.jpg"
    notes.write_text("not a photo, only a note\n", encoding="utf-8")
    officer.set_input_files("#after-photo", str(notes))
    status_line = officer.locator("#after-status")
    expect(status_line).to_contain_text("ไม่ใช่รูปภาพ")
    expect(status_line).to_contain_text("not an image")
    expect(officer.locator("#evidence-key")).to_have_value("")
    expect(officer.locator("#after-preview")).to_be_hidden()

    # completing a road case without a photo: refused, in Thai and English, and nothing changed
    assert complete(officer, server, link, "ซ่อมแล้ว", None) == 400
    flash = officer.locator("#flash")
    expect(flash).to_contain_text("ต้องมีรูปหลังแก้ไขจึงจะแจ้งเสร็จได้")
    expect(flash).to_contain_text("needs a photo of the result")
    expect(flash).to_have_class(re.compile(r"\berr\b"))
    expect(officer.locator("#state")).to_have_text(NOT_YET)
    expect(officer.locator("#form-complete")).to_be_visible()  # the officer can try again
    case = staff_case(server, case_id)
    assert case["state"] == "dispatched"
    assert [e["type"] for e in case["history"]] == ["received", "routed"]
    officer.context.close()
