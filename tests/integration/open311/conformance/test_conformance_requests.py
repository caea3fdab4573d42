"""GeoReport v2's service requests in JSON and XML, against the published schemas: POST (form
encoded, with an API key) and GET back, one and many, tokens; what the fields mean here (status,
agency, notes, deadlines); the urgent referral's notice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import CALLCENTER, OFFICER, Api, act, ok
from tests.integration.open311.conform import (
    CREATED,
    FILED,
    FORMATS,
    LATER,
    Open311,
    errors,
    filed_id,
    filing,
    read,
    validate,
    w3c_instant,
    without,
    without_nulls,
)

WATTHANA = ("สำนักงานเขตวัฒนา", "Watthana District Office")
MWA = ("การประปานครหลวง", "Metropolitan Waterworks Authority")


def one(geo: Open311, request_id: str, fmt: str, when: str = LATER) -> dict[str, object]:
    """GET requests/{id}: an array of one, valid against requests.json."""
    doc = read(geo.get(f"requests/{request_id}", fmt, when=when), fmt)
    validate("requests", doc)
    assert len(doc) == 1, doc
    return doc[0]


def same_in_both(geo: Open311, request_id: str, when: str = LATER) -> dict[str, object]:
    docs = {fmt: one(geo, request_id, fmt, when) for fmt in FORMATS}
    assert without_nulls(docs["xml"]) == without_nulls(docs["json"])
    return docs["json"]


@pytest.mark.parametrize("post_fmt", FORMATS)
def test_a_posted_request_reads_back_in_both_formats(geo: Open311, key: str, post_fmt: str) -> None:
    answer = read(geo.post(filing(key), post_fmt, when=FILED), post_fmt, CREATED)
    validate("post-response", answer)
    [created] = answer
    assert created["service_request_id"]
    assert created.get("service_notice"), "the notice says what happens next"

    request = same_in_both(geo, created["service_request_id"])
    assert request["service_request_id"] == created["service_request_id"]
    assert request["service_code"] == "road"
    assert request["status"] == "open"
    assert request["description"] == filing(key)["description"]
    assert request["lat"] == pytest.approx(13.7563) and request["long"] == pytest.approx(100.5018)
    assert request["address"] and "ซอยสุขุมวิท 31" in request["address"]
    assert request["media_url"] == "https://photos.example/pothole.jpg"
    assert all(name in request["agency_responsible"] for name in WATTHANA), request["agency_responsible"]
    assert request["service_notice"]
    requested = w3c_instant(request["requested_datetime"])
    assert requested == w3c_instant(FILED)
    assert w3c_instant(request["updated_datetime"]) >= requested
    assert w3c_instant(request["expected_datetime"]) > requested, "the running deadline"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_list_holds_the_filed_requests_newest_first(geo: Open311, key: str, fmt: str) -> None:
    first = filed_id(geo, filing(key), when="2026-04-08T09:00:00+07:00")
    second = filed_id(geo, filing(key, service_code="flooding"), when="2026-04-09T09:00:00+07:00")
    third = filed_id(geo, filing(key, service_code="tree"), when=FILED)

    listed = read(geo.get("requests", fmt, when=LATER), fmt)
    validate("requests", listed)
    assert [r["service_request_id"] for r in listed] == [third, second, first]
    times = [w3c_instant(r["requested_datetime"]) for r in listed]
    assert times == sorted(times, reverse=True)

    by_code = read(geo.get("requests", fmt, query={"service_code": "road,tree"}, when=LATER), fmt)
    assert [r["service_request_id"] for r in by_code] == [third, first]

    # service_request_id overrides the other arguments
    query = {"service_request_id": f"{first},{second}", "service_code": "tree", "status": "closed"}
    picked = read(geo.get("requests", fmt, query=query, when=LATER), fmt)
    validate("requests", picked)
    assert {r["service_request_id"] for r in picked} == {first, second}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_completed_request_is_closed_with_its_note(geo: Open311, key: str, fmt: str) -> None:
    request_id = filed_id(geo, filing(key))
    intake = Api()
    done = "2026-04-10T11:00:00+07:00"
    note = "ซ่อมผิวถนนเรียบร้อยแล้ว"
    ok(act(intake, request_id, "complete", done, {"note": note, "evidence_urls": ["https://photos.example/fixed.jpg"]}))

    request = one(geo, request_id, fmt, when="2026-04-10T12:00:00+07:00")
    assert request["status"] == "closed"
    assert note in request["status_notes"]
    assert w3c_instant(request["updated_datetime"]) == w3c_instant(done)

    still_open = read(geo.get("requests", fmt, query={"status": "open"}, when="2026-04-10T12:00:00+07:00"), fmt)
    closed = read(geo.get("requests", fmt, query={"status": "closed"}, when="2026-04-10T12:00:00+07:00"), fmt)
    assert request_id not in {r["service_request_id"] for r in still_open}
    assert request_id in {r["service_request_id"] for r in closed}


def test_a_progress_report_is_the_open_requests_status_note(geo: Open311, key: str) -> None:
    request_id = filed_id(geo, filing(key))
    intake = Api()
    ok(act(intake, request_id, "acknowledge", "2026-04-10T10:00:00+07:00", claims=OFFICER))
    ok(act(intake, request_id, "progress", "2026-04-10T10:10:00+07:00", {"note": "ส่งทีมช่างออกตรวจแล้ว"}))
    request = same_in_both(geo, request_id, when="2026-04-10T10:20:00+07:00")
    assert request["status"] == "open"
    assert "ส่งทีมช่างออกตรวจแล้ว" in request["status_notes"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_urgent_referral_says_whom_to_call(geo: Open311, key: str, fmt: str) -> None:
    form = without(filing(key, service_code="water_main", description="ท่อประปาแตก น้ำพุ่งกลางถนน"), "attribute[district]")
    answer = read(geo.post(form, fmt, when=FILED), fmt, CREATED)
    validate("post-response", answer)
    [created] = answer
    assert "1125" in created["service_notice"], created

    request = same_in_both(geo, created["service_request_id"])
    assert request["status"] == "closed", "referred: the city no longer works on it"
    assert "1125" in request["service_notice"]
    assert all(name in request["agency_responsible"] for name in MWA), request["agency_responsible"]


def test_the_district_comes_from_the_address_when_the_attribute_is_left_out(geo: Open311, key: str) -> None:
    named = without(filing(key, address_string="ซอยสุขุมวิท 31 เขตวัฒนา"), "attribute[district]", "lat", "long")
    request = same_in_both(geo, filed_id(geo, named))
    assert all(name in request["agency_responsible"] for name in WATTHANA), request

    unnamed = without(filing(key, address_string="ปากซอยหน้าร้านข้าวมันไก่"), "attribute[district]", "lat", "long")
    request = same_in_both(geo, filed_id(geo, unnamed))
    assert request["status"] == "open"
    assert not any(name in (request.get("agency_responsible") or "") for name in WATTHANA)
    triage = ok(Api().call("GET", f"/complaints/{request['service_request_id']}", claims=CALLCENTER))
    assert triage["state"] == "triage"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_resolves_to_its_request(geo: Open311, key: str, fmt: str) -> None:
    [created] = read(geo.post(filing(key), fmt, when=FILED), fmt, CREATED)
    token = created.get("token") or created["service_request_id"]
    doc = read(geo.get(f"tokens/{token}", fmt, when=LATER), fmt)
    validate("tokens", doc)
    assert [(d["service_request_id"], d["token"]) for d in doc] == [(created["service_request_id"], token)]

    errors(geo.get("tokens/no-such-token", fmt, when=LATER), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_window_is_at_most_ninety_days_and_the_last_ninety_by_default(geo: Open311, key: str, fmt: str) -> None:
    request_id = filed_id(geo, filing(key))
    filed = w3c_instant(FILED)
    later = (filed + timedelta(days=91)).isoformat()

    listed = read(geo.get("requests", fmt, when=later), fmt)
    assert request_id not in {r["service_request_id"] for r in listed}, "older than the last 90 days"

    around = {
        "start_date": (filed - timedelta(days=1)).isoformat(),
        "end_date": (filed + timedelta(days=89)).isoformat(),
    }
    listed = read(geo.get("requests", fmt, query=around, when=later), fmt)
    assert [r["service_request_id"] for r in listed] == [request_id]

    too_wide = {
        "start_date": (filed - timedelta(days=1)).isoformat(),
        "end_date": (filed + timedelta(days=90)).isoformat(),
    }
    [error] = errors(geo.get("requests", fmt, query=too_wide, when=later), fmt, 400)
    assert "90" in error["description"]

    by_id = read(geo.get("requests", fmt, query={"service_request_id": request_id}, when=later), fmt)
    assert [r["service_request_id"] for r in by_id] == [request_id], "an id overrides the window"


def test_the_longest_description_reads_back_whole_within_the_schemas_limit(geo: Open311, key: str) -> None:
    longest = ("หลุมลึก " * 500)[:4000]  # request.json allows 4,000 characters
    request = same_in_both(geo, filed_id(geo, filing(key, description=longest)))
    assert request["description"] == longest.strip()


def test_a_request_without_a_description_is_filed_described_by_its_service(geo: Open311, key: str) -> None:
    """GeoReport v2's description is optional; the case is then described by its service's name."""
    request = same_in_both(geo, filed_id(geo, without(filing(key), "description")))
    assert request["description"] == request["service_name"]


def test_markup_quotes_and_line_breaks_read_back_the_same_in_both_formats(geo: Open311, key: str) -> None:
    text = 'ท่อตัน <b>&amp;</b> "ด่วน" 🚧\nบรรทัดที่สอง'
    form = filing(key, description=text, address_string='ซอย <5> & "โรงเรียน"')
    request = same_in_both(geo, filed_id(geo, form, fmt="xml"))
    assert (request["description"], request["address"]) == (text, 'ซอย <5> & "โรงเรียน"')
