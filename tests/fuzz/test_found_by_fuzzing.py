"""What the fuzzer found beyond the hostile-input defects, each shown by a plain request."""

import pytest

from tests.conftest import ADMIN, complaint, table_items

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("method", "path", "body", "claims"),
    [
        ("PUT", "/holidays/2026-06-01", {"name": "วันพิเศษ", "removed": 0}, ADMIN),
        ("POST", "/complaints", complaint(notify="true"), None),
        ("POST", "/complaints", complaint(urgent=1), None),
        ("POST", "/complaints", complaint(location={"lat": "13.75", "lon": "100.5"}), None),
    ],
    ids=["holiday removed: 0", "notify: 'true'", "urgent: 1", "lat and lon as strings"],
)
def test_a_value_of_the_wrong_type_is_refused_not_coerced(aws, api, method, path, body, claims):
    answer = api.call(method, path, body=body, claims=claims)
    assert answer.status == 422, answer.body
    assert answer.json["error"]["code"] == "validation_error"
    assert table_items(aws) == []


@pytest.mark.parametrize("day", ["0", "1700000000", "2026-6-1"])
def test_a_holiday_is_only_ever_a_yyyy_mm_dd_day(aws, api, day):
    """pydantic alone takes a number for a Unix time: PUT /holidays/0 stored a holiday on 1970-01-01."""
    for method, body in (("PUT", {"name": "วันพิเศษ"}), ("DELETE", None)):
        answer = api.call(method, f"/holidays/{day}", body=body, claims=ADMIN)
        assert answer.status == 422, answer.body
    assert table_items(aws) == []


def test_an_expected_completion_is_a_yyyy_mm_dd_day(aws, api):
    from tests.conftest import OFFICER

    case = api.call("POST", "/complaints", body=complaint()).json
    answer = api.call(
        "POST", f"/complaints/{case['id']}/progress", body={"note": "กำลังซ่อม", "expected_completion": 0}, claims=OFFICER
    )
    assert answer.status == 422, answer.body
