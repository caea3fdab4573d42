"""The executives' page (SPEC §8): Thai first, the chart, the sortable table, links, escaping."""

import base64
import hashlib
import re

import pytest

from complaints.reporting import PAGE_CSP, html_page, names_from, on_time_rate
from complaints.reporting.render import COLUMNS, SORT_SCRIPT

from .helpers import CATALOGUE, Elements, document

pytestmark = pytest.mark.unit


def link(agency_id: str) -> str:
    return f"/reports/monthly/2026-11?format=html&agency={agency_id}#{agency_id}"


def page(doc=None, **kw) -> str:
    return html_page(doc or document(), link, **kw)


def test_the_page_is_thai_first_with_the_month_in_the_buddhist_era():
    html = page()
    assert html.startswith('<!doctype html>\n<html lang="th">')
    assert "รายงานประจำเดือน พฤศจิกายน 2569" in html
    assert "Monthly report, November 2026" in html
    assert 'name="viewport"' in html
    assert "1 ธ.ค. 2569 09:00" in html  # generated at, Bangkok time


def test_final_or_figures_so_far():
    assert "ฉบับสมบูรณ์" in page(document(final=True))
    running = page(document(final=False))
    assert "ข้อมูลถึงปัจจุบัน" in running and "figures so far" in running and "ฉบับสมบูรณ์" not in running


def test_a_thai_font_is_named_first_and_nothing_comes_from_the_network():
    html = page()
    families = re.findall(r"font-family:\s*([^;]+);", html)
    assert families and families[0].startswith('"Sarabun", "Noto Sans Thai"')
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html


def test_one_chart_bar_per_agency_with_its_on_time_rate():
    doc = document()
    tags = Elements(page(doc))
    svg = tags.find("svg", {"role": "img"})
    assert len(svg) == 1 and "On-time rate" in svg[0]["aria-label"]
    bars = [g["data-agency"] for g in tags.find("g", {"data-agency": None})]
    assert sorted(bars) == sorted(r["agency_id"] for r in doc["agencies"])
    assert bars == ["DIST-1039", "DEPT-PWD", "DIST-1001"]  # highest first, no rate last
    chart = page(doc).split('role="img"')[1].split("</svg>")[0]
    assert "62.5%" in chart and "50.0%" in chart
    no_rate = chart.split('data-agency="DIST-1001"')[1].split("</g>")[0]
    assert "—" in no_rate and 'fill="#1a5fb4"' not in no_rate


def test_the_agencies_table_is_sortable_by_every_column_and_links_each_agency():
    doc = document()
    html = page(doc)
    tags = Elements(html)
    table = html.split('<table id="agencies"')[1].split("</table>")[0]
    heads = Elements(table.split("</thead>")[0]).find("th", {"data-sort": None})
    assert [h["data-field"] for h in heads] == list(COLUMNS)
    assert {h["data-sort"] for h in heads} == {"number", "text"}
    rows = [a["id"] for a in Elements(table).find("tr", {"id": None})]
    assert rows == [r["agency_id"] for r in doc["agencies"]]
    hrefs = [a["href"] for a in tags.find("a", {"href": None})]
    assert [link(r["agency_id"]) for r in doc["agencies"]] == hrefs
    assert 'href="/reports/monthly/2026-11?format=html&amp;agency=DIST-1039#DIST-1039"' in html


def test_every_field_is_in_the_table_with_its_value_to_sort_on():
    doc = document()
    row = next(r for r in doc["agencies"] if r["agency_id"] == "DIST-1039")
    table = page(doc).split('<tr id="DIST-1039">')[1].split("</tr>")[0]
    values = [attrs["data-value"] for _, attrs in Elements(table).tags if "data-value" in attrs]
    raw = [on_time_rate(row) if c == "on_time" else row[c] for c in COLUMNS]
    assert values == ["" if v is None else str(v) for v in raw]
    assert ">62.5%<" in table and ">2.5<" in table


def test_the_sort_script_is_ours_inline_and_allowed_by_its_hash():
    html = page()
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert scripts == [SORT_SCRIPT]
    digest = base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in PAGE_CSP
    assert "default-src 'none'" in PAGE_CSP


def test_hostile_text_is_escaped():
    doc = document()
    doc["agencies"][0]["name_th"] = '<script>alert("x")</script>'
    doc["agencies"][0]["name_en"] = '"><img src=x onerror=alert(1)>'
    doc["agencies"][0]["agency_id"] = 'X"><b>'
    html = page(doc)
    assert "<script>alert" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert html.count("<script>") == 1


def test_the_breakdowns_with_names_when_given():
    html = page(names=names_from(CATALOGUE))
    categories = html.split('id="by-category"')[1].split("</section>")[0]
    assert "ถนน · Road surface" in categories and "น้ำท่วม" in categories
    districts = html.split('id="by-district"')[1].split("</section>")[0]
    assert "เขตวัฒนา" in districts or "1039" in districts
    assert 'data-value="1039"' in districts
    plain = page().split('id="by-category"')[1].split("</section>")[0]
    assert "road" in plain and "ถนน" not in plain


def test_the_headline_shows_the_change_from_the_previous_month():
    tags = Elements(page())
    cards = {c["id"]: c["data-delta"] for c in tags.find("li", {"class": "card"})}
    assert cards["total-dispatched"] == "3"
    assert cards["total-ack_rate"] == "30.0"
    assert cards["total-first_progress_rate"] == ""  # null before: no change
    assert "▲" in page() and "+30.0 pp" in page()


def test_the_call_centre_figures():
    html = page()
    centre = html.split('id="call-centre"')[1].split("</section>")[0]
    assert 'id="centre-received">10<' in centre and 'id="centre-dispatch_rate">88.9%<' in centre
    assert "โทรศัพท์" in centre and "เว็บไซต์" in centre


def test_an_empty_month_still_renders():
    html = page(document({"centre": {"received": 1}}, previous=None))
    assert "ไม่มีข้อมูล" in html and "ไม่มีข้อมูลเดือนก่อน" in html


def test_links_may_come_as_an_object_with_an_agency_method():
    class Links:
        def agency(self, agency_id: str) -> str:
            return f"/a/{agency_id}"

    assert 'href="/a/DIST-1039"' in html_page(document(), Links())
