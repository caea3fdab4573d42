"""Every SMS the citizen gets stays within two UCS-2 segments (134 code units), with the longest
real inputs, for a local base URL, the production short domain and a long execute-api URL; the
short tracking link is never cut; texts without a link stay in one segment."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from complaints.domain.events import (
    Acknowledged,
    Completed,
    EventType,
    HandedBack,
    HistoryEvent,
    Late,
    Payload,
    Progress,
    Referred,
    Reopened,
    Routed,
)
from complaints.domain.links import LinkSigner
from complaints.domain.model import SYSTEM, Agency, Case, DueKind, State
from complaints.messages import SMS_LIMIT, SMS_SEGMENT, short_name, sms_text, ucs2_length
from complaints.reference import default_catalogue

pytestmark = pytest.mark.unit
CATALOGUE = default_catalogue()
AGENCIES = list(CATALOGUE.agencies.values())
INSIDE = [a for a in AGENCIES if a.kind != "external"]
OUTSIDE = [a for a in AGENCIES if a.kind == "external"]
LONGEST_INSIDE = max(INSIDE, key=lambda a: len(short_name(a.name_th)))
LONGEST_OUTSIDE = max(OUTSIDE, key=lambda a: len(short_name(a.name_th)) + len(a.hotline or ""))
CASE_ID = "2612-ABC123"  # every case id has this length: YYMM-XXXXXX
LOCAL = "http://127.0.0.1:3000"
SHORT_DOMAIN = "https://1555.bangkok.go.th"
EXECUTE_API = "https://a1b2c3d4e5.execute-api.ap-southeast-1.amazonaws.com/api"  # no custom domain: 63
BASES = (LOCAL, SHORT_DOMAIN, EXECUTE_API)
NOTE = "ทีมช่างลงพื้นที่ตรวจสอบผิวจราจร พบความเสียหายเป็นบริเวณกว้าง 🚧 " * 70  # ~4,000 characters
#: the widest dates a text may show: a two-digit day, in each month (the abbreviations differ in length)
DATES = [datetime.fromisoformat(f"2026-{m:02d}-28T23:59:59.999+07:00") for m in range(1, 13)]
WEDNESDAY = datetime.fromisoformat("2026-12-30T23:59:59.999+07:00")


def link(base: str) -> str:
    return LinkSigner(lambda: b"a secret", "https://unused.example", base).short_track_url(CASE_ID)


def case() -> Case:
    return Case(
        id=CASE_ID,
        state=State.DISPATCHED,
        category="road",
        description="หลุม",
        received_at=WEDNESDAY,
        token_hash="x",
    )


def event(kind: EventType, data: Payload, note: str | None = None) -> HistoryEvent:
    return HistoryEvent(seq=2, type=kind, at=WEDNESDAY, by=SYSTEM, state=State.DISPATCHED, data=data, note=note)


def texts(base: str) -> dict[str, list[str]]:
    """Every text of each kind the citizen can get, over every agency and every month's widest date."""
    url = link(base)

    def each(kind, data, agencies, note=None):
        return [sms_text(case(), event(kind, data, note), url, a) for a in agencies]

    found: dict[str, list[str]] = {}
    for at in DATES:
        found.setdefault("routed", []).extend(each(EventType.ROUTED, Routed(agency_id="X", due=at), INSIDE))
        found.setdefault("acknowledged", []).extend(each(EventType.ACKNOWLEDGED, Acknowledged(due=at), INSIDE))
        found.setdefault("completed", []).extend(each(EventType.COMPLETED, Completed(due=at), [LONGEST_INSIDE]))
    for channel in ("hotline", "letter"):
        found[f"referred ({channel})"] = each(EventType.REFERRED, Referred(agency_id="X", channel=channel), OUTSIDE)
    found["progress"] = each(EventType.PROGRESS, Progress(due=WEDNESDAY), [LONGEST_INSIDE], NOTE)
    found["handed_back"] = each(EventType.HANDED_BACK, HandedBack(), [LONGEST_INSIDE], "ไม่ใช่ของเขต")
    found["reopened"] = each(EventType.REOPENED, Reopened(due=WEDNESDAY), [LONGEST_INSIDE], NOTE)
    found["chased"] = each(EventType.CHASED, Late(kind=DueKind.ACK, due=WEDNESDAY), [LONGEST_INSIDE])
    return found


