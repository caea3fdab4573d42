"""The e-mail to the executives (SPEC §8): one MIME message for SES ``send_raw_email``."""

import email
import email.policy
import re

import pytest

from complaints.reporting import csv_bytes, email_message

from .helpers import document, parse_csv
from .test_view import many

pytestmark = pytest.mark.unit
SENDER = "reports@1555.test"
TO = ["exec1@bma.test", "exec2@bma.test"]


def sent(doc, **kw) -> email.message.EmailMessage:
    """The message as SES would carry it: rendered to bytes and parsed back."""
    raw = email_message(doc, SENDER, TO, **kw).as_bytes()
    return email.message_from_bytes(raw, policy=email.policy.default)


def parts(msg):
    alternative, attachment = msg.get_payload()
    plain, html = alternative.get_payload()
    return alternative, plain, html, attachment


def test_the_mime_structure():
    msg = sent(document())
    assert msg.get_content_type() == "multipart/mixed"
    alternative, plain, html, attachment = parts(msg)
    assert alternative.get_content_type() == "multipart/alternative"
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert plain.get_content_charset() == html.get_content_charset() == "utf-8"
    assert attachment.get_content_type() == "text/csv"
    assert attachment.get_content_charset() == "utf-8"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "1555-report-2026-11.csv"


def test_the_headers():
    msg = sent(document())
    assert msg["Subject"] == "[1555] รายงานประจำเดือน พฤศจิกายน 2569"
    assert msg["From"] == SENDER and msg["To"] == "exec1@bma.test, exec2@bma.test"
    assert msg["Date"] == "Tue, 01 Dec 2026 02:00:00 +0000"
    assert "ข้อมูลถึงปัจจุบัน" in sent(document(final=False))["Subject"]


def test_the_attachment_is_the_csv_with_its_bom_and_the_json_rows():
    doc = document()
    attachment = parts(sent(doc, csv_name="november.csv"))[3]
    data = attachment.get_payload(decode=True)
    assert data.startswith(b"\xef\xbb\xbf") and data == csv_bytes(doc)
    assert parse_csv(data) == doc["agencies"]
    assert attachment.get_filename() == "november.csv"


def test_the_raw_message_is_what_ses_takes():
    raw = email_message(document(), SENDER, TO).as_bytes()
    assert raw.isascii()  # headers RFC 2047, every part base64
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert b"Content-Transfer-Encoding: base64" in raw


def test_the_ten_lowest_in_order_with_html_bars_and_no_script_or_svg():
    _, plain, html, _ = parts(sent(many()))
    body = html.get_content()
    section = body.split('id="lowest"')[1].split("</table>")[0]
    order = re.findall(r'data-agency="([^"]+)"', section)
    assert order == ["DIST-1006", "DIST-1002", "DIST-1008", "DIST-1003", "DIST-1004",
                     "DIST-1011", "DIST-1010", "DIST-1007", "DIST-1009", "DIST-1001"]  # fmt: skip
    assert "DIST-1005" not in body  # no rate: left out
    widths = re.findall(r'<div style="width: ([0-9.]+)%', section)
    assert widths == ["0.0", "25.0", "33.3", "50.0", "50.0", "60.0", "70.0", "75.0", "80.0", "90.0"]
    assert "<script" not in body and "<svg" not in body and "<style" not in body
    text = plain.get_content()
    listed = re.findall(r"^\s*(\d+)\. .*\((DIST-\d+)\): ([0-9.]+%)", text, re.M)
    assert [(n, a) for n, a, _ in listed] == [(str(i), a) for i, a in enumerate(order, 1)]
    assert listed[0][2] == "0.0%" and listed[-1][2] == "90.0%"


def test_the_lowest_leave_out_null_rates_even_when_fewer_than_ten():
    _, plain, html, _ = parts(sent(document()))
    section = html.get_content().split('id="lowest"')[1].split("</table>")[0]
    assert re.findall(r'data-agency="([^"]+)"', section) == ["DEPT-PWD", "DIST-1039"]
    assert "DIST-1001" not in plain.get_content()


def test_the_headline_and_its_changes_in_both_parts():
    _, plain, html, _ = parts(sent(document()))
    text = plain.get_content()
    assert "ส่งถึงหน่วยงาน / dispatched: 7  (▲ +3; เดือนก่อน / previous 4)" in text
    assert "อัตรารับทราบทันเวลา / ack rate: 80.0%  (▲ +30.0 pp; เดือนก่อน / previous 50.0%)" in text
    assert "ค้าง ณ สิ้นเดือน / open at month end: 3  (▼ -2; เดือนก่อน / previous 5)" in text
    body = html.get_content()
    assert "▲ +3" in body and "▲ +30.0 pp" in body and "▼ -2" in body
    assert "พฤศจิกายน 2569" in body and '<html lang="th">' in body


def test_without_a_previous_month():
    text = parts(sent(document(previous=None)))[1].get_content()
    assert "- ส่งถึงหน่วยงาน / dispatched: 7" in text.splitlines()
    assert "ไม่มีข้อมูลเดือนก่อน" in text


def test_hostile_text_is_escaped_in_the_html_part():
    doc = document()
    doc["agencies"][0]["name_th"] = "<script>alert(1)</script>"
    body = parts(sent(doc))[2].get_content()
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_a_link_to_the_full_report_when_given():
    url = "https://1555.test/reports/monthly/2026-11?format=html&x=1"
    _, plain, html, _ = parts(sent(document(), page_url=url))
    assert url in plain.get_content()
    assert 'href="https://1555.test/reports/monthly/2026-11?format=html&amp;x=1"' in html.get_content()


def test_no_recipient_is_refused():
    with pytest.raises(ValueError, match="recipient"):
        email_message(document(), SENDER, [])
