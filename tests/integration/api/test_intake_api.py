"""The intake API end to end: real API Gateway events through the handler, moto behind."""

import json
from pathlib import Path

import pytest

from local.events import LambdaContext
from tests.conftest import ADMIN, CALLCENTER, complaint, staff, table_items

pytestmark = pytest.mark.integration
EVENTS = Path(__file__).resolve().parents[2] / "events"


def file(api, when="2026-04-10T09:12:00+07:00", **overrides):
    ans = api.call("POST", "/complaints", body=complaint(**overrides), when=when)
    assert ans.status == 201, ans.body
    return ans.json


def test_saved_api_gateway_event_files_a_complaint_routed_to_the_district(api):
    import api as handler

    event = json.loads((EVENTS / "api_gateway_rest.json").read_text(encoding="utf-8"))
    out = handler.lambda_handler(event, LambdaContext("IntakeFunction"))
    assert out["statusCode"] == 201
    doc = json.loads(out["body"])
    assert doc["state"] == "dispatched"
    assert doc["agency"] == {
        "id": "DIST-1039",
        "name_th": "สำนักงานเขตวัฒนา",
        "name_en": "Watthana District Office",
        "section": "public_works",
    }
    # received 2026-04-10 09:12 Bangkok (requestTimeEpoch): ack due after Songkran
    assert doc["received_at"] == "2026-04-10T09:12:00+07:00"
    assert doc["due"] == {"kind": "ack", "at": "2026-04-16T23:59:59.999+07:00"}
    assert len(doc["tracking_token"]) >= 22
    assert "complainant" not in doc


def test_case_id_is_short_and_phone_readable(api):
    doc = file(api)
    assert len(doc["id"]) == 11 and doc["id"].startswith("2604-")
    assert not set(doc["id"][5:]) & set("ILOU")


def test_department_category_goes_to_the_department(api):
    doc = file(api, category="flooding")
    assert (doc["state"], doc["agency"]["id"]) == ("dispatched", "DEPT-DDS")


def test_external_category_is_referred_and_the_citizen_is_told_whom_to_call(api):
    doc = file(api, category="water_main")
    assert doc["state"] == "referred" and doc["due"] is None and doc["agency"] is None
    assert doc["referral"]["agency_id"] == "EXT-MWA"
    assert doc["referral"]["hotline"] == "1125"
    assert doc["referral"]["channel"] == "hotline"
    assert doc["referral"]["name_th"] == "การประปานครหลวง"


def test_non_urgent_external_category_is_referred_by_letter(api):
    assert file(api, category="power_service")["referral"]["channel"] == "letter"


def test_triage_category_waits_with_a_24_hour_dispatch_deadline(api):
    doc = file(api, category="inquiry")
    assert doc["state"] == "triage"
    assert doc["due"] == {"kind": "dispatch", "at": "2026-04-11T09:12:00.000+07:00"}


def test_district_given_by_name_is_stored_as_its_code(api):
    doc = file(api, location={"district": "เขตบางรัก", "address": "สีลม"})
    assert doc["district"] == "1004" and doc["agency"]["id"] == "DIST-1004"


def test_district_category_without_district_goes_to_triage(api):
    assert file(api, location={"address": "somewhere"})["state"] == "triage"


def test_citizen_reads_own_case_with_token_and_sees_no_internal_notes(api):
    doc = file(api)
    ans = api.call("GET", f"/complaints/{doc['id']}", query=f"token={doc['tracking_token']}")
    assert ans.status == 200
    case = ans.json
    assert case["complainant"]["phone"] == "+66812345678"
    assert [h["type"] for h in case["history"]] == ["received", "routed"]
    assert all(h["note"] is None for h in case["history"])
    assert all(set(h["by"]) == {"role"} for h in case["history"])


@pytest.mark.parametrize("query", ["", "token=wrong", "token="])
def test_wrong_or_missing_token_is_not_found(api, query):
    doc = file(api)
    ans = api.call("GET", f"/complaints/{doc['id']}", query=query)
    assert ans.status == 404
    assert ans.json["error"]["code"] == "not_found"


def test_unknown_id_and_wrong_token_answer_alike(api):
    doc = file(api)
    unknown = api.call("GET", "/complaints/2604-ZZZZZZ", query="token=abc")
    wrong = api.call("GET", f"/complaints/{doc['id']}", query="token=abc")
    assert unknown.status == wrong.status == 404
    assert unknown.json["error"]["code"] == wrong.json["error"]["code"]


def test_staff_read_full_history_with_notes(api):
    doc = file(api)
    case = api.call("GET", f"/complaints/{doc['id']}", claims=CALLCENTER).json
    assert case["history"][1]["note"] == "road → district office, public_works"
    assert case["history"][1]["by"] == {"role": "system", "id": "auto-routing"}


