"""Hostile input that used to crash the API (5xx) gets a clear 4xx and leaves no trace."""

import json

import pytest

from tests.conftest import ADMIN, CALLCENTER, OFFICER, complaint, table_items
from tests.integration.api.hostile import raw_call, refused

pytestmark = pytest.mark.integration


@pytest.fixture
def filed(api):
    ans = api.call("POST", "/complaints", body=complaint())
    assert ans.status == 201, ans.body
    return ans.json


@pytest.mark.parametrize("token", ["ทดสอบ", "é" * 43, "\u200b", "abc\u00ff"])
def test_a_non_ascii_tracking_token_is_not_found(api, aws, filed, token):
    refused(api, aws, "GET", f"/complaints/{filed['id']}", query=f"token={token}", status=404, code="not_found")


def test_a_non_ascii_token_on_feedback_is_not_found(api, aws, filed):
    body = {"fixed": True, "satisfied": True}
    refused(api, aws, "POST", f"/complaints/{filed['id']}/feedback", query="token=ทดสอบ", body=body, status=404)


NOT_UTF8 = "ถนน".encode("tis-620") + b"\xff\xfe"


@pytest.mark.parametrize(
    ("method", "path", "claims"),
    [
        ("POST", "/complaints", None),
        ("POST", "/complaints", CALLCENTER),
        ("POST", "/complaints/{id}/acknowledge", OFFICER),
        ("POST", "/complaints/{id}/route", CALLCENTER),
        ("POST", "/complaints/{id}/feedback", None),
        ("PUT", "/holidays/2026-12-01", ADMIN),
        ("PUT", "/holidays/2026-12-01", None),  # refused before the role check, and clearly
    ],
)
def test_a_body_that_is_not_utf8_is_a_400(api, aws, filed, method, path, claims):
    before = table_items(aws)
    ans = raw_call(api, method, path.format(id=filed["id"]), NOT_UTF8, "application/json", claims=claims)
    assert ans.status == 400, ans.body
    assert ans.json["error"]["code"] == "bad_encoding"
    assert "UTF-8" in ans.json["error"]["message"]
    assert table_items(aws) == before


def test_a_body_with_a_lone_surrogate_is_refused(api, aws):
    raw = json.dumps(complaint(description="ถนน \ud800 พัง"), ensure_ascii=True)  # "\ud800" escaped: valid JSON
    refused(api, aws, "POST", "/complaints", raw=raw, status=422, code="validation_error")


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=x", "text/plain"],
)
def test_a_body_that_is_not_json_is_415(api, aws, content_type):
    before = table_items(aws)
    body = b'--x\r\nContent-Disposition: form-data; name="category"\r\n\r\nroad\r\n--x--\r\n'
    ans = raw_call(api, "POST", "/complaints", body, content_type)
    assert ans.status == 415, ans.body
    assert ans.json["error"]["code"] == "unsupported_media_type"
    assert "application/json" in ans.json["error"]["message"]
    assert table_items(aws) == before


@pytest.mark.parametrize("depth", [100_000, 1_000, 65])
def test_deeply_nested_json_is_a_400(api, aws, depth):
    raw = json.dumps(complaint())[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"
    error = refused(api, aws, "POST", "/complaints", raw=raw, status=400, code="too_deep")
    assert "nest" in error["message"]


def test_nesting_within_the_limit_is_only_a_validation_error(api, aws):
    raw = json.dumps(complaint())[:-1] + ', "extra": ' + "[" * 20 + "]" * 20 + "}"
    refused(api, aws, "POST", "/complaints", raw=raw, status=422, code="validation_error")


@pytest.mark.parametrize("size", [1_000_000, 10_000_000])
def test_a_body_over_the_limit_is_413(api, aws, size):
    raw = json.dumps(complaint(description="ก" * size))
    error = refused(api, aws, "POST", "/complaints", raw=raw, status=413, code="too_large")
    assert "256 KB" in error["message"]


def test_a_body_just_under_the_limit_gets_to_validation(api, aws):
    raw = json.dumps(complaint(description="x" * 200_000))
    refused(api, aws, "POST", "/complaints", raw=raw, status=422, code="validation_error")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
@pytest.mark.parametrize("body", [{"name": "วันหยุดพิเศษ"}, {"removed": True}])
def test_a_holiday_outside_the_calendar_is_refused_before_writing(api, aws, day, body):
    error = refused(api, aws, "PUT", f"/holidays/{day}", body=body, claims=ADMIN, status=422)
    assert "2000" in error["message"] and "2100" in error["message"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_deleting_a_holiday_outside_the_calendar_is_refused(api, aws, day):
    refused(api, aws, "DELETE", f"/holidays/{day}", claims=ADMIN, status=422)


def test_a_holiday_inside_the_calendar_still_works(api, aws):
    ans = api.call("PUT", "/holidays/2100-12-01", body={"name": "ทดสอบ"}, claims=ADMIN)
    assert ans.status == 200, ans.body
