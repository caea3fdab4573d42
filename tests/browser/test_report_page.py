"""The executives' monthly report page in a real browser, on the local stack's seeded months.

A fresh local stack seeds the two months before the current one (``local/seed.py``)
and freezes the previous month's report, so the page of that month has real
agencies. Headless Chromium opens it as an executive would (``?as=executive``):
the Thai month in Buddhist era, the chart with one group per agency row, and the
agencies table sorted by a click on a column header, then reversed by a second
click. Playwright's ``expect`` waits for each page: no sleeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NOT_INSTALLED, assert_thai_glyphs, chromium_executable
from tests.stack import Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser
BANGKOK = timezone(timedelta(hours=7))
THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip


def previous_month() -> tuple[int, int]:
    first = datetime.now(UTC).astimezone(BANGKOK).date().replace(day=1)
    before = first - timedelta(days=1)
    return before.year, before.month


def row_ids(page: Page) -> list[str]:
    return page.locator("#agencies tbody tr").evaluate_all("rows => rows.map(r => r.id)")


def on_time_rates(page: Page) -> dict[str, float | None]:
    """Each agency row's on-time rate, as the page sorts on it (``data-value``; empty: no figure)."""
    pairs = page.locator("#agencies tbody tr").evaluate_all(
        """rows => rows.map(r => {
            const i = [...r.closest("table").tHead.rows[0].cells].findIndex(th => th.dataset.field === "on_time");
            return [r.id, r.cells[i].dataset.value];
        })"""
    )
    return {agency: float(value) if value else None for agency, value in pairs}


@pytest.fixture
def report(server: Server, page: Page) -> Page:
    year, month = previous_month()
    answer = page.goto(f"{server.base}/reports/monthly/{year}-{month:02d}?format=html&as=executive")
    assert answer is not None and answer.status == 200
    return page


def test_the_executives_page_shows_the_month_in_thai_and_buddhist_era(report: Page, tmp_path: Path) -> None:
    year, month = previous_month()
    heading = report.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"รายงานประจำเดือน {THAI_MONTHS[month - 1]} {year + 543}")
    assert_thai_glyphs(report, "h1")
    expect(report.locator("#status")).to_contain_text("ฉบับสมบูรณ์")  # frozen by the seed's run on the 1st
    expect(report.locator("#agencies tbody tr").first).to_be_visible()
    report.screenshot(path=tmp_path / "report-page-phone.png", full_page=True)


def test_the_chart_has_one_group_per_agency_row(report: Page) -> None:
    rows = report.locator("#agencies tbody tr")
    groups = report.locator("#chart svg [data-agency]")
    expect(groups.first).to_be_attached()
    assert rows.count() >= 5  # several agencies worked in the seeded month
    assert groups.count() == rows.count()
    charted = {groups.nth(i).get_attribute("data-agency") for i in range(groups.count())}
    listed = {rows.nth(i).get_attribute("id") for i in range(rows.count())}
    assert charted == listed


def test_a_click_on_a_column_header_sorts_the_rows_and_a_second_click_reverses(report: Page) -> None:
    served = row_ids(report)
    assert served == sorted(served)  # as served: by agency ID
    rates = on_time_rates(report)
    assert len({r for r in rates.values() if r is not None}) >= 2, "the seeded month has agencies on time and late"

    def by_rate(direction: int) -> list[str]:
        # the page's order: by rate in the direction clicked, no rate last, equal rates as served
        return sorted(served, key=lambda a: (rates[a] is None, direction * (rates[a] or 0), served.index(a)))

    header = report.locator('#agencies thead th[data-field="on_time"]')
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert row_ids(report) == by_rate(1)

    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert row_ids(report) == by_rate(-1)
    assert by_rate(1) != by_rate(-1)  # so the rows moved, at one click at least