def test_agency_officer_reads_own_case_but_not_another_agencys(api):
    doc = file(api)
    mine = api.call("GET", f"/complaints/{doc['id']}", claims=staff("agency", "DIST-1039"))
    other = api.call("GET", f"/complaints/{doc['id']}", claims=staff("agency", "DIST-1001"))
    assert mine.status == 200 and other.status == 404  # as an unknown id: ids cannot be probed


def test_idempotency_key_returns_the_same_case_once(api, aws):
    headers = {"Idempotency-Key": "k-123"}
    first = api.call("POST", "/complaints", body=complaint(), headers=headers)
    again = api.call("POST", "/complaints", body=complaint(), headers={"idempotency-key": "k-123"})
    assert first.status == again.status == 201
    assert first.json == again.json
    cases = [i for i in table_items(aws) if i["sk"]["S"] == "META"]
    assert len(cases) == 1


def test_idempotency_key_reused_with_another_body_is_refused(api, aws):
    api.call("POST", "/complaints", body=complaint(), headers={"Idempotency-Key": "k-9"})
    before = table_items(aws)
    ans = api.call("POST", "/complaints", body=complaint(category="noise"), headers={"Idempotency-Key": "k-9"})
    assert ans.status == 422 and ans.json["error"]["code"] == "idempotency_key_reused"
    assert table_items(aws) == before


def test_without_idempotency_key_two_posts_are_two_cases(api):
    assert file(api)["id"] != file(api)["id"]


# --- routing by the call centre ---------------------------------------------------------


def test_call_centre_routes_a_triage_case_and_the_ack_clock_starts(api):
    doc = file(api, category="complaint")
    ans = api.call(
        "POST",
        f"/complaints/{doc['id']}/route",
        claims=CALLCENTER,
        body={"agency_id": "DEPT-PWD", "note": "สะพานลอยชำรุด"},
        when="2026-04-10T15:00:00+07:00",
    )
    assert ans.status == 200, ans.body
    assert ans.json["state"] == "dispatched" and ans.json["agency"]["id"] == "DEPT-PWD"
    assert ans.json["due"] == {"kind": "ack", "at": "2026-04-16T23:59:59.999+07:00"}
    history = api.call("GET", f"/complaints/{doc['id']}", claims=CALLCENTER).json["history"]
    assert [(h["type"], h["by"]["role"]) for h in history] == [("received", "citizen"), ("routed", "callcenter")]
    assert history[-1]["by"]["id"] == "user-1"


def test_routing_to_a_district_office_takes_the_section_of_the_category(api):
    doc = file(api, location={"address": "x"})  # road, no district: triage
    ans = api.call("POST", f"/complaints/{doc['id']}/route", claims=CALLCENTER, body={"agency_id": "DIST-1004"})
    assert ans.json["agency"]["section"] == "public_works"


def test_call_centre_re_routes_a_dispatched_case(api):
    doc = file(api)
    ans = api.call(
        "POST",
        f"/complaints/{doc['id']}/route",
        claims=CALLCENTER,
        body={"agency_id": "DIST-1004"},
        when="2026-04-17T10:00:00+07:00",
    )
    assert ans.json["agency"]["id"] == "DIST-1004"
    assert ans.json["due"]["at"] == "2026-04-20T23:59:59.999+07:00"


def test_call_centre_refers_outside_with_organisation_channel_and_reference(api):
    doc = file(api, category="other")
    ans = api.call(
        "POST",
        f"/complaints/{doc['id']}/route",
        claims=CALLCENTER,
        body={"external": {"agency_id": "EXT-POLICE", "channel": "letter", "reference": "สน.123/2569"}},
    )
    assert ans.status == 200
    assert ans.json["state"] == "referred"
    assert ans.json["referral"] | {"referred_at": None} == {
        "agency_id": "EXT-POLICE",
        "name_th": "สำนักงานตำรวจแห่งชาติ",
        "name_en": "Royal Thai Police",
        "hotline": "191",
        "channel": "letter",
        "reference": "สน.123/2569",
        "referred_at": None,
    }


def test_refer_a_dispatched_case_is_a_conflict_naming_the_state(api, aws):
    doc = file(api)
    before = table_items(aws)
    ans = api.call(
        "POST",
        f"/complaints/{doc['id']}/route",
        claims=CALLCENTER,
        body={"external": {"agency_id": "EXT-MWA", "channel": "hotline"}},
    )
    assert ans.status == 409 and "'dispatched'" in ans.json["error"]["message"]
    assert table_items(aws) == before


