"""The citizen's answer after completion (rule 5), through the JSON API: "fixed and satisfied"
closes the case, any "no" sends it back to the same agency with fresh deadlines; only the
holder of the case's tracking token may answer, and only once the case is completed.

What was sent is read back from moto's SES and SNS backends.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import act, agency_link, ok, sent_emails, table_items
from tests.integration.completion_helpers import ANSWERED, COMMENT, completed_case, feedback, file, sms, staff_case
from tests.integration.helpers import AGENCY_MAIL, end_of, history

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("auditing")]


# --- feedback after completion ------------------------------------------------------------


def test_a_fixed_and_satisfied_answer_closes_the_case(api):
    doc = completed_case(api)
    mails, texts = len(sent_emails()), len(sms())

    mine = ok(feedback(api, doc, ANSWERED, fixed=True, satisfied=True, comment="ขอบคุณครับ"))

    assert mine["state"] == "closed" and mine["due"] is None and mine["reopen_count"] == 0
    steps = history(api, doc["id"])
    assert [h["type"] for h in steps][-3:] == ["completed", "feedback", "closed"]
    assert {h["by"]["role"] for h in steps[-2:]} == {"citizen"}
    assert staff_case(api, doc["id"])["state"] == "closed"
    assert (len(sent_emails()), len(sms())) == (mails, texts)  # nothing to tell anyone


@pytest.mark.parametrize(
    ("fixed", "satisfied"),
    [(False, False), (False, True), (True, False)],
    ids=["not-fixed", "not-fixed-but-satisfied", "fixed-but-not-satisfied"],
)
def test_a_no_sends_the_case_back_to_the_same_agency_with_fresh_deadlines(api, pages, fixed, satisfied):
    doc = completed_case(api)
    case_id = doc["id"]
    [first_mail] = sent_emails(AGENCY_MAIL)
    old_link = agency_link(first_mail)
    texts = len(sms())

    mine = ok(feedback(api, doc, ANSWERED, fixed=fixed, satisfied=satisfied))

    assert mine["state"] == "dispatched" and mine["agency"]["id"] == "DIST-1039"
    assert mine["reopen_count"] == 1
    # the clock restarts at the answer: Fri 10 April → Thu 16 April, across Songkran
    assert mine["due"] == {"kind": "ack", "at": end_of("2026-04-16")}
    steps = history(api, case_id)
    assert [h["type"] for h in steps][-2:] == ["feedback", "reopened"]
    reopened = steps[-1]
    assert (reopened["note"], reopened["state"], reopened["by"]["role"]) == (COMMENT, "dispatched", "citizen")

    # the agency is e-mailed that the case came back, with the citizen's words and a working link
    [_, mail] = sent_emails(AGENCY_MAIL)
    assert case_id in mail.subject and "ส่งกลับ" in mail.subject and "16 เม.ย. 2569" in mail.subject
    assert COMMENT in mail.body
    new_link = agency_link(mail)
    page = pages.call("GET", new_link, when="2026-04-16T09:00:00+07:00")
    assert page.status == 200 and 'id="form-acknowledge"' in page.body

    # the link of the first dispatch is superseded
    refused = pages.call("GET", old_link, when="2026-04-16T09:00:00+07:00")
    assert refused.status == 403
    assert "no longer works" in refused.body and 'id="form-' not in refused.body

    # the citizen who asked to be told hears of the reopening, in one segment
    assert len(sms()) == texts + 1
    assert sms()[-1].startswith(f"1555 {case_id}: ") and "ส่งกลับ" in sms()[-1] and len(sms()[-1]) <= 70


def test_the_link_in_the_completion_sms_lets_the_citizen_answer_for_that_case_only(api):
    doc = completed_case(api)
    other = completed_case(api)
    link = re.search(r"/t/([0-9A-Z\-]+)/([A-Za-z0-9_\-]+)", sms()[-1])  # the short tracking link
    assert link and link.group(1) == other["id"]
    token = link.group(2)

    assert feedback(api, doc, ANSWERED, fixed=False, satisfied=False, token=token).status == 404
    mine = ok(feedback(api, other, ANSWERED, fixed=False, satisfied=False, token=token))
    assert (mine["state"], mine["reopen_count"]) == ("dispatched", 1)
    assert staff_case(api, doc["id"])["state"] == "completed"


# --- who may answer, and when ----------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["", "token=", "token=not-the-token", "token=" + "A" * 43],
    ids=["missing", "empty", "wrong", "wrong-but-well-formed"],
)
def test_feedback_without_the_right_token_is_not_found_and_changes_nothing(api, aws, token):
    doc = completed_case(api)
    items, mails, texts = table_items(aws), len(sent_emails()), len(sms())

    ans = api.call(
        "POST",
        f"/complaints/{doc['id']}/feedback",
        query=token,
        body={"fixed": False, "satisfied": False, "comment": COMMENT},
        when=ANSWERED,
    )

    assert ans.status == 404, ans.body
    assert ans.json["error"]["code"] == "not_found"
    assert table_items(aws) == items
    assert (len(sent_emails()), len(sms())) == (mails, texts)


def test_a_citizen_cannot_answer_for_someone_elses_case(api, aws):
    mine = completed_case(api)
    theirs = completed_case(api, complainant={"name": "สมหญิง", "phone": "0898765432"})
    items = table_items(aws)

    ans = feedback(api, theirs, ANSWERED, fixed=False, satisfied=False, token=mine["tracking_token"])

    assert ans.status == 404, ans.body
    assert table_items(aws) == items
    assert staff_case(api, theirs["id"])["state"] == "completed"


@pytest.mark.parametrize(
    ("steps", "state"), [([], "dispatched"), (["acknowledge"], "acknowledged")], ids=["dispatched", "acknowledged"]
)
def test_feedback_before_completion_is_409_naming_the_state(api, aws, steps, state):
    doc = file(api)
    for step in steps:
        ok(act(api, doc["id"], step, "2026-04-10T10:00:00+07:00"))
    items = table_items(aws)

    ans = feedback(api, doc, ANSWERED, fixed=False, satisfied=False)

    assert ans.status == 409, ans.body
    assert ans.json["error"]["code"] == "illegal_transition"
    assert f"'{state}'" in ans.json["error"]["message"]
    assert table_items(aws) == items


def test_a_confirmed_case_cannot_be_confirmed_again(api, aws):
    doc = completed_case(api)
    ok(feedback(api, doc, ANSWERED, fixed=True, satisfied=True))
    items = table_items(aws)
    ans = feedback(api, doc, "2026-04-11T09:00:00+07:00", fixed=True, satisfied=True)
    assert ans.status == 409 and "'closed'" in ans.json["error"]["message"]
    assert table_items(aws) == items
