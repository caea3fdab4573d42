"""What the API keeps, removes and refuses of what people type (issue #10: defects 8 and 9,
and the explicit hostile cases): one rule for every free-text and one-line field."""

import pytest
from pydantic import BaseModel, ValidationError

from complaints.guard import MAX_JSON_DEPTH, json_depth
from complaints.schemas import (
    AcknowledgeIn,
    CloseIn,
    ComplainantIn,
    ComplaintIn,
    CompleteIn,
    ExternalIn,
    FeedbackIn,
    HandbackIn,
    HolidayIn,
    LocationIn,
    ProgressIn,
    ReopenIn,
    ReturnToTriageIn,
    RouteIn,
    VerdictIn,
    thai_phone,
)

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# every free-text and one-line field: (model, field, the other fields it needs, one line?)
FREE_TEXT = [
    (ComplaintIn, "description", {"category": "road"}),
    (RouteIn, "note", {"agency_id": "DEPT-PWD"}),
    (CloseIn, "reason", {}),
    (ReturnToTriageIn, "reason", {}),
    (AcknowledgeIn, "note", {}),
    (ProgressIn, "note", {}),
    (CompleteIn, "note", {}),
    (HandbackIn, "reason", {}),
    (FeedbackIn, "comment", {"fixed": True, "satisfied": True}),
    (ReopenIn, "reason", {}),
    (VerdictIn, "note", {"verdict": "consistent"}),
]
ONE_LINE = [
    (ComplaintIn, "category", {"description": "x"}),
    (ComplainantIn, "name", {}),
    (LocationIn, "address", {}),
    (LocationIn, "district", {}),
    (RouteIn, "agency_id", {}),
    (ExternalIn, "agency_id", {"channel": "letter"}),
    (ExternalIn, "reference", {"agency_id": "EXT-MWA", "channel": "letter"}),
    (HolidayIn, "name", {}),
]
ALL = FREE_TEXT + ONE_LINE
ids = [f"{m.__name__}.{f}" for m, f, _ in ALL]


def made(model: type[BaseModel], field: str, others: dict, value: object) -> str:
    return getattr(model(**others, **{field: value}), field)


@pytest.mark.parametrize(("model", "field", "others"), ALL, ids=ids)
@pytest.mark.parametrize(
    "value",
    ["ถนนพัง", "น้ำท่วมขังหน้าบ้าน ปู่ย่า", "🕳️ หลุม 🚧👨‍👩‍👧", "<script>alert(1)</script>", "שלום مرحبا", "Ａ１"],
)
def test_thai_with_its_marks_emoji_other_scripts_and_html_are_kept_as_typed(model, field, others, value):
    kept = made(model, field, others, value)
    assert kept == value.replace("\u200d", "")  # the joiner of an emoji sequence is invisible: removed


@pytest.mark.parametrize(("model", "field", "others"), ALL, ids=ids)
@pytest.mark.parametrize("invisible", [ZERO_WIDTH, BIDI])
def test_invisible_characters_are_removed(model, field, others, invisible):
    assert made(model, field, others, f"{invisible}ถนน{invisible}พัง{invisible}") == "ถนนพัง"


@pytest.mark.parametrize(("model", "field", "others"), ALL, ids=ids)
@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\ud800"])
def test_control_characters_and_nul_are_refused(model, field, others, control):
    with pytest.raises(ValidationError, match="control character"):
        made(model, field, others, f"ถนน{control}พัง")


@pytest.mark.parametrize(("model", "field", "others"), ONE_LINE, ids=[f"{m.__name__}.{f}" for m, f, _ in ONE_LINE])
@pytest.mark.parametrize("breaks", ["\r\n", "\n", "\r", "\t", "\u2028"])
def test_a_line_break_in_a_one_line_field_is_refused(model, field, others, breaks):
    with pytest.raises(ValidationError, match="control character"):
        made(model, field, others, f"ชื่อ{breaks}Bcc: x@example.com")


@pytest.mark.parametrize("model, field, others", FREE_TEXT, ids=[f"{m.__name__}.{f}" for m, f, _ in FREE_TEXT])
def test_free_text_keeps_its_lines_and_tabs(model, field, others):
    assert made(model, field, others, "บรรทัดแรก\r\nบรรทัดสอง\n\tย่อหน้า") == "บรรทัดแรก\r\nบรรทัดสอง\n\tย่อหน้า"


@pytest.mark.parametrize(
    ("model", "field", "others"),
    [(ComplaintIn, "description", {"category": "road"}), (CloseIn, "reason", {}), (HandbackIn, "reason", {})],
)
@pytest.mark.parametrize("empty", [ZERO_WIDTH, BIDI, "\u200b \u200b", "\u0e48\u0e48\u0e48", "\u0301"])
def test_a_required_text_made_only_of_invisible_characters_or_marks_is_refused(model, field, others, empty):
    with pytest.raises(ValidationError, match=rf"{field}\n.*(at least 1 character|no visible character)"):
        made(model, field, others, empty)


def test_the_length_limit_counts_what_is_stored():
    ComplaintIn(category="road", description="ก" * 4000 + ZERO_WIDTH * 10)
    with pytest.raises(ValidationError, match="4000"):
        ComplaintIn(category="road", description="ก" * 4001)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("08๑๒๓๔๕๖๗๘", "+66812345678"),
        ("๐๘๑-๒๓๔-๕๖๗๘", "+66812345678"),
        ("０８１２３４５６７８", "+66812345678"),
        ("＋６６８１２３４５６７８", "+66812345678"),
        ("๐๒๒๓๔๕๖๗๘", "+6622345678"),
    ],
)
def test_thai_and_full_width_digits_are_read_as_digits_and_stored_in_ascii_e164(given, stored):
    assert thai_phone(given) == stored
    assert ComplainantIn(phone=given).phone == stored


@pytest.mark.parametrize("bad", ["08١٢٣٤٥٦٧٨x", "0812345678\n", "081234567\u00b2", "08①②③④⑤⑥⑦⑧", "+66 8𝟏2345678x"])
def test_what_is_not_a_digit_is_refused(bad):
    with pytest.raises((ValueError, ValidationError)):
        ComplainantIn(phone=bad)


@pytest.mark.parametrize(
    "email", ["a@example.com\r\nBcc: x@example.com", "a@example.com\nBcc:x@example.com", "a\x00@x.com"]
)
def test_header_injection_through_an_email_address_is_refused(email):
    with pytest.raises(ValidationError, match="email"):
        ComplainantIn(email=email)


@pytest.mark.parametrize(
    ("text", "depth"),
    [("{}", 1), ('{"a": [1, {"b": []}]}', 4), ('{"a": "[[[[[[{{{{"}', 1), (r'["\"[[[["]', 1), ("[" * 1000, 33)],
)
def test_json_depth_ignores_brackets_in_strings(text, depth):
    assert json_depth(text) == min(depth, MAX_JSON_DEPTH + 1)
