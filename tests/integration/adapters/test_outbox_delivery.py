"""The outbox: every notice an event owes is sent once, a failed send stays in the outbox
index and is sent once on retry, a claim left by a sender that died is taken over.

What was "sent" is read back from moto's in-process SES and SNS backends, the outbox
bookkeeping from the table.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from complaints import wiring
from complaints.adapters.dynamo.codec import OUTBOX_SHARDS
from local import infra
from tests.conftest import act, at, ok
from tests.integration.helpers import AGENCY_MAIL, PHONE, emails, event_item, file, sms

pytestmark = pytest.mark.integration


def outbox(aws, case_id: str) -> list[str]:
    """The sort keys of this case's events in the outbox index (what a retrying sweep reads)."""
    ddb = aws.client("dynamodb")
    keys = []
    for shard in range(OUTBOX_SHARDS):
        page = ddb.query(
            TableName=infra.LOCAL_TABLE,
            IndexName="outbox",
            KeyConditionExpression="gsi_outbox_pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"OUTBOX#{shard}"}},
        )
        keys += [i["sk"]["S"] for i in page["Items"] if i["pk"]["S"] == f"CASE#{case_id}"]
    return keys


def test_delivering_the_same_events_again_sends_nothing_new(api, aws):
    case_id = file(api)["id"]
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(act(api, case_id, "progress", "2026-04-17T10:00:00+07:00", {"note": "กำลังซ่อม"}))
    service = wiring.usecases().workflow
    case, events = service.cases.get(case_id)
    mails, texts = len(emails()), len(sms())
    assert outbox(aws, case_id) == []  # everything owed was sent

    outcome = service.notices.deliver(case, events, at("2026-04-17T10:00:05+07:00"))

    assert (outcome.sent, outcome.failed) == (0, 0)
    assert (len(emails()), len(sms())) == (mails, texts)


def test_a_failed_sms_is_kept_in_the_outbox_and_sent_once_on_retry(api, aws, monkeypatch):
    service = wiring.usecases().workflow
    real_sms = wiring.ports().notifier.sms
    calls = []

    def flaky(phone: str, text: str) -> None:
        calls.append(phone)
        if len(calls) == 1:
            raise ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, "Publish")
        real_sms(phone, text)

    monkeypatch.setattr(wiring.ports().notifier, "sms", flaky)

    case_id = file(api)["id"]  # the failure does not fail the filing
    assert sms() == []
    assert len(emails(to=AGENCY_MAIL)) == 1  # the agency was told all the same
    routed = event_item(aws, case_id, 2)
    assert routed["type"] == "routed"
    assert "Throttling" in routed["failures"]["citizen_sms"]["error"]
    assert set(routed["sent"]) == {"agency_email"}
    assert "gsi_outbox_pk" in routed
    assert outbox(aws, case_id) == ["EVT#000002"]

    case, events = service.cases.get(case_id)
    owed = [e for e in events if e.seq == 2]
    retry = service.notices.deliver(case, owed, at("2026-04-11T08:30:00+07:00"))
    assert (retry.sent, retry.failed) == (1, 0)
    [text] = sms(PHONE)
    assert case_id in text
    assert len(emails(to=AGENCY_MAIL)) == 1  # not e-mailed twice
    routed = event_item(aws, case_id, 2)
    assert set(routed["sent"]) == {"agency_email", "citizen_sms"}
    assert routed["failures"] == {}  # the old error went with the successful retry
    assert "gsi_outbox_pk" not in routed
    assert outbox(aws, case_id) == []

    again = service.notices.deliver(case, owed, at("2026-04-12T08:30:00+07:00"))
    assert (again.sent, again.failed) == (0, 0)
    assert len(sms(PHONE)) == 1 and len(emails()) == 1


def test_a_claim_left_by_a_sender_that_died_is_taken_over_after_15_minutes(api, aws):
    case_id = file(api)["id"]
    service = wiring.usecases().workflow
    # A sender claimed the citizen's SMS at 09:12:30 and died before recording anything.
    aws.client("dynamodb").update_item(
        TableName=infra.LOCAL_TABLE,
        Key={"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "EVT#000002"}},
        UpdateExpression="SET sent.citizen_sms = :claim",
        ExpressionAttributeValues={
            ":claim": {"M": {"outcome": {"S": "sending"}, "at": {"S": "2026-04-10T02:12:30.000Z"}}}
        },
    )
    case, events = service.cases.get(case_id)
    texts = len(sms(PHONE))

    early = service.notices.deliver(case, events, at("2026-04-10T09:20:00+07:00"))  # claim still fresh
    assert (early.sent, len(sms(PHONE))) == (0, texts)

    late = service.notices.deliver(case, events, at("2026-04-10T09:40:00+07:00"))  # the sender is gone
    assert (late.sent, len(sms(PHONE))) == (1, texts + 1)
    assert event_item(aws, case_id, 2)["sent"]["citizen_sms"]["outcome"] == "sent"
