"""The admin's reference data on /console/admin in headless Chromium against the local stack: a
category's routing unit changed in the page reaches the next filing (and not the cases filed
before), the change log shows it, and a bad e-mail is refused in the API's words with nothing changed.

The stack is empty (``--no-seed``): the change log holds only what these tests do. ``expect`` waits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NOT_INSTALLED, assert_thai_glyphs, chromium_executable, tablet_page
from tests.stack import Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser
ADMIN = {"X-Local-Role": "admin"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(Path(tmp_path_factory.mktemp("reference")), "--no-seed")
    yield server
    assert server.stop() == 0, server.output


@pytest.fixture
def admin(browser: Browser, server: Server) -> Iterator[Page]:
    page = tablet_page(browser)
    page.goto(server.base + "/console/admin?as=admin")
    expect(page.locator("#reference-changes .pager-list")).to_be_attached()
    yield page
    page.context.close()


def api(server: Server, method: str, path: str, body: Any = None) -> Any:
    status, text, _ = server.call(method, path, body, headers=ADMIN)
    assert status in (200, 201), text
    return json.loads(text)


def file_a_case(server: Server, category: str) -> dict[str, Any]:
    """A complaint filed by a citizen through the API, as the admin then reads it."""
    body = {"category": category, "description": "สะพานชำรุด (console reference test)", "location": {"district": "1039"}}
    status, text, _ = server.call("POST", "/complaints", body)
    assert status == 201, text
    return api(server, "GET", f"/complaints/{json.loads(text)['id']}")


def test_a_category_moved_to_another_department_routes_the_next_complaint_there(server: Server, admin: Page) -> None:
    before = file_a_case(server, "bridge")
    assert before["agency"]["id"] == "DEPT-PWD"

    admin.locator("#ref-category").fill("สะพาน")  # the Thai name is enough
    admin.locator("#ref-category").press("Tab")
    expect(admin.locator("#ref-category-picked")).to_contain_text("Bridges")
    expect(admin.locator("#category-unit")).to_have_value("department:DEPT-PWD")
    admin.locator("#category-unit").select_option("department:DEPT-DDS")
    admin.locator("#category-save").click()
    expect(admin.locator("#category-status")).to_contain_text("บันทึกแล้ว Saved")
    assert_thai_glyphs(admin, "#category-status")

    change = admin.locator("#reference-changes .pager-list > li").first
    expect(change.locator(".ref-change")).to_have_attribute("data-id", "bridge")
    expect(change).to_contain_text("local-admin")
    expect(change.locator('[data-field="unit"] .before')).to_have_text("department:DEPT-PWD")
    expect(change.locator('[data-field="unit"] .after')).to_have_text("department:DEPT-DDS")

    after = file_a_case(server, "bridge")
    assert (after["state"], after["agency"]["id"]) == ("dispatched", "DEPT-DDS")
    assert file_a_case(server, "road")["agency"]["id"] == "DIST-1039"  # other categories as they were
    assert api(server, "GET", f"/complaints/{before['id']}")["agency"]["id"] == "DEPT-PWD"  # history kept


def test_a_bad_email_is_refused_in_the_api_words_and_nothing_changes(server: Server, admin: Page) -> None:
    admin.locator("#ref-agency").fill("สำนักการโยธา")
    admin.locator("#ref-agency").press("Enter")  # Enter: the next field, filled with the agency's e-mail
    expect(admin.locator("#agency-email")).to_be_focused()
    expect(admin.locator("#agency-email")).to_have_value("dept-pwd@agency.example")

    admin.locator("#agency-email").fill("works at bma")
    admin.locator("#agency-save").click()
    expect(admin.locator("#agency-status")).to_contain_text("ไม่ได้บันทึก Not saved")
    expect(admin.locator("#agency-status .api-message")).to_have_text(
        "email is not a valid e-mail address (name@domain.tld)"
    )
    (pwd,) = [a for a in api(server, "GET", "/agencies")["agencies"] if a["id"] == "DEPT-PWD"]
    assert pwd["email"] == "dept-pwd@agency.example"
    assert not [c for c in api(server, "GET", "/reference/changes")["changes"] if c["kind"] == "agency"]
    expect(admin.locator('#reference-changes .ref-change[data-kind="agency"]')).to_have_count(0)

    # corrected, it is saved and logged with what it was
    admin.locator("#agency-email").fill("works@bma.example")
    admin.locator("#agency-save").click()
    expect(admin.locator("#agency-status")).to_contain_text("บันทึกแล้ว Saved")
    change = admin.locator('#reference-changes .ref-change[data-kind="agency"]')
    expect(change.locator('[data-field="email"] .before')).to_have_text("dept-pwd@agency.example")
    expect(change.locator('[data-field="email"] .after')).to_have_text("works@bma.example")
    (pwd,) = [a for a in api(server, "GET", "/agencies")["agencies"] if a["id"] == "DEPT-PWD"]
    assert pwd["email"] == "works@bma.example"
