"""The pages of a reopening: the tracking page's feedback form (offered once completed, a "no"
reopening the case, a "yes" closing it, a closed case offering only to report it not fixed),
and the agency working the reopened case from the link of its new e-mail.
"""

from __future__ import annotations

import pytest

from tests.conftest import act, agency_link, ok, sent_emails, sweep, table_items
from tests.integration.completion_helpers import (
    ANSWERED,
    COMMENT,
    answer_form,
    complete,
    completed_case,
    feedback,
    file,
    staff_case,
    track,
)
from tests.integration.helpers import AGENCY_MAIL, end_of

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("auditing")]


# --- the tracking page's feedback form ------------------------------------------------------


def test_the_tracking_page_offers_the_feedback_form_only_once_completed(api, pages):
    doc = file(api)
    assert 'id="form-feedback"' not in track(pages, doc, "2026-04-10T09:30:00+07:00").body
    ok(act(api, doc["id"], "acknowledge", "2026-04-10T09:40:00+07:00"))
    ok(act(api, doc["id"], "progress", "2026-04-10T09:50:00+07:00", {"note": "กำลังซ่อม"}))
    page = track(pages, doc, "2026-04-10T10:00:00+07:00")
    assert page.status == 200 and 'id="form-feedback"' not in page.body

    complete(api, doc["id"])
    page = track(pages, doc, "2026-04-10T12:00:00+07:00")
    assert page.status == 200 and 'id="form-feedback"' in page.body
    assert 'name="fixed"' in page.body and 'name="satisfied"' in page.body


def test_answering_no_on_the_tracking_page_reopens_the_case_and_the_page_says_so(api, pages):
    doc = completed_case(api)

    page = answer_form(pages, doc, {"fixed": "no", "satisfied": "no", "comment": COMMENT})

    assert page.status == 200, page.body
    assert "ส่งเรื่องกลับให้หน่วยงานแก้ไขอีกครั้งแล้ว" in page.body and "sent back" in page.body
    assert 'id="form-feedback"' not in page.body  # nothing more to answer until completed again
    case = staff_case(api, doc["id"])
    assert (case["state"], case["reopen_count"]) == ("dispatched", 1)
    assert case["due"] == {"kind": "ack", "at": end_of("2026-04-16")}
    assert case["history"][-1]["note"] == COMMENT
    assert "ส่งกลับ" in sent_emails(AGENCY_MAIL)[-1].subject


def test_answering_yes_on_the_tracking_page_closes_the_case(api, pages):
    doc = completed_case(api)
    page = answer_form(pages, doc, {"fixed": "yes", "satisfied": "yes", "comment": ""})
    assert page.status == 200 and "ปิดเรื่องแล้ว" in page.body
    assert staff_case(api, doc["id"])["state"] == "closed"


def test_a_closed_case_offers_only_to_report_that_it_is_not_fixed(api, pages):
    doc = completed_case(api)
    sweep("2026-04-25T08:30:00+07:00")  # no answer in 14 days: closed
    page = track(pages, doc, "2026-04-27T10:00:00+07:00").body
    assert 'id="form-feedback"' not in page and 'id="form-dispute"' in page

    answer = answer_form(
        pages, doc, {"fixed": "no", "satisfied": "no", "comment": COMMENT}, when="2026-04-27T10:00:00+07:00"
    )

    assert answer.status == 200, answer.body
    assert staff_case(api, doc["id"])["state"] == "dispatched"


@pytest.mark.parametrize(
    "fields",
    [{"fixed": "no"}, {"satisfied": "no", "comment": COMMENT}, {"fixed": "no", "satisfied": "maybe"}, {}],
    ids=["no-satisfied", "no-fixed", "bad-value", "nothing"],
)
def test_a_form_with_an_answer_missing_is_422_and_changes_nothing(api, aws, pages, fields):
    doc = completed_case(api)
    items, mails = table_items(aws), len(sent_emails())

    page = answer_form(pages, doc, fields)

    assert page.status == 422, page.body
    assert "โปรดตอบทั้งสองข้อ" in page.body and 'id="form-feedback"' in page.body
    assert table_items(aws) == items and len(sent_emails()) == mails


def test_the_tracking_form_with_a_wrong_token_is_not_found(api, aws, pages):
    doc = completed_case(api)
    items = table_items(aws)
    page = answer_form(pages, doc | {"tracking_token": "not-the-token"}, {"fixed": "no", "satisfied": "no"})
    assert page.status == 404
    assert table_items(aws) == items


# --- the agency's page for the reopened case -----------------------------------------------


def test_the_agency_works_the_reopened_case_from_its_new_link(api, pages):
    doc = completed_case(api)
    ok(feedback(api, doc, ANSWERED, fixed=False, satisfied=False))
    link = agency_link(sent_emails(AGENCY_MAIL)[-1])
    page = pages.call("GET", link, when="2026-04-16T09:00:00+07:00")
    version = page.body.split('name="version" value="', 1)[1].split('"', 1)[0]
    done = pages.form(
        link, {"action": "acknowledge", "version": version, "note": "รับทราบ จะซ่อมใหม่"}, when="2026-04-16T09:05:00+07:00"
    )
    assert done.status == 200, done.body
    case = staff_case(api, doc["id"])
    assert case["state"] == "acknowledged"
    assert case["due"] == {"kind": "first_progress", "at": end_of("2026-04-21")}