WITH_LINK = ("routed", "acknowledged", "completed", "referred (hotline)", "referred (letter)")
KINDS = (*WITH_LINK, "progress", "handed_back", "reopened", "chased")


@pytest.mark.parametrize("base", BASES, ids=["local", "short-domain", "execute-api"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_text_fits_two_segments_and_carries_the_whole_link(base, kind):
    found = texts(base)[kind]
    assert found and all(t.startswith(f"1555 {CASE_ID}: ") for t in found)
    assert max(ucs2_length(t) for t in found) <= SMS_LIMIT
    if kind in WITH_LINK:
        assert all(t.endswith(" " + link(base)) for t in found), found
    else:
        assert max(ucs2_length(t) for t in found) <= SMS_SEGMENT  # no link: one segment


def test_the_execute_api_url_is_63_characters_and_the_short_domain_is_shorter():
    assert len(EXECUTE_API) == 63 and len(SHORT_DOMAIN) < len(EXECUTE_API)


def test_the_routed_text_names_the_agency_and_the_deadline():
    due = datetime.fromisoformat("2026-12-08T23:59:59.999+07:00")
    text = sms_text(case(), event(EventType.ROUTED, Routed(agency_id="DIST-1039", due=due)), link(SHORT_DOMAIN),
                    CATALOGUE.agencies["DIST-1039"])  # fmt: skip
    assert text == f"1555 {CASE_ID}: ส่งถึงเขตวัฒนาแล้ว ต้องตอบรับภายใน 8 ธ.ค. 69 ติดตาม {link(SHORT_DOMAIN)}"


def test_a_long_agency_name_is_cut_before_the_deadline_or_the_link_is():
    text = sms_text(case(), event(EventType.ROUTED, Routed(agency_id="X", due=DATES[3])), link(SHORT_DOMAIN),
                    LONGEST_INSIDE)  # fmt: skip
    assert "…แล้ว ตอบรับภายใน 28 เม.ย. " in text and text.endswith(link(SHORT_DOMAIN))
    assert LONGEST_INSIDE.name_th[:12] in text and ucs2_length(text) <= SMS_LIMIT


def test_the_acknowledgement_says_when_progress_is_due():
    due = datetime.fromisoformat("2026-04-21T23:59:59.999+07:00")
    text = sms_text(case(), event(EventType.ACKNOWLEDGED, Acknowledged(due=due)), link(LOCAL),
                    CATALOGUE.agencies["DIST-1039"])  # fmt: skip
    assert text.startswith(f"1555 {CASE_ID}: เขตวัฒนา รับเรื่องแล้ว") and "ภายใน 21 เม.ย." in text


def test_the_referral_says_whom_to_call_or_that_a_letter_went():
    mwa = CATALOGUE.agencies["EXT-MWA"]
    call = sms_text(case(), event(EventType.REFERRED, Referred(agency_id=mwa.id, channel="hotline")), link(LOCAL), mwa)
    letter = sms_text(case(), event(EventType.REFERRED, Referred(agency_id=mwa.id, channel="letter")), link(LOCAL), mwa)
    assert call == f"1555 {CASE_ID}: โปรดโทร 1125 การประปานครหลวง ติดตาม {link(LOCAL)}"
    assert letter == f"1555 {CASE_ID}: ส่งหนังสือถึงการประปานครหลวงแล้ว ติดตาม {link(LOCAL)}"


def test_the_completion_asks_for_an_answer_by_the_end_of_the_feedback_window():
    window = datetime.fromisoformat("2026-04-24T23:59:59.999+07:00")
    text = sms_text(case(), event(EventType.COMPLETED, Completed(due=window)), link(SHORT_DOMAIN))
    assert text == f"1555 {CASE_ID}: แก้ไขเสร็จแล้ว ตอบเราว่าแก้ได้จริงไหม ภายใน 24 เม.ย. {link(SHORT_DOMAIN)}"


def test_a_base_url_too_long_for_any_link_still_never_exceeds_the_limit():
    too_long = "https://" + "x" * 120 + ".example"
    for agency in (LONGEST_INSIDE, LONGEST_OUTSIDE):
        for kind, data in (
            (EventType.ROUTED, Routed(agency_id="X", due=WEDNESDAY)),
            (EventType.ACKNOWLEDGED, Acknowledged(due=WEDNESDAY)),
            (EventType.REFERRED, Referred(agency_id="X", channel="hotline")),
            (EventType.COMPLETED, Completed()),
        ):
            text = sms_text(case(), event(kind, data), link(too_long), agency)
            assert ucs2_length(text) <= SMS_LIMIT and too_long not in text  # no cut link that would not work
            assert text.startswith(f"1555 {CASE_ID}: ") and len(text) > len(f"1555 {CASE_ID}: ") + 5


def test_lengths_count_utf16_code_units_and_a_cut_never_splits_a_character():
    assert ucs2_length("ส่งถึง") == 6 and ucs2_length("🚧") == 2
    note = "🚧" * 40
    text = sms_text(case(), event(EventType.PROGRESS, Progress(due=WEDNESDAY), note), link(LOCAL))
    assert ucs2_length(text) <= SMS_SEGMENT and text.endswith("🚧…")
    assert text.encode("utf-16-le").decode("utf-16-le") == text


def test_a_cut_thai_name_keeps_each_letter_with_its_marks():
    agency = Agency(id="X", kind="department", name_th="สำนักงานทดสอบชื่อยาวมากที่สุดในกรุงเทพมหานครที่ไม่มีจริง",
                    name_en="X")  # fmt: skip
    text = sms_text(case(), event(EventType.ROUTED, Routed(agency_id="X", due=WEDNESDAY)), link(SHORT_DOMAIN), agency)
    cut = text.split("ส่งถึง", 1)[1].split("…", 1)[0]
    assert cut and agency.name_th.startswith(cut)
    following = agency.name_th[len(cut)]
    assert following not in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"


def test_link_signer_short_links_fall_back_to_the_public_base():
    signer = LinkSigner(lambda: b"a secret", "https://api.example/v1/", "")
    assert signer.short_track_url(CASE_ID) == f"https://api.example/v1/t/{CASE_ID}/{link(LOCAL).rsplit('/', 1)[1]}"
    assert signer.citizen_matches(CASE_ID, signer.short_track_url(CASE_ID).rsplit("/", 1)[1])
    short = LinkSigner(lambda: b"a secret", "https://api.example/v1", "https://s.example/")
    assert short.short_track_url(CASE_ID).startswith(f"https://s.example/t/{CASE_ID}/")
    assert short.track_url(CASE_ID).startswith(f"https://api.example/v1/track/{CASE_ID}?token=")


def test_the_worst_case_lengths_are_the_ones_the_docs_give():
    """docs/notices.md tabulates each text's worst-case length for the three bases."""
    doc = (Path(__file__).resolve().parents[3] / "docs" / "notices.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_ ()]+)` \|.*\| (\d+) \| (\d+) \| (\d+) \|$", doc, re.M)
    documented = {kind: tuple(int(n) for n in lengths) for kind, *lengths in rows}
    found = {base: texts(base) for base in BASES}
    computed = {kind: tuple(max(ucs2_length(t) for t in found[base][kind]) for base in BASES) for kind in KINDS}
    assert documented == computed
