"""Reopening a closed case within the dispute window (rule 5), by the citizen or the call centre:
up to the last day of the window, refused after it (file a new complaint); only the call
centre among staff, and only with a reason and a completed case.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import CALLCENTER, OFFICER, ok, sent_emails, table_items
from tests.integration.completion_helpers import ANSWERED, AUDITOR, completed_case, feedback, file, sms, track
from tests.integration.helpers import AGENCY_MAIL, end_of, history

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("auditing")]


def reopen_by(api, how: str, doc: dict[str, Any], when: str):
    if how == "citizen":
        return feedback(api, doc, when, fixed=False, satisfied=True)
    return api.call(
        "POST",
        f"/complaints/{doc['id']}/reopen",
        claims=CALLCENTER,
        when=when,
        body={"reason": "ผู้ร้องโทรแจ้งว่ายังไม่ได้ซ่อม"},
    )


@pytest.mark.parametrize("how", ["citizen", "callcenter"])
def test_a_confirmed_case_can_be_reopened_until_the_last_day_of_the_dispute_window(api, how):
    doc = completed_case(api)  # completed Fri 10 April: the window runs to the end of Sun 10 May
    ok(feedback(api, doc, ANSWERED, fixed=True, satisfied=True))
    texts = len(sms())

    answer = reopen_by(api, how, doc, "2026-05-10T23:00:00+07:00")

    mine = ok(answer)
    assert (mine["state"], mine["reopen_count"], mine["agency"]["id"]) == ("dispatched", 1, "DIST-1039")
    assert mine["due"] == {"kind": "ack", "at": end_of("2026-05-11")}  # Sunday → Monday
    last = history(api, doc["id"])[-1]
    assert (last["type"], last["by"]["role"]) == ("reopened", how)
    if how == "callcenter":
        assert last["note"] == "ผู้ร้องโทรแจ้งว่ายังไม่ได้ซ่อม"
    assert "ส่งกลับ" in sent_emails(AGENCY_MAIL)[-1].subject
    assert len(sms()) == texts + 1


@pytest.mark.parametrize("how", ["citizen", "callcenter"])
def test_after_the_dispute_window_a_reopen_is_409_telling_to_file_a_new_complaint(api, aws, pages, how):
    doc = completed_case(api)
    ok(feedback(api, doc, ANSWERED, fixed=True, satisfied=True))
    items, mails = table_items(aws), len(sent_emails())

    ans = reopen_by(api, how, doc, "2026-05-11T00:30:00+07:00")

    assert ans.status == 409, ans.body
    message = ans.json["error"]["message"]
    assert "'closed'" in message and "file a new complaint" in message and "2026-05-10" in message
    assert table_items(aws) == items and len(sent_emails()) == mails
    page = track(pages, doc, "2026-05-11T00:30:00+07:00")
    assert 'id="form-feedback"' not in page.body and "file a new complaint" in page.body


@pytest.mark.parametrize(
    ("claims", "status"), [(OFFICER, 403), (AUDITOR, 403), (None, 401)], ids=["agency", "auditor", "anonymous"]
)
def test_only_the_call_centre_may_reopen(api, aws, claims, status):
    doc = completed_case(api)
    items = table_items(aws)
    ans = api.call(
        "POST", f"/complaints/{doc['id']}/reopen", claims=claims, body={"reason": "ยังไม่ได้ซ่อม"}, when=ANSWERED
    )
    assert ans.status == status, ans.body
    assert table_items(aws) == items


def test_the_call_centre_needs_a_reason_and_a_completed_case_to_reopen(api, aws):
    doc = completed_case(api)
    items = table_items(aws)
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        ans = api.call("POST", f"/complaints/{doc['id']}/reopen", claims=CALLCENTER, body=body, when=ANSWERED)
        assert ans.status == 422, (body, ans.body)
    assert table_items(aws) == items

    other = file(api)
    ans = api.call(
        "POST", f"/complaints/{other['id']}/reopen", claims=CALLCENTER, body={"reason": "ยังไม่ซ่อม"}, when=ANSWERED
    )
    assert ans.status == 409 and "'dispatched'" in ans.json["error"]["message"]
