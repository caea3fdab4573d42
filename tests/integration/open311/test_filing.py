"""Filing through Open311 (``POST requests``, a form with an API key) files what ``POST /complaints``
files, routed the same way, and the request is then followed (``GET requests/{id}``) to closed."""

import pytest

from complaints import wiring
from complaints.commands import RevokeApiKey
from complaints.domain.model import Actor, Role
from tests.conftest import CALLCENTER, OFFICER, act, at, complaint, ok
from tests.integration.completion_helpers import complete
from tests.integration.open311.conftest import WHEN, as_dicts, form, xml

pytestmark = pytest.mark.integration


def staff_view(api, case_id):
    return ok(api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER))


def test_a_filing_is_what_the_json_api_files_with_the_key_on_it(api, open311, api_key):
    answer = open311.post(form(api_key=api_key))
    assert answer.status == 200, answer.body
    (filed,) = answer.json
    assert set(filed) == {"service_request_id", "service_notice", "account_id"} and filed["account_id"] is None
    assert "เขตวัฒนา" in filed["service_notice"] and "must acknowledge" in filed["service_notice"]

    ours = staff_view(api, filed["service_request_id"])
    place = {"lat": 13.7563, "lon": 100.5018, "address": "ซอยสุขุมวิท 31 เขตวัฒนา", "district": "1039"}
    body = complaint(channel="open311", notify=False, location=place)  # the same through the JSON API
    theirs = staff_view(api, api.call("POST", "/complaints", body=body, when=WHEN).json["id"])
    same = ("state", "category", "description", "location", "district", "channel", "agency", "due", "photos")
    assert {k: ours[k] for k in same} == {k: theirs[k] for k in same}
    assert ours["channel"] == "open311" and ours["agency"]["id"] == "DIST-1039"
    # the call centre can call the filer back; the history names the key it was filed with
    assert ours["complainant"] == {"name": "สมชาย ใจดี", "phone": "+66898765432", "email": "somchai@example.com"}
    key_id = api_key.split(".")[0]
    assert ours["history"][0]["by"] == {"role": "citizen", "id": f"apikey:{key_id}"}


def test_round_trip_in_xml(open311, api_key):
    root = xml(open311.post(form(api_key=api_key), fmt="xml"))
    assert root.tag == "service_requests"
    (filed,) = as_dicts(root)
    assert set(filed) == {"service_request_id", "service_notice", "account_id"} and filed["account_id"] is None
    (request,) = as_dicts(xml(open311.get(f"requests/{filed['service_request_id']}.xml")))
    assert request["service_request_id"] == filed["service_request_id"]
    assert (request["status"], request["service_code"], request["lat"], request["long"]) == (
        "open",
        "road",
        "13.7563",
        "100.5018",
    )
    assert request["requested_datetime"] == "2026-04-10T09:12:00+07:00"
    assert request["agency_responsible"] == "สำนักงานเขตวัฒนา · Watthana District Office"
    assert request["media_url"] == "https://photos.example/1.jpg"


def test_followed_to_closed_with_the_agencys_notes(api, open311, api_key):
    case_id = open311.post(form(api_key=api_key)).json[0]["service_request_id"]
    (first,) = open311.get(f"requests/{case_id}.json").json
    assert first["status"] == "open" and first["status_notes"] is None
    assert first["expected_datetime"] == "2026-04-16T23:59:59+07:00"  # the acknowledgement's deadline

    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(act(api, case_id, "progress", "2026-04-17T10:00:00+07:00", {"note": "ส่งทีมสำรวจหน้างานแล้ว"}))
    (working,) = open311.get(f"requests/{case_id}.json", when="2026-04-17T11:00:00+07:00").json
    assert (working["status"], working["status_notes"]) == ("open", "ส่งทีมสำรวจหน้างานแล้ว")
    assert working["updated_datetime"] == "2026-04-17T10:00:00+07:00"

    complete(api, case_id, when="2026-04-20T15:00:00+07:00")
    (done,) = open311.get(f"requests/{case_id}.json", when="2026-04-20T16:00:00+07:00").json
    assert (done["status"], done["status_notes"]) == ("closed", "ซ่อมเรียบร้อย")
    assert done["updated_datetime"] == "2026-04-20T15:00:00+07:00"
    assert done["expected_datetime"] is None and done["service_notice"] is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_urgent_referral_says_whom_to_call(open311, api_key, fmt):
    answer = open311.post(form(api_key=api_key, service_code="water_main"), fmt=fmt)
    notice = answer.json[0]["service_notice"] if fmt == "json" else as_dicts(xml(answer))[0]["service_notice"]
    assert "1125" in notice and "การประปานครหลวง" in notice and "Metropolitan Waterworks Authority" in notice
    case_id = answer.json[0]["service_request_id"] if fmt == "json" else as_dicts(xml(answer))[0]["service_request_id"]
    (request,) = open311.get(f"requests/{case_id}.json").json
    assert request["status"] == "closed"  # referred outside the city at once: the city's part is done
    assert request["agency_responsible"] == "การประปานครหลวง · Metropolitan Waterworks Authority"
    assert "1125" in request["service_notice"]


