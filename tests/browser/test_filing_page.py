"""The citizen's filing page (/report) in a real browser, phone-sized, with no map tiles reachable.

The local stack runs with ``MapTilesUrl`` pointed at a host that cannot resolve (``.invalid``):
the map stays grey, and the pin, the district picker and the questions still work. Headless
Chromium picks a category, writes the description, places the pin with a tap and drags it (the
district picker follows), is asked about a far district, sends, and sees the case number, the
tracking link and the deadline in words; then it opens the tracking link. Playwright's
``expect`` waits for each change: no sleeps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from complaints.domain.geo import nearest_districts, place_question
from tests.browser.conftest import NOT_INSTALLED, PHONE, assert_thai_glyphs, chromium_executable, phone
from tests.browser.helpers import POINTS, UNREACHABLE_TILES, drag_pin, on_map
from tests.stack import Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser
PHOTO = Path(__file__).resolve().parents[1] / "fixtures" / "photos" / "before.jpg"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    parameters = json.dumps({"MapTilesUrl": UNREACHABLE_TILES})
    server = Server(Path(tmp_path_factory.mktemp("filing")), "--no-seed", env={"LOCAL_PARAMETERS": parameters})
    yield server
    assert server.stop() == 0, server.output


@pytest.fixture
def filing(server: Server, browser: Browser) -> Iterator[Page]:
    page = phone(browser)
    answer = page.goto(server.base + "/report")
    assert answer is not None and answer.status == 200
    yield page
    page.context.close()


def nearest(lat: float, lon: float) -> str:
    return nearest_districts(lat, lon, POINTS.values(), 1)[0]


def test_a_citizen_files_from_a_phone_with_a_moved_pin_and_follows_the_link(
    server: Server, filing: Page, tmp_path: Path
) -> None:
    page = filing
    assert_thai_glyphs(page, "h1")
    # the tiles are asked of the configured server, which never answers: the map stays grey
    expect(page.locator("img.leaflet-tile").first).to_have_attribute("src", re.compile(r"^http://tiles\.invalid/11/"))
    expect(page.locator("img.leaflet-tile-loaded")).to_have_count(0)
    page.select_option("#category", "road")
    page.fill("#description", "ถนนเป็นหลุมลึกหน้าปากซอย อันตรายตอนกลางคืน (browser test)")
    expect(page.locator("#description-count")).to_have_text(str(len(page.input_value("#description"))))

    # a tap on the grey map (no tile loads) places the pin; the district picker follows it
    bang_rak = POINTS["1004"]
    page.mouse.click(*on_map(page, bang_rak.lat + 0.002, bang_rak.lon))
    expect(page.locator(".pin")).to_be_visible()
    expect(page.locator("#district")).to_have_value(nearest(bang_rak.lat + 0.002, bang_rak.lon))
    assert page.input_value("#district") == "1004"

    # dragging the pin to Watthana moves the district with it
    watthana = POINTS["1039"]
    drag_pin(page, (bang_rak.lat + 0.002, bang_rak.lon), (watthana.lat, watthana.lon))
    expect(page.locator("#district")).to_have_value("1039")
    expect(page.locator("#place-question")).to_be_hidden()

    # a district far from the pin is asked about, and the form does not go silently
    page.select_option("#district", "1036")  # Don Mueang, 20 km north
    question = page.locator("#place-question")
    expect(question).to_be_visible()
    expect(question).to_contain_text("หมุดอยู่ในเขตวัฒนา แต่เลือกเขตดอนเมือง ถูกต้องหรือไม่?")
    expect(question).to_contain_text("The pin is in Watthana but you chose Don Mueang")
    page.click("#send")
    expect(page.locator("#form-error")).to_contain_text("โปรดตอบคำถามเรื่องสถานที่ก่อนส่ง")
    expect(page.locator("#done")).to_be_hidden()
    page.click("#place-keep")  # "yes, Don Mueang": the citizen's choice is kept
    expect(question).to_be_hidden()
    expect(page.locator("#district")).to_have_value("1036")
    page.select_option("#district", "1033")  # Khlong Toei: among the 3 nearest, no question
    expect(question).to_be_hidden()
    page.select_option("#district", "1042")  # Sai Mai: far again, asked again
    expect(question).to_contain_text("แต่เลือกเขตสายไหม")
    page.click("#place-fix")  # "use Watthana": back to the pin's district
    expect(page.locator("#district")).to_have_value("1039")
    expect(question).to_be_hidden()

    page.fill("#address", "ซอยสุขุมวิท 31")
    page.fill("#phone", "081-234-5678")
    page.check("#notify")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    page.screenshot(path=tmp_path / "filing-page-phone.png", full_page=True)
    page.click("#send")

    done = page.locator("#done")
    expect(done).to_be_visible()
    case_id = page.inner_text("#case-number")
    assert re.fullmatch(r"\d{4}-[0-9A-Z]{6}", case_id), case_id
    assert_thai_glyphs(page, "#deadline")
    link = page.get_attribute("#track-link", "href") or ""
    assert link.startswith(f"{server.base}/track/{case_id}?token=")
    expect(page.locator("#track-link")).to_have_text(link)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base)
    page.click("#copy-link")
    expect(page.locator("#copy-status")).to_have_text("คัดลอกแล้ว · Copied")
    assert page.evaluate("navigator.clipboard.readText()") == link

    # the deadline in words is the case's own: the day and the Buddhist-era year
    status, text, _ = server.call("GET", link.removeprefix(server.base).replace("/track/", "/complaints/"))
    assert status == 200, text
    case = json.loads(text)
    assert (case["district"], case["location"]["address"], case["channel"]) == ("1039", "ซอยสุขุมวิท 31", "web")
    assert case["location"]["lat"] == pytest.approx(watthana.lat, abs=0.002)
    assert case["location"]["lon"] == pytest.approx(watthana.lon, abs=0.002)
    due = datetime.fromisoformat(case["due"]["at"])
    assert case["due"]["kind"] == "ack"
    deadline = page.inner_text("#deadline")
    assert re.search(rf"หน่วยงานต้องตอบรับภายในวัน\S+ที่ {due.day} \S+ พ\.ศ\. {due.year + 543}", deadline), deadline
    assert "สำนักงานเขตวัฒนา" in deadline
    expect(page.locator("#deadline-en")).to_contain_text("must acknowledge it by")
    page.screenshot(path=tmp_path / "filing-page-done.png", full_page=True)

    page.goto(link)
    expect(page.locator("body")).to_contain_text(case_id)
    expect(page.locator("#state")).to_have_text("ส่งหน่วยงานแล้ว")


def test_an_urgent_category_says_whom_to_call_before_and_after_sending(filing: Page) -> None:
    page = filing
    page.select_option("#category", "power_pole")
    urgent = page.locator("#urgent")
    expect(urgent).to_be_visible()
    expect(urgent).to_contain_text("โทรแจ้งการไฟฟ้านครหลวง ทันที")
    expect(page.locator("#urgent-call")).to_have_attribute("href", "tel:1130")
    page.fill("#description", "เสาไฟฟ้าล้มขวางถนน สายไฟขาด (browser test)")
    page.select_option("#district", "1004")
    page.click("#send")
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#deadline")).to_contain_text("โปรดโทร 1130")
    expect(page.locator("#deadline-en")).to_contain_text("Metropolitan Electricity Authority")


def test_the_apis_refusal_is_shown_next_to_its_field_and_the_form_can_be_sent_again(filing: Page) -> None:
    page = filing
    page.select_option("#category", "noise")
    page.fill("#description", "เสียงดังรบกวนทั้งคืน (browser test)")
    page.select_option("#district", "1039")
    page.fill("#phone", "022345678")  # a landline: no SMS can reach it
    page.check("#notify")
    page.click("#send")
    expect(page.locator("#notify-error")).to_contain_text("landline")  # the API's 422, next to the box
    expect(page.locator("#done")).to_be_hidden()
    expect(page.locator("#send")).to_be_enabled()
    page.uncheck("#notify")
    page.click("#send")
    expect(page.locator("#done")).to_be_visible()


def test_a_position_outside_bangkok_is_asked_about_and_can_go_without_the_pin(server: Server, browser: Browser) -> None:
    page = phone(browser, geolocation={"latitude": 12.93, "longitude": 100.88}, permissions=["geolocation"])
    page.goto(server.base + "/report")
    page.click("#locate")  # Pattaya
    expect(page.locator("#locate-status")).to_contain_text("ได้ตำแหน่งแล้ว")
    question = page.locator("#place-question")
    expect(question).to_contain_text("หมุดอยู่นอกกรุงเทพมหานคร ถูกต้องหรือไม่?")
    page.select_option("#category", "other")
    page.fill("#description", "ทดสอบตำแหน่งนอกกรุงเทพฯ (browser test)")
    page.click("#send")
    expect(page.locator("#form-error")).to_contain_text("โปรดตอบคำถามเรื่องสถานที่ก่อนส่ง")
    page.click("#place-keep")  # send without the pin
    expect(question).to_be_hidden()
    expect(page.locator(".pin")).to_have_count(0)
    page.click("#send")
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#deadline")).to_contain_text("ศูนย์ 1555 จะส่งเรื่องให้หน่วยงานที่รับผิดชอบภายใน")
    page.context.close()


def test_the_page_and_the_domain_agree_on_the_nearest_districts_and_the_questions(filing: Page) -> None:
    """report-geo.js repeats domain/geo.py's rules in the browser: the same answers everywhere."""
    grid = [(13.40 + 0.03 * i, 100.25 + 0.04 * j) for i in range(22) for j in range(19)]  # Bangkok and around
    in_page = filing.evaluate(
        """grid => {
            const c = JSON.parse(document.getElementById("report-config").textContent);
            return grid.map(([lat, lon]) => [
                R1555.geo.nearestDistricts(lat, lon, c.districts, 3),
                R1555.geo.placeQuestion(lat, lon, "1039", c.districts, c.bbox, c.near),
            ]);
        }""",
        grid,
    )
    expected = [
        [nearest_districts(lat, lon, POINTS.values(), 3), place_question(lat, lon, "1039", POINTS.values())]
        for lat, lon in grid
    ]
    assert in_page == expected
    assert {q for _, q in expected} == {None, "outside", "elsewhere"}