def test_special_holiday_added_at_run_time_moves_the_next_deadline(api):
    put = api.call("PUT", "/holidays/2026-06-23", claims=ADMIN, body={"name": "วันหยุดพิเศษ"})
    assert put.status == 200, put.body
    doc = file(api, when="2026-06-22T10:00:00+07:00")
    assert doc["due"]["at"] == "2026-06-24T23:59:59.999+07:00"
    api.call("DELETE", "/holidays/2026-06-23", claims=ADMIN)
    assert file(api, when="2026-06-22T10:00:00+07:00")["due"]["at"] == "2026-06-23T23:59:59.999+07:00"


def test_removing_an_official_holiday_makes_it_a_business_day(api):
    ans = api.call("PUT", "/holidays/2026-06-03", claims=ADMIN, body={"removed": True})
    assert ans.status == 200 and ans.json["source"] == "official"
    assert file(api, when="2026-06-02T10:00:00+07:00")["due"]["at"].startswith("2026-06-03")
    listed = api.call("GET", "/holidays", claims=ADMIN, query="year=2026").json["holidays"]
    assert {
        "date": "2026-06-03",
        "name": "HM Queen Suthida's Birthday",
        "source": "official",
        "removed": True,
    } in listed


def test_holiday_list_shows_official_and_special_days(api):
    api.call("PUT", "/holidays/2026-11-30", claims=ADMIN, body={"name": "Cabinet day"})
    listed = api.call("GET", "/holidays", claims=ADMIN, query="year=2026").json
    assert listed["year"] == 2026
    days = {h["date"]: h for h in listed["holidays"]}
    assert days["2026-04-13"]["source"] == "official"
    assert days["2026-11-30"] == {"date": "2026-11-30", "name": "Cabinet day", "source": "special"}


def test_deleting_a_holiday_that_is_not_there_is_not_found(api):
    assert api.call("DELETE", "/holidays/2026-11-30", claims=ADMIN).status == 404


# --- reference data ---------------------------------------------------------------------


def test_reference_data_is_public_and_complete(api):
    agencies = api.call("GET", "/agencies").json["agencies"]
    categories = api.call("GET", "/categories").json["categories"]
    assert len(agencies) == 69 and len(categories) == 31
    assert all("head_email" not in a for a in agencies)
    assert {
        "code": "water_main",
        "name_th": "ท่อประปาแตก",
        "name_en": "Burst water main",
        "unit": "external:EXT-MWA",
        "urgent": True,
        "referral_channel": "hotline",
        "after_photo": False,
    } in categories
    road = next(c for c in categories if c["code"] == "road")
    assert road["after_photo"] is True  # its completion needs a photo of the result


def test_call_centre_agent_filing_a_phone_complaint_is_recorded_in_the_history(api):
    ans = api.call("POST", "/complaints", body=complaint(channel="phone"), claims=staff("callcenter", sub="agent-7"))
    history = api.call("GET", f"/complaints/{ans.json['id']}", claims=CALLCENTER).json["history"]
    assert history[0]["by"] == {"role": "callcenter", "id": "agent-7"}
    assert history[0]["type"] == "received"


def test_a_special_holiday_moves_the_deadlines_already_running(api):
    doc = file(api, when="2026-06-22T10:00:00+07:00")
    assert doc["due"]["at"] == "2026-06-23T23:59:59.999+07:00"
    put = api.call(
        "PUT", "/holidays/2026-06-23", claims=ADMIN, body={"name": "วันหยุดพิเศษ"}, when="2026-06-22T15:00:00+07:00"
    )
    assert put.json["deadlines_moved"] == 1
    case = api.call("GET", f"/complaints/{doc['id']}", claims=CALLCENTER).json
    assert case["due"] == {"kind": "ack", "at": "2026-06-24T23:59:59.999+07:00"}
    assert case["history"][-1]["type"] == "deadline_moved"
    assert "2026-06-23" in case["history"][-1]["note"]
    back = api.call("DELETE", "/holidays/2026-06-23", claims=ADMIN, when="2026-06-22T16:00:00+07:00")
    assert back.json == {"deleted": "2026-06-23", "deadlines_moved": 1}
    case = api.call("GET", f"/complaints/{doc['id']}", claims=CALLCENTER).json
    assert case["due"]["at"] == "2026-06-23T23:59:59.999+07:00"


def test_a_holiday_after_a_deadline_moves_nothing(api):
    doc = file(api, when="2026-06-22T10:00:00+07:00")
    put = api.call("PUT", "/holidays/2026-06-26", claims=ADMIN, body={"name": "x"}, when="2026-06-22T15:00:00+07:00")
    assert put.json["deadlines_moved"] == 0
    assert api.call("GET", f"/complaints/{doc['id']}", claims=CALLCENTER).json["due"]["at"].startswith("2026-06-23")


def test_answers_are_utf8_json_with_thai_as_it_is(api):
    ans = api.call("POST", "/complaints", body=complaint())
    assert "ถนนเป็นหลุม" in ans.body and "\\u0e" not in ans.body
