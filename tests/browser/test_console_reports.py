"""The executive's page (/console/reports) in headless Chromium against the local stack: the month's
report shown in the page (fetched with the staff headers, in a sandboxed frame styled by the
console), its CSV as a download, and the fiscal year's table. An empty stack with one case filed
this month and the morning's roll-up run: the running month's report counts it. ``expect`` waits: no sleeps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from complaints.domain.calendar import BANGKOK
from tests.browser.conftest import NOT_INSTALLED, chromium_executable
from tests.stack import Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(Path(tmp_path_factory.mktemp("reports")), "--no-seed")
    yield server
    assert server.stop() == 0, server.output


def test_the_executive_sees_the_month_report_downloads_its_csv_and_sees_the_fiscal_year(
    server: Server, tablet: Page
) -> None:
    body = {"category": "road", "description": "ถนนเป็นหลุม (console reports test)", "location": {"district": "1039"}}
    status, text, _ = server.call("POST", "/complaints", body)
    assert status == 201, text
    now = datetime.now(BANGKOK) + timedelta(minutes=1)
    status, text, _ = server.call("POST", f"/_local/invoke/SlaCheckFunction?at={quote(now.isoformat())}")
    assert status == 200, text  # the sweep rolls the report's figures up: today so far
    month = now.strftime("%Y-%m")

    tablet.goto(server.base + "/console/reports?as=executive")
    expect(tablet.locator("#report-month")).not_to_have_value("")  # last month by default
    with tablet.expect_request(lambda r: f"/reports/monthly/{month}?format=html" in r.url) as asked:
        tablet.locator("#report-month").fill(month)
        tablet.locator("#report-show").click()
    assert asked.value.headers["x-local-role"] == "executive"  # the staff headers, as every API call
    expect(tablet.locator("#report-frame")).to_have_attribute("data-ready", "true")
    report = tablet.frame_locator("#report-frame")
    expect(report.locator("h1")).to_contain_text("รายงานประจำเดือน")
    expect(report.locator("#status")).to_contain_text("figures so far")  # the running month
    expect(report.locator("#total-dispatched .value")).to_have_text("1")
    card = report.locator("#total-dispatched")
    assert card.evaluate("c => getComputedStyle(c).borderTopStyle") == "solid"  # the report's own style applies
    height = tablet.locator("#report-frame").evaluate("f => f.getBoundingClientRect().height")
    assert height > 600  # sized to the report, not a small scrolling box

    with tablet.expect_download() as downloading:
        tablet.locator("#report-csv-link").click()
    download = downloading.value
    assert download.suggested_filename == f"1555-report-{month}.csv"
    csv = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "DIST-1039" in csv

    expect(tablet.locator("#fiscal-table")).to_be_visible()
    fiscal = json.loads(
        server.call(
            "GET",
            f"/reports/fiscal-year/{tablet.locator('#fiscal-year').input_value()}",
            headers={"X-Local-Role": "executive"},
        )[1]
    )
    expect(tablet.locator("#fiscal-table tbody tr")).to_have_count(len(fiscal["agencies"]))