def test_my_position_places_the_pin_and_picks_the_district(server: Server, browser: Browser) -> None:
    here = (13.7440, 100.5340)  # Siam Square
    page = phone(browser, geolocation={"latitude": here[0], "longitude": here[1]}, permissions=["geolocation"])
    page.goto(server.base + "/report")
    expect(page.locator(".pin")).to_have_count(0)  # nothing is asked of the phone before the tap
    page.click("#locate")
    expect(page.locator(".pin")).to_be_visible()
    expect(page.locator("#district")).to_have_value(nearest(*here))
    assert nearest(*here) == "1007"  # Pathum Wan
    page.context.close()


def test_photos_are_checked_uploaded_at_once_and_removable(filing: Page, server: Server) -> None:
    """The page's side of the upload: POST /uploads, then the form's fields and the file to the
    bucket. Here both answers are played by the test (``page.route``); the bucket is on the
    page's own origin so that the page's Content-Security-Policy lets the post through."""
    page = filing
    bucket_posts: list[bytes] = []

    def uploads(route: Route) -> None:
        asked = json.loads(route.request.post_data or "{}")
        assert asked == {"content_type": "image/jpeg", "size": PHOTO.stat().st_size}
        upload = {"url": server.base + "/_test-bucket", "fields": {"key": "incoming/" + "A" * 22, "policy": "p"}}
        route.fulfill(status=201, json={"key": "incoming/" + "A" * 22, "upload": upload, "max_bytes": 10485760})

    def bucket(route: Route) -> None:
        bucket_posts.append(route.request.post_data_buffer or b"")
        route.fulfill(status=204)

    page.route("**/uploads", uploads)
    page.route("**/_test-bucket", bucket)
    page.set_input_files("#photo-gallery", str(PHOTO))
    item = page.locator("#photos li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("ส่งรูปแล้ว")
    body = bucket_posts[0]
    # every field first, the file last (Chromium does not show an intercepted file's bytes)
    assert body.index(b'name="key"') < body.index(b'name="policy"') < body.index(b'name="file"; filename="before.jpg"')

    big = {"name": "big.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8" + b"0" * (10 * 1024 * 1024)}
    page.set_input_files("#photo-camera", files=[big])
    expect(page.locator("#photos-error")).to_contain_text("ใหญ่เกิน 10 MB")
    expect(item).to_have_count(1)  # refused before anything was sent
    assert len(bucket_posts) == 1

    page.locator("#photos li").get_by_role("button", name=re.compile("ลบ")).click()
    expect(page.locator("#photos li")).to_have_count(0)


def test_a_photo_goes_to_the_bucket_with_the_complaint_and_shows_on_the_tracking_page(
    server: Server, filing: Page
) -> None:
    """The whole way: POST /uploads, the presigned POST straight to the local stack's bucket (moto),
    the complaint naming the key, and the thumbnail on the tracking page."""
    page = filing
    page.select_option("#category", "road")
    page.fill("#description", "ถนนเป็นหลุม มีรูปประกอบ (browser test)")
    page.set_input_files("#photo-gallery", str(PHOTO))
    expect(page.locator("#photos li")).to_contain_text("ส่งรูปแล้ว")
    page.select_option("#district", "1039")
    page.click("#send")
    expect(page.locator("#done")).to_be_visible()

    link = page.get_attribute("#track-link", "href") or ""
    status, text, _ = server.call("GET", link.removeprefix(server.base).replace("/track/", "/complaints/"))
    assert status == 200, text
    (photo,) = json.loads(text)["photos"]  # stored: served through signed URLs of its copies
    assert photo["thumbnail_url"].startswith("http") and photo["url"] != photo["thumbnail_url"]
    page.goto(link)
    thumbnail = page.locator(".photos img").first
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0"), "the thumbnail did not load"
