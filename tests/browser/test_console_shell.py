"""The staff console's shell in headless Chromium against the local stack: the role preset by
``?as=``, the role picker, the menu of each role, and the core's API calls and list (the home's
newest cases, a ``Console.pager`` over ``GET /complaints``). ``expect`` waits: no sleeps."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NOT_INSTALLED, assert_thai_glyphs, chromium_executable
from tests.stack import Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser


def test_the_call_centre_opens_its_home_with_its_page_and_the_newest_cases(server: Server, tablet: Page) -> None:
    tablet.goto(server.base + "/console?as=callcenter")
    expect(tablet.locator("#who-role")).to_contain_text("เจ้าหน้าที่ศูนย์ 1555")
    expect(tablet.locator("#role-links a")).to_have_count(1)
    link = tablet.locator("#role-links a")
    expect(link).to_contain_text("ศูนย์รับเรื่อง")
    assert link.get_attribute("href") == "/console/callcentre"
    assert tablet.url == server.base + "/console"  # the preset is kept, not the ?as= in the address
    assert_thai_glyphs(tablet, "#title")
    assert_thai_glyphs(tablet, "#who-role")
    rows = tablet.locator("#latest .pager-list > li")
    expect(rows).to_have_count(5)  # a page of the demo's cases

    tablet.locator("#latest .pager-more").click()  # the next page, with the API's cursor
    expect(rows).to_have_count(10)
    first_ids = rows.locator(".case-id").all_inner_texts()
    tablet.locator("#latest-refresh").click()  # reloads both pages shown, in place
    expect(rows.locator(".case-id")).to_have_text(first_ids)

    tablet.reload()  # the picked role stays for the tab
    expect(tablet.locator("#who-role")).to_contain_text("Call centre")


def test_the_role_picker_switches_to_an_agency_whose_calls_carry_its_role(server: Server, tablet: Page) -> None:
    tablet.goto(server.base + "/console?as=callcenter")
    expect(tablet.locator("#who-role")).to_contain_text("Call centre")
    tablet.locator("#sign-out").click()
    expect(tablet.locator("#picker")).to_be_visible()
    tablet.locator("#pick-role").select_option("agency")
    tablet.locator("#pick-agency").fill("DIST-1039")
    with tablet.expect_request(lambda r: "/complaints?" in r.url) as listed:
        tablet.locator("#pick-enter").click()
    headers = listed.value.headers
    assert (headers["x-local-role"], headers["x-local-agency"]) == ("agency", "DIST-1039")
    expect(tablet.locator("#who-role")).to_contain_text("เจ้าหน้าที่หน่วยงาน")
    expect(tablet.locator("#who-agency")).to_have_text("DIST-1039")
    expect(tablet.locator("#nav a")).to_have_text(["หน้าแรก Home", "งานของหน่วยงาน Agency queue"])
    agencies = tablet.locator("#latest .case-agency")
    expect(agencies.first).to_have_text("DIST-1039")
    assert set(agencies.all_inner_texts()) == {"DIST-1039"}  # the API lists only the agency's own cases

    tablet.goto(server.base + "/console/audits")  # not this role's page: said so, nothing loaded
    expect(tablet.locator("#view .flash")).to_contain_text("This page is not for your role.")


def test_without_a_role_the_console_asks_for_one(server: Server, tablet: Page) -> None:
    tablet.goto(server.base + "/console/agency")
    expect(tablet.locator("#picker")).to_be_visible()
    expect(tablet.locator("#pick-role")).to_be_focused()
