"""Contact details typed into a description or a note are hidden before Open311 shows the text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.domain.redaction import HIDDEN, hide_contacts

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "written",
    [
        "081-234-5678",
        "0812345678",
        "081 234 5678",
        "08.1234.5678",
        "+66812345678",
        "+66 81 234 5678",
        "66812345678",
        "02-123-4567",
        "021234567",
    ],
)
def test_a_phone_number_however_written_is_hidden(written):
    text = f"ถนนเป็นหลุม โทร {written} ได้ตลอด"
    assert hide_contacts(text) == f"ถนนเป็นหลุม โทร {HIDDEN} ได้ตลอด"


def test_an_email_address_is_hidden():
    assert hide_contacts("ติดต่อ somchai.j+1555@mail.example.co.th ครับ") == f"ติดต่อ {HIDDEN} ครับ"


def test_the_complainants_name_whole_and_in_parts_is_hidden():
    text = "คุณสมชาย ใจดี แจ้งว่า สมชาย เห็นท่อแตก; Somchai saw it"
    out = hide_contacts(text, ["สมชาย ใจดี", "Somchai"])
    assert "สมชาย" not in out and "ใจดี" not in out and "Somchai" not in out
    assert out.startswith(f"คุณ{HIDDEN} แจ้งว่า {HIDDEN} เห็นท่อแตก")


@pytest.mark.parametrize(
    "kept",
    [
        "ซอยสุขุมวิท 31 บ้านเลขที่ 123/45",
        "เรื่อง 2604-ABC123 ยังไม่เสร็จ",
        "ตั้งแต่ 12 เม.ย. 2569 เวลา 14:05",
        "ถนนยาว 250 เมตร กว้าง 12.5 เมตร",
        "ตู้ควบคุมหมายเลข 1234567",
    ],
)
def test_places_case_numbers_dates_and_measures_stay(kept):
    assert hide_contacts(kept, ["นาย ก"]) == kept  # a name part under 3 characters is not matched


def test_nothing_to_hide_is_returned_as_it_is():
    assert hide_contacts(None) is None
    assert hide_contacts("") == ""


@given(st.from_regex(r"0[689]\d{8}", fullmatch=True), st.text(alphabet="กขคงจฉ ", max_size=20))
def test_any_thai_mobile_number_in_any_thai_text_is_hidden(number, words):
    out = hide_contacts(f"{words} {number} {words}")
    assert number not in out and HIDDEN in out