@pytest.mark.parametrize(
    ("fields", "district", "state"),
    [
        ({"attribute[district]": "Bang Rak"}, "1004", "dispatched"),  # the attribute: a code or a name
        ({"attribute[district]": None}, "1039", "dispatched"),  # from address_string: "เขตวัฒนา"
        ({"attribute[district]": None, "address_string": "Sukhumvit 31, Watthana"}, "1039", "dispatched"),
        ({"attribute[district]": None, "address_string": "ปากซอยสุขุมวิท 31"}, None, "triage"),  # as the JSON API
        ({"attribute[district]": None, "address_string": None}, None, "triage"),  # lat/long alone
    ],
)
def test_the_district_comes_from_the_attribute_else_the_address(api, open311, api_key, fields, district, state):
    answer = open311.post(form(api_key=api_key, **fields))
    assert answer.status == 200, answer.body
    case = staff_view(api, answer.json[0]["service_request_id"])
    assert (case["district"], case["state"]) == (district, state)


NO_DISTRICT = {"attribute[district]": None}


def test_a_place_by_address_alone_is_enough(api, open311, api_key):
    answer = open311.post(form(api_key=api_key, lat=None, long=None, address_string="ซอยอารีย์ เขตพญาไท", **NO_DISTRICT))
    assert answer.status == 200, answer.body
    (request,) = open311.get(f"requests/{answer.json[0]['service_request_id']}.json").json
    assert (request["lat"], request["long"], request["address"]) == (None, None, "ซอยอารีย์ เขตพญาไท")
    assert request["agency_responsible"] == "สำนักงานเขตพญาไท · Phaya Thai District Office"


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "not-a-key"}, 403, "malformed"),
        ({"service_code": "unicorns"}, 400, "service_code"),
        ({"service_code": None}, 400, "service_code"),
        ({"lat": None, "long": None, "address_string": None}, 400, "location"),
        ({"lat": "north"}, 400, "lat"),
        ({"lat": "40.7", "long": "-74.0"}, 400, "outside Bangkok"),
        ({"phone": "555-CALL-NOW"}, 400, "phone"),
        ({"email": "not an address"}, 400, "email"),
        ({"description": "x" * 4001}, 400, "description"),
        ({"media_url": "incoming/abc"}, 400, "media_url"),
        ({"attribute[district]": "Atlantis"}, 400, "50 districts"),
    ],
)
def test_bad_filings_are_refused_in_the_error_list_and_file_nothing(api, open311, api_key, fields, status, says):
    before = ok(api.call("GET", "/complaints", claims=CALLCENTER))["complaints"]
    answer = open311.post(form(**({"api_key": api_key} | fields)))  # a field given as None is left out
    assert answer.status == status, answer.body
    (error,) = answer.json
    assert error["code"] == status and says in error["description"]
    assert "0898765432" not in answer.body and "somchai" not in answer.body  # no value echoed
    assert ok(api.call("GET", "/complaints", claims=CALLCENTER))["complaints"] == before


def test_a_key_with_another_secret_files_nothing(open311, api_key):
    key_id, secret = api_key.split(".")
    forged = f"{key_id}.{'B' if secret[0] == 'A' else 'A'}{secret[1:]}"
    answer = open311.post(form(api_key=forged))
    assert answer.status == 403 and "unknown or revoked" in answer.json[0]["description"]


def test_a_revoked_key_files_nothing_from_then_on(open311, api_key):
    assert open311.post(form(api_key=api_key)).status == 200
    admin = Actor(role=Role.ADMIN, id="admin-1")
    wiring.usecases().api_keys.revoke(RevokeApiKey(actor=admin, at=at(WHEN), key_id=api_key.split(".")[0]))
    refused = open311.post(form(api_key=api_key), fmt="xml")
    assert refused.status == 403
    assert xml(refused).findtext("error/code") == "403"


def test_a_key_in_the_query_string_works_too(open311, api_key):
    answer = open311.post(form(), query=f"api_key={api_key}")
    assert answer.status == 200, answer.body


def test_another_jurisdiction_files_nothing(open311, api_key):
    answer = open311.post(form(api_key=api_key, jurisdiction_id="sf.gov"))
    assert answer.status == 404 and "bangkok.go.th" in answer.json[0]["description"]


def test_an_agency_officer_sees_the_open311_case_in_their_queue(api, open311, api_key):
    case_id = open311.post(form(api_key=api_key)).json[0]["service_request_id"]
    listed = ok(api.call("GET", "/complaints", claims=OFFICER, query="agency=DIST-1039"))["complaints"]
    assert case_id in [c["id"] for c in listed]
