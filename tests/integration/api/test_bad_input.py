"""Bad input gets a clear 4xx that says what to fix, and the table is left exactly as it was."""

import pytest

from tests.conftest import ADMIN, CALLCENTER, complaint, staff, table_items

pytestmark = pytest.mark.integration


@pytest.fixture
def filed(api):
    ans = api.call("POST", "/complaints", body=complaint(category="inquiry"))
    return ans.json


def refused(api, aws, method, path, *, status, says, **kwargs):
    before = table_items(aws)
    ans = api.call(method, path, **kwargs)
    assert ans.status == status, ans.body
    error = ans.json["error"]
    assert says in error["message"], error
    assert table_items(aws) == before, "a refused request changed the table"
    return error


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ('{"category": "road", "description": ', "not valid JSON"),
        ("not json at all", "not valid JSON"),
        ("[1, 2, 3]", "body"),
    ],
)
def test_malformed_json(api, aws, raw, says):
    refused(api, aws, "POST", "/complaints", raw=raw, status=422, says=says)


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"category": "potholes"}, "unknown category 'potholes'"),
        ({"location": {"district": "1051"}}, "not one of Bangkok's 50 districts"),
        ({"location": {"district": "Nonthaburi"}}, "not one of Bangkok's 50 districts"),
        ({"location": {"lat": 18.79, "lon": 98.98, "district": "1039"}}, "outside Bangkok"),
        ({"location": {"lat": 100.5, "lon": 13.75}}, "lat: Input should be less than or equal to 90"),
        ({"location": {"lat": 13.75}}, "give both lat and lon"),
        ({"description": "ก" * 4001}, "description: String should have at most 4000 characters"),
        ({"description": "   "}, "description: String should have at least 1 character"),
        ({"complainant": {"phone": "12345"}}, "complainant.phone: not a Thai phone number"),
        ({"complainant": {"email": "somchai@"}}, "complainant.email"),
        ({"notify": True, "complainant": {"name": "x"}}, "no phone or e-mail to notify"),
        ({"photos": ["javascript:alert(1)"]}, "photos.0"),
        ({"channel": "pigeon"}, "channel"),
        ({"unexpected": 1}, "unexpected: Extra inputs are not permitted"),
    ],
)
def test_invalid_complaint_is_refused_with_what_to_fix(api, aws, overrides, says):
    refused(api, aws, "POST", "/complaints", body=complaint(**overrides), status=422, says=says)


def test_missing_required_fields_are_named(api, aws):
    error = refused(api, aws, "POST", "/complaints", body={"description": "x"}, status=422, says="category")
    assert {"field": "category", "message": "Field required"} in error["details"]


def test_personal_data_is_not_echoed_in_errors(api, aws):
    ans = api.call("POST", "/complaints", body=complaint(complainant={"phone": "0812-BAD", "email": "x@"}))
    assert ans.status == 422
    assert "0812-BAD" not in ans.body


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "says"),
    [
        ("GET", "/complaints", {}, 401, "sign in as staff"),
        (
            "GET",
            "/complaints",
            {"claims": staff("agency", "DIST-1039"), "query": "agency=DIST-1001"},
            403,
            "only their own agency",
        ),
        ("GET", "/holidays", {"claims": CALLCENTER}, 403, "admin"),
        ("PUT", "/holidays/2026-12-01", {"claims": CALLCENTER, "body": {"name": "x"}}, 403, "admin"),
        ("PUT", "/holidays/2026-12-01", {"body": {"name": "x"}}, 401, "sign in"),
        ("DELETE", "/holidays/2026-12-01", {"claims": staff("executive")}, 403, "admin"),
        ("PUT", "/holidays/2026-13-01", {"claims": ADMIN, "body": {"name": "x"}}, 422, "day"),
        ("PUT", "/holidays/2026-12-01", {"claims": ADMIN, "body": {}}, 422, "needs a name"),
        ("PUT", "/holidays/2026-12-02", {"claims": ADMIN, "body": {"removed": True}}, 422, "not an official holiday"),
        ("GET", "/complaints", {"claims": CALLCENTER, "query": "state=lost"}, 422, "state"),
        ("GET", "/complaints", {"claims": CALLCENTER, "query": "limit=1000"}, 422, "limit"),
        ("GET", "/complaints", {"claims": CALLCENTER, "query": "cursor=garbage"}, 400, "cursor"),
        ("GET", "/complaints", {"claims": CALLCENTER, "query": "district=Paris"}, 422, "50 districts"),
        ("GET", "/complaints", {"claims": CALLCENTER, "query": "category=x"}, 422, "unknown category"),
        ("GET", "/complaints/not-an-id", {"claims": CALLCENTER}, 404, "no such case id"),
        ("GET", "/nowhere", {}, 404, "no route GET /nowhere"),
    ],
)
def test_requests_refused_without_a_trace(api, aws, filed, method, path, kwargs, status, says):
    refused(api, aws, method, path, status=status, says=says, **kwargs)


@pytest.mark.parametrize(
    ("claims", "body", "status", "says"),
    [
        (None, {"agency_id": "DEPT-PWD"}, 401, "sign in"),
        (staff("agency", "DEPT-PWD"), {"agency_id": "DEPT-PWD"}, 403, "callcenter"),
        (ADMIN, {"agency_id": "DEPT-PWD"}, 403, "callcenter"),
        (CALLCENTER, {"agency_id": "DEPT-NOPE"}, 422, "unknown agency 'DEPT-NOPE'"),
        (CALLCENTER, {"agency_id": "EXT-MWA"}, 422, "refer to it with external"),
        (CALLCENTER, {"external": {"agency_id": "DEPT-PWD", "channel": "letter"}}, 422, "not an outside organisation"),
        (CALLCENTER, {"external": {"agency_id": "EXT-MWA", "channel": "fax"}}, 422, "external.channel"),
        (CALLCENTER, {}, 422, "either agency_id or external"),
    ],
)
def test_bad_routing_requests(api, aws, filed, claims, body, status, says):
    refused(api, aws, "POST", f"/complaints/{filed['id']}/route", claims=claims, body=body, status=status, says=says)


def test_routing_an_unknown_case_is_not_found(api, aws, filed):
    refused(
        api,
        aws,
        "POST",
        "/complaints/2604-ZZZZZZ/route",
        claims=CALLCENTER,
        body={"agency_id": "DEPT-PWD"},
        status=404,
        says="no complaint",
    )


def test_a_token_for_another_case_does_not_open_this_one(api, aws, filed):
    other = api.call("POST", "/complaints", body=complaint()).json
    refused(
        api,
        aws,
        "GET",
        f"/complaints/{filed['id']}",
        query=f"token={other['tracking_token']}",
        status=404,
        says="no complaint",
    )


def test_a_refused_complaint_with_an_idempotency_key_leaves_no_record(api, aws):
    before = table_items(aws)
    ans = api.call("POST", "/complaints", body=complaint(category="potholes"), headers={"Idempotency-Key": "k-1"})
    assert ans.status == 422 and "unknown category" in ans.json["error"]["message"]
    assert table_items(aws) == before
    # and the key is still free for the corrected request
    assert api.call("POST", "/complaints", body=complaint(), headers={"Idempotency-Key": "k-1"}).status == 201
