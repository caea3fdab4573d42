"""The call centre closes what needs no agency and takes back a referral that came back
(SPEC §3: triage → closed, referred → closed / triage), through the JSON API."""

import pytest

from tests.conftest import CALLCENTER, complaint, ok, staff, table_items

pytestmark = pytest.mark.integration
FILED = "2026-04-10T09:12:00+07:00"


def file(api, **overrides):
    answer = api.call("POST", "/complaints", body=complaint(**overrides), when=FILED)
    assert answer.status == 201, answer.body
    return answer.json


def history(api, case_id, when="2026-04-10T12:00:00+07:00"):
    return ok(api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER, when=when))["history"]


def test_a_triage_case_closed_as_not_actionable_leaves_the_queue_with_its_reason(api):
    case = file(api, category="inquiry")
    closed = ok(
        api.call(
            "POST",
            f"/complaints/{case['id']}/close",
            claims=CALLCENTER,
            body={"reason": "ตอบคำถามทางโทรศัพท์แล้ว"},
            when="2026-04-10T10:00:00+07:00",
        )
    )
    assert (closed["state"], closed["due"]) == ("closed", None)
    assert history(api, case["id"])[-1]["type"] == "closed"
    assert history(api, case["id"])[-1]["note"] == "ตอบคำถามทางโทรศัพท์แล้ว"
    queue = ok(api.call("GET", "/complaints", claims=CALLCENTER, query="state=triage"))["complaints"]
    assert case["id"] not in [c["id"] for c in queue]


def test_closing_records_that_the_call_centre_met_its_dispatch_deadline_or_missed_it(api, aws):
    on_time = file(api, category="inquiry")
    late = file(api, category="inquiry")
    api.call(
        "POST",
        f"/complaints/{on_time['id']}/close",
        claims=CALLCENTER,
        body={"reason": "ซ้ำ"},
        when="2026-04-10T18:00:00+07:00",
    )
    api.call(
        "POST",
        f"/complaints/{late['id']}/close",
        claims=CALLCENTER,
        body={"reason": "ซ้ำ"},
        when="2026-04-11T10:00:00+07:00",
    )  # after the 24 hours
    ended = {
        i["pk"]["S"].removeprefix("CASE#"): i["ended"]["M"]["fate"]["S"]
        for i in table_items(aws)
        if i.get("type", {}).get("S") == "closed"
    }
    assert ended == {on_time["id"]: "met", late["id"]: "missed"}


def test_a_referral_that_came_back_returns_to_triage_with_a_new_24_hour_clock(api):
    case = file(api, category="water_main")
    back = ok(
        api.call(
            "POST",
            f"/complaints/{case['id']}/return-to-triage",
            claims=CALLCENTER,
            body={"reason": "กปน. แจ้งว่าเป็นท่อของ กทม."},
            when="2026-04-11T09:00:00+07:00",
        )
    )
    assert (back["state"], back["referral"]) == ("triage", None)
    assert back["due"] == {"kind": "dispatch", "at": "2026-04-12T09:00:00.000+07:00"}
    routed = ok(
        api.call(
            "POST",
            f"/complaints/{case['id']}/route",
            claims=CALLCENTER,
            body={"agency_id": "DEPT-DDS"},
            when="2026-04-11T10:00:00+07:00",
        )
    )
    assert routed["state"] == "dispatched"


def test_a_referral_done_outside_can_be_closed(api):
    case = file(api, category="water_main")
    closed = ok(
        api.call(
            "POST",
            f"/complaints/{case['id']}/close",
            claims=CALLCENTER,
            body={"reason": "กปน. ซ่อมแล้ว"},
            when="2026-04-12T09:00:00+07:00",
        )
    )
    assert closed["state"] == "closed"


@pytest.mark.parametrize("path", ["close", "return-to-triage"])
def test_only_the_call_centre_closes_or_takes_back_and_a_refusal_changes_nothing(api, aws, path):
    case = file(api, category="inquiry" if path == "close" else "water_main")
    before = table_items(aws)
    for claims, status in ((staff("agency", "DIST-1039"), 403), (None, 401)):
        answer = api.call("POST", f"/complaints/{case['id']}/{path}", claims=claims, body={"reason": "x"})
        assert answer.status == status, answer.body
    assert table_items(aws) == before


def test_a_dispatched_case_cannot_be_closed_or_returned_and_a_reason_is_required(api, aws):
    case = file(api)  # road in 1039: dispatched at once
    before = table_items(aws)
    closing = api.call("POST", f"/complaints/{case['id']}/close", claims=CALLCENTER, body={"reason": "x"})
    assert closing.status == 409 and "dispatched" in closing.json["error"]["message"]
    back = api.call("POST", f"/complaints/{case['id']}/return-to-triage", claims=CALLCENTER, body={"reason": "x"})
    assert back.status == 409
    empty = api.call("POST", f"/complaints/{case['id']}/close", claims=CALLCENTER, body={"reason": ""})
    assert empty.status == 422
    assert table_items(aws) == before
