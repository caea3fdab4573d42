"""Retention: the daily job anonymises closed cases whose retention period (``ComplainantRetentionDays``
after closing) has ended, the same way as an erasure, found by a key and never a Scan."""

from __future__ import annotations

import pytest

from complaints import wiring
from local import infra
from tests.conftest import CALLCENTER, OFFICER, act, at, ok, sweep, table_items
from tests.integration.helpers import PHONE, file, history
from tests.integration.privacy.helpers import leaks

pytestmark = pytest.mark.integration
CLOSED_AT = "2026-04-20T15:00:00+07:00"


def close(api, when_filed="2026-04-10T09:12:00+07:00", closed=CLOSED_AT) -> dict:
    doc = file(api, when=when_filed)
    ok(act(api, doc["id"], "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(
        act(
            api,
            doc["id"],
            "complete",
            "2026-04-17T10:00:00+07:00",
            {"note": "ซ่อมแล้ว", "evidence_urls": ["https://photos.example/after.jpg"]},
        )
    )
    answer = api.call(
        "POST",
        f"/complaints/{doc['id']}/feedback",
        query=f"token={doc['tracking_token']}",
        body={"fixed": True, "satisfied": True},
        when=closed,
    )
    assert ok(answer)["state"] == "closed"
    return doc


def case(api, case_id: str, when: str) -> dict:
    return ok(api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER, when=when))


def test_the_retention_period_is_a_template_parameter_the_functions_get():
    assert infra.template()["Parameters"]["ComplainantRetentionDays"]["Default"] == 365
    assert wiring.settings().complainant_retention_days == 365


def test_the_daily_job_anonymises_a_case_a_year_after_it_closed(api, aws):
    doc = close(api)
    retain = wiring.usecases().privacy.retain
    assert retain(at("2027-04-19T08:30:00+07:00")).anonymised == 0  # 364 days after closing
    assert case(api, doc["id"], "2027-04-19T09:00:00+07:00")["complainant"]["phone"] == PHONE
    calls: list[str] = []
    aws.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    assert retain(at("2027-04-20T08:30:00+07:00")).anonymised == 1  # 365 days
    assert "Scan" not in calls
    after = case(api, doc["id"], "2027-04-20T09:00:00+07:00")
    assert after["complainant"] == {"name": None, "phone": None, "email": None} and after["state"] == "closed"
    event = after["history"][-1]
    assert (event["type"], event["by"], event["note"]) == (
        "anonymised",
        {"role": "system", "id": "system"},
        "retention",
    )
    items = [i for i in table_items(aws) if i["pk"]["S"] == f"CASE#{doc['id']}"]
    assert leaks(str(items), doc["tracking_token"]) == []


def test_the_sla_check_function_runs_the_retention_after_the_sweep_once(api, monkeypatch):
    doc = close(api)
    monkeypatch.setattr(wiring.usecases().privacy, "retention_days", 30)  # the shortest the template allows
    first = sweep("2026-05-20T08:30:00+07:00")
    again = sweep("2026-05-20T08:30:00+07:00")  # the Scheduler retried
    assert (first["anonymised"], again["anonymised"]) == (1, 0)
    assert [h["type"] for h in history(api, doc["id"])].count("anonymised") == 1


def test_only_closed_cases_still_holding_data_are_in_the_retention_key(api, aws):
    closed = close(api)
    still_open = file(api)
    keyed = {i["pk"]["S"] for i in table_items(aws) if i.get("gsi_due_pk", {}).get("S", "").startswith("RETAIN#")}
    assert keyed == {f"CASE#{closed['id']}"}
    assert wiring.usecases().privacy.retain(at("2027-06-01T08:30:00+07:00")).anonymised == 1
    keyed = {i["pk"]["S"] for i in table_items(aws) if i.get("gsi_due_pk", {}).get("S", "").startswith("RETAIN#")}
    assert keyed == set()
    assert case(api, still_open["id"], "2027-06-01T09:00:00+07:00")["complainant"]["phone"] == PHONE


def test_a_case_reopened_after_closing_leaves_the_retention_key(api, aws):
    doc = close(api)
    ok(
        api.call(
            "POST",
            f"/complaints/{doc['id']}/reopen",
            claims=CALLCENTER,
            body={"reason": "ยังไม่ซ่อม"},
            when="2026-04-25T10:00:00+07:00",
        )
    )
    ok(act(api, doc["id"], "acknowledge", "2026-04-27T10:00:00+07:00", claims=OFFICER))
    assert wiring.usecases().privacy.retain(at("2027-06-01T08:30:00+07:00")).anonymised == 0
