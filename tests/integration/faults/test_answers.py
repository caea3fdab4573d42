"""What the caller is told when DynamoDB throttles or cancels (the fault table checks what is
left behind; these check the answers)."""

from __future__ import annotations

import pytest

from tests.conftest import act, agency_link, complaint, sent_emails
from tests.integration.faults.inject import Fault
from tests.integration.helpers import history

pytestmark = pytest.mark.integration
ACKED = "2026-04-10T10:00:00+07:00"


def filed(api) -> str:
    ans = api.call("POST", "/complaints", body=complaint())
    assert ans.status == 201, ans.body
    return ans.json["id"]


@pytest.mark.parametrize("operation", ["TransactWriteItems", "GetItem", "Query"])
def test_a_throttled_change_is_503_busy_with_retry_after_and_the_same_request_then_succeeds(api, inject, operation):
    case_id = filed(api)
    inject.plant(Fault("dynamodb", operation, 1, "throttled"))

    busy = act(api, case_id, "acknowledge", ACKED)

    assert busy.status == 503, busy.body
    assert busy.json["error"]["code"] == "busy"
    assert int(busy.headers["Retry-After"]) > 0
    assert [h["type"] for h in history(api, case_id)] == ["received", "routed"]  # nothing written
    assert act(api, case_id, "acknowledge", ACKED).status == 200


def test_a_transaction_cancelled_by_a_concurrent_one_is_decided_again_and_done(api, inject):
    """DynamoDB's TransactionConflict: before, a 500; now the case is read again and the change made."""
    case_id = filed(api)
    inject.plant(Fault("dynamodb", "TransactWriteItems", 1, "conflict"))

    done = act(api, case_id, "acknowledge", ACKED)

    assert done.status == 200, done.body
    assert [h["type"] for h in history(api, case_id)] == ["received", "routed", "acknowledged"]


def test_a_throttled_filing_is_503_and_its_retry_with_the_same_key_files_one_case(api, inject, aws):
    from tests.conftest import table_items

    inject.plant(Fault("dynamodb", "TransactWriteItems", 1, "throttled"))
    key = {"Idempotency-Key": "retry-me"}

    busy = api.call("POST", "/complaints", body=complaint(), headers=key)
    inject.lift()
    again = api.call("POST", "/complaints", body=complaint(), headers=key)
    same = api.call("POST", "/complaints", body=complaint(), headers=key)

    assert (busy.status, again.status, same.status) == (503, 201, 201)
    assert "Retry-After" in busy.headers
    assert again.json["id"] == same.json["id"]
    cases = [i for i in table_items(aws) if i["pk"]["S"].startswith("CASE#") and i["sk"]["S"] == "META"]
    assert len(cases) == 1


def test_a_throttled_agency_page_says_busy_with_retry_after_and_opens_on_the_next_try(api, pages, inject):
    """Before, a 500 page: the pages function had no answer for a throttled read."""
    case_id = filed(api)
    (mail,) = [m for m in sent_emails("district-1039@agency.example") if case_id in m.subject]
    link = agency_link(mail)
    inject.plant(Fault("dynamodb", "Query", 1, "throttled"))

    busy = pages.call("GET", link)

    assert busy.status == 503 and int(busy.headers["Retry-After"]) > 0
    assert "ระบบมีผู้ใช้งานมาก" in busy.body and "The system is busy" in busy.body
    again = pages.call("GET", link)
    assert again.status == 200 and case_id in again.body
