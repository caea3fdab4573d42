"""The agency's side of a case, end to end: the e-mail it gets, acknowledge → progress →
complete (or hand back), the deadlines each step starts, the notices the citizen gets,
and the guarantees around them (sent once, failures retried, signed links).

What was "sent" is read back from moto's in-process SES and SNS backends.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from complaints import wiring
from complaints.adapters.store import OUTBOX_SHARDS
from complaints.domain import lifecycle
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.errors import Conflict
from complaints.domain.links import (
    AgencyGrant,
    LinkRefused,
    agency_token,
    check_current,
    read_agency_token,
)
from complaints.domain.model import Actor, Role
from local import infra
from tests.conftest import CALLCENTER, act, at, complaint, ok, staff, table_items

pytestmark = pytest.mark.integration

ACCOUNT = "123456789012"  # moto's default account
OTHER_OFFICER = staff("agency", "DIST-1001", sub="officer-1001")
AGENCY_MAIL = "district-1039@agency.example"
CALL_CENTRE_MAIL = "ops-1555@agency.example"
PHONE = "+66812345678"
FILED_AT = "2026-04-10T09:12:00+07:00"  # a Friday; Songkran (13–15 April) follows
BASE_URL = "http://127.0.0.1:3000"  # PublicBaseUrl of the local stack (infra.local_values)
SMS_SEGMENT = 70  # UCS-2: one segment
SMS_PART = 67  # UCS-2: each part of a concatenated message
LINK = re.compile(re.escape(BASE_URL) + r"/a/([A-Za-z0-9_.\-]+)")
TRACK = re.compile(re.escape(BASE_URL) + r"/track/([0-9A-Z\-]+)\?token=([A-Za-z0-9_\-]+)")


# --- reading what was sent, from moto ---------------------------------------------------

def emails(to: str | None = None) -> list[Any]:
    """E-mails SES accepted, oldest first (moto keeps the HTML part of a two-part e-mail as ``body``)."""
    from moto.ses.models import ses_backends

    messages = ses_backends[ACCOUNT][infra.REGION].sent_messages
    return [m for m in messages if to is None or to in m.destinations.get("ToAddresses", [])]


def sms(phone: str | None = None) -> list[str]:
    """Texts of the SMS SNS accepted, oldest first."""
    from moto.sns.models import sns_backends

    sent = sns_backends[ACCOUNT][infra.REGION].sms_messages.values()
    return [text for number, text in sent if phone is None or number == phone]


@pytest.fixture
def send_email_requests(api) -> list[dict[str, Any]]:
    """The SendEmail requests as they left the service's SES client (both the HTML and the text part:
    moto keeps only one of them)."""
    seen: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        seen.append(params)

    wiring.service().notices.notifier.ses.meta.events.register("provide-client-params.ses.SendEmail", record)
    return seen


def event_item(aws, case_id: str, seq: int) -> dict[str, Any]:
    """A history event's item as stored (outbox bookkeeping included)."""
    item = aws.client("dynamodb").get_item(
        TableName=infra.LOCAL_TABLE, ConsistentRead=True,
        Key={"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": f"EVT#{seq:06d}"}})["Item"]
    de = TypeDeserializer()
    return {k: de.deserialize(v) for k, v in item.items()}


def outbox(aws, case_id: str) -> list[str]:
    """The sort keys of this case's events in the outbox index (what a retrying sweep reads)."""
    ddb = aws.client("dynamodb")
    keys = []
    for shard in range(OUTBOX_SHARDS):
        page = ddb.query(TableName=infra.LOCAL_TABLE, IndexName="outbox",
                         KeyConditionExpression="gsi_outbox_pk = :pk",
                         ExpressionAttributeValues={":pk": {"S": f"OUTBOX#{shard}"}})
        keys += [i["sk"]["S"] for i in page["Items"] if i["pk"]["S"] == f"CASE#{case_id}"]
    return keys


# --- driving the API ----------------------------------------------------------------------

def file(api, when: str = FILED_AT, **overrides: Any) -> dict[str, Any]:
    ans = api.call("POST", "/complaints", body=complaint(**overrides), when=when)
    assert ans.status == 201, ans.body
    return ans.json






def history(api, case_id: str) -> list[dict[str, Any]]:
    ans = api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER)
    assert ans.status == 200, ans.body
    return ans.json["history"]


def end_of(day: str) -> str:
    return f"{day}T23:59:59.999+07:00"


# --- the e-mail to the agency -------------------------------------------------------------

def test_filing_emails_the_agency_in_thai_with_the_deadline_and_its_action_link(api, send_email_requests):
    doc = file(api)

    [mail] = emails(to=AGENCY_MAIL)
    assert doc["id"] in mail.subject
    assert "เรื่องใหม่" in mail.subject  # Thai: "new case"
    assert "16 เม.ย. 2569" in mail.subject
    [request] = [r for r in send_email_requests if r["Destination"]["ToAddresses"] == [AGENCY_MAIL]]
    html = request["Message"]["Body"]["Html"]["Data"]
    text = request["Message"]["Body"]["Text"]["Data"]
    assert mail.body == html
    assert html.lstrip().lower().startswith("<!doctype html") and "<" not in text
    for body in (html, text):
        assert doc["id"] in body
        assert "16 เม.ย. 2569" in body  # the acknowledgement deadline, Buddhist era
        assert "ซอยสุขุมวิท 31" in body and "ถนนเป็นหลุมลึก" in body
    token = LINK.search(text).group(1)
    assert f"{BASE_URL}/a/{token}" in html

    grant = read_agency_token(wiring.link_secret(), token, at(FILED_AT))
    assert (grant.case_id, grant.agency_id, grant.dispatch_seq) == (doc["id"], "DIST-1039", 2)


def test_markup_in_a_complaint_is_shown_as_text_in_the_agency_email(api, send_email_requests):
    file(api, description="<script>alert(1)</script> หลุม & <b>ด่วน</b>")
    [request] = send_email_requests
    html = request["Message"]["Body"]["Html"]["Data"]
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; หลุม &amp; &lt;b&gt;ด่วน&lt;/b&gt;" in html
    assert "<script>alert(1)</script> หลุม & <b>ด่วน</b>" in request["Message"]["Body"]["Text"]["Data"]


def test_filing_texts_the_citizen_once_and_nobody_else(api):
    doc = file(api)
    assert sms() == sms(PHONE)
    [text] = sms(PHONE)
    assert text.startswith(f"1555 {doc['id']}: ") and "สำนักงานเขตวัฒนา" in text
    assert emails(to="somchai@example.com") == []  # told by SMS, not twice
    assert len(emails()) == 1


# --- the agency works the case --------------------------------------------------------------

def test_agency_acknowledges_reports_progress_and_completes_with_the_deadlines_of_the_rules(api, aws):
    case_id = file(api)["id"]

    ack = ok(act(api, case_id, "acknowledge", "2026-04-16T10:05:00+07:00", {"note": "รับเรื่องแล้ว"}))
    assert ack["state"] == "acknowledged"
    assert ack["due"] == {"kind": "first_progress", "at": end_of("2026-04-21")}  # Fri 17, Mon 20, Tue 21
    assert history(api, case_id)[-1]["type"] == "acknowledged"

    first = ok(act(api, case_id, "progress", "2026-04-21T14:00:00+07:00",
                   {"note": "ส่งทีมสำรวจหน้างานแล้ว", "expected_completion": "2026-05-08"}))
    assert first["state"] == "in_progress"
    assert first["due"] == {"kind": "checkpoint", "at": end_of("2026-04-30")}  # Thu 30 April, a business day

    second = ok(act(api, case_id, "progress", "2026-04-30T16:00:00+07:00", {"note": "รอวัสดุซ่อมผิวถนน"}))
    assert second["state"] == "in_progress"
    assert second["due"] == {"kind": "checkpoint", "at": end_of("2026-05-15")}  # Fri 15 May

    done = ok(act(api, case_id, "complete", "2026-05-04T11:00:00+07:00",
                  {"note": "ซ่อมผิวถนนเรียบร้อย", "evidence_urls": ["https://photos.example/fixed.jpg"]}))
    assert done["state"] == "completed"
    assert done["due"] == {"kind": "feedback", "at": end_of("2026-05-18")}  # the citizen's 14 days to answer
    assert done["agency"]["id"] == "DIST-1039"

    steps = history(api, case_id)
    assert [h["type"] for h in steps] == ["received", "routed", "acknowledged", "progress", "progress",
                                          "completed"]
    assert [h["state"] for h in steps] == ["triage", "dispatched", "acknowledged", "in_progress",
                                           "in_progress", "completed"]
    assert {(h["by"]["role"], h["by"]["id"]) for h in steps[2:]} == {("agency", "officer-1039")}
    assert event_item(aws, case_id, 6)["data"]["evidence_urls"] == ["https://photos.example/fixed.jpg"]

    texts = sms(PHONE)
    assert len(texts) == 4, texts  # routed, two progress reports, completed: each once, nothing for the ack
    assert "สำนักงานเขตวัฒนา" in texts[0]
    assert texts[1] == f"1555 {case_id}: คืบหน้า: ส่งทีมสำรวจหน้างานแล้ว"
    assert texts[2] == f"1555 {case_id}: คืบหน้า: รอวัสดุซ่อมผิวถนน"
    track = TRACK.search(texts[3])
    assert track and track.group(1) == case_id, texts[3]
    assert len(emails()) == 1  # the agency's dispatch e-mail only: acting on a case e-mails nobody

    # the tracking link of the completion SMS opens the citizen's view of the case
    mine = api.call("GET", f"/complaints/{case_id}", query=f"token={track.group(2)}")
    assert mine.status == 200, mine.body
    assert mine.json["state"] == "completed"


def test_checkpoints_step_over_a_weekend_and_across_the_month_end(api):
    case_id = file(api, when="2026-02-09T09:00:00+07:00")["id"]
    ok(act(api, case_id, "acknowledge", "2026-02-10T09:00:00+07:00"))
    first = ok(act(api, case_id, "progress", "2026-02-10T15:00:00+07:00", {"note": "สำรวจแล้ว"}))
    assert first["due"] == {"kind": "checkpoint", "at": end_of("2026-02-16")}  # 15 Feb is a Sunday
    second = ok(act(api, case_id, "progress", "2026-02-16T15:00:00+07:00", {"note": "กำลังซ่อม"}))
    assert second["due"] == {"kind": "checkpoint", "at": end_of("2026-03-02")}  # Sat 28 Feb → Mon 2 March


def test_completing_a_dispatched_case_also_records_the_acknowledgement(api):
    case_id = file(api)["id"]
    done = ok(act(api, case_id, "complete", "2026-04-10T16:00:00+07:00", {"note": "เติมยางมะตอยแล้ว"}))
    assert done["state"] == "completed"
    assert done["due"] == {"kind": "feedback", "at": end_of("2026-04-24")}  # the citizen's 14 days to answer
    steps = history(api, case_id)
    assert [(h["type"], h["state"]) for h in steps[2:]] == [("acknowledged", "acknowledged"),
                                                            ("completed", "completed")]
    assert steps[2]["by"]["role"] == steps[3]["by"]["role"] == "agency"
    assert len(sms(PHONE)) == 2 and TRACK.search(sms(PHONE)[-1])


# --- hand back ------------------------------------------------------------------------------

@pytest.mark.parametrize("acknowledged_first", [False, True], ids=["from-dispatched", "from-acknowledged"])
def test_handback_returns_the_case_to_triage_and_tells_the_call_centre_why(api, acknowledged_first):
    case_id = file(api)["id"]
    if acknowledged_first:
        ok(act(api, case_id, "acknowledge", "2026-04-10T11:00:00+07:00"))
    reason = "ถนนเส้นนี้อยู่ในความดูแลของกรมทางหลวง ไม่ใช่ของเขต"

    back = ok(act(api, case_id, "handback", "2026-04-10T15:30:00+07:00", {"reason": reason}))
    assert back["state"] == "triage" and back["agency"] is None
    assert back["due"] == {"kind": "dispatch", "at": "2026-04-11T15:30:00.000+07:00"}  # 24 hours, not business days
    last = history(api, case_id)[-1]
    assert (last["type"], last["note"], last["by"]["role"]) == ("handed_back", reason, "agency")

    [mail] = emails(to=CALL_CENTRE_MAIL)
    assert case_id in mail.subject and "สำนักงานเขตวัฒนา" in mail.subject
    assert reason in mail.body
    assert sms(PHONE)[-1] == f"1555 {case_id}: กำลังส่งต่อให้หน่วยงานที่รับผิดชอบ"

    # the officer's agency no longer holds the case
    assert act(api, case_id, "acknowledge", "2026-04-10T16:00:00+07:00").status == 403


@pytest.mark.parametrize("body", [{"reason": ""}, {"reason": "   "}, {}], ids=["empty", "blank", "missing"])
def test_handback_without_a_reason_is_refused_and_changes_nothing(api, aws, body):
    case_id = file(api)["id"]
    before, mails, texts = table_items(aws), len(emails()), len(sms())
    ans = act(api, case_id, "handback", "2026-04-10T15:30:00+07:00", body)
    assert ans.status == 422, ans.body
    assert "reason" in ans.json["error"]["message"]
    assert table_items(aws) == before
    assert (len(emails()), len(sms())) == (mails, texts)


# --- refused actions ------------------------------------------------------------------------

PROGRESS = ("progress", {"note": "คืบหน้า"})
COMPLETE = ("complete", {"note": "เสร็จแล้ว"})
ACK = ("acknowledge", {})
HANDBACK = ("handback", {"reason": "ไม่ใช่งานของเรา"})


@pytest.mark.parametrize(("before", "action", "state"), [
    ([], PROGRESS, "dispatched"),
    ([ACK], ACK, "acknowledged"),
    ([ACK, PROGRESS], ACK, "in_progress"),
    ([ACK, PROGRESS], HANDBACK, "in_progress"),
    ([COMPLETE], COMPLETE, "completed"),
    ([COMPLETE], PROGRESS, "completed"),
    ([COMPLETE], HANDBACK, "completed"),
], ids=["progress-dispatched", "ack-twice", "ack-in-progress", "handback-in-progress", "complete-twice",
        "progress-completed", "handback-completed"])
def test_an_action_the_state_does_not_allow_is_409_naming_the_state_and_changes_nothing(
        api, aws, before, action, state):
    case_id = file(api)["id"]
    for name, body in before:
        ok(act(api, case_id, name, "2026-04-16T10:00:00+07:00", body))
    items, mails, texts = table_items(aws), len(emails()), len(sms())

    ans = act(api, case_id, action[0], "2026-04-16T11:00:00+07:00", action[1])
    assert ans.status == 409, ans.body
    assert ans.json["error"]["code"] == "illegal_transition"
    assert f"'{state}'" in ans.json["error"]["message"]
    assert table_items(aws) == items
    assert (len(emails()), len(sms())) == (mails, texts)


def test_of_two_concurrent_acknowledgements_one_wins_and_the_other_is_a_conflict(api):
    case_id = file(api)["id"]
    store = wiring.service().store
    first_read, _ = store.get(case_id)
    second_read, _ = store.get(case_id)
    calendar = BusinessCalendar.with_specials()
    when = at("2026-04-16T10:00:00+07:00")
    mine = lifecycle.acknowledge(first_read, Actor(role=Role.AGENCY, id="a", agency_id="DIST-1039"), when,
                                 calendar, "first")
    theirs = lifecycle.acknowledge(second_read, Actor(role=Role.AGENCY, id="b", agency_id="DIST-1039"), when,
                                   calendar, "second")

    store.save(mine)
    with pytest.raises(Conflict, match="'acknowledged'"):
        store.save(theirs)

    acks = [h for h in history(api, case_id) if h["type"] == "acknowledged"]
    assert [(h["note"], h["by"]["id"]) for h in acks] == [("first", "a")]


def test_an_api_call_that_lost_a_race_answers_409_and_overwrites_nothing(api, aws, monkeypatch):
    case_id = file(api)["id"]
    store = wiring.service().store
    stale = store.get(case_id)  # the loser read the case before the winner wrote
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00", {"note": "winner"}))
    items = table_items(aws)

    monkeypatch.setattr(store, "get", lambda _id: stale)
    ans = act(api, case_id, "complete", "2026-04-16T10:00:01+07:00", {"note": "loser"})
    monkeypatch.undo()

    assert ans.status == 409, ans.body
    assert ans.json["error"]["code"] == "conflict"
    assert "'acknowledged'" in ans.json["error"]["message"]
    assert table_items(aws) == items
    assert [h["type"] for h in history(api, case_id)][-1] == "acknowledged"


@pytest.mark.parametrize(("action", "body"), [ACK, PROGRESS, COMPLETE, HANDBACK], ids=lambda v: str(v)[:12])
def test_an_officer_of_another_agency_is_forbidden_every_action(api, aws, action, body):
    case_id = file(api)["id"]
    if action == "progress":
        ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    items, mails, texts = table_items(aws), len(emails()), len(sms())

    ans = act(api, case_id, action, "2026-04-16T11:00:00+07:00", body, claims=OTHER_OFFICER)
    assert ans.status == 403, ans.body
    assert ans.json["error"]["code"] == "forbidden"
    assert table_items(aws) == items
    assert (len(emails()), len(sms())) == (mails, texts)


@pytest.mark.parametrize(("claims", "status"), [(CALLCENTER, 403), (staff("auditor"), 403), (None, 401)],
                         ids=["callcenter", "auditor", "anonymous"])
def test_only_the_agency_role_may_acknowledge(api, aws, claims, status):
    case_id = file(api)["id"]
    items = table_items(aws)
    ans = act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00", claims=claims)
    assert ans.status == status, ans.body
    assert table_items(aws) == items


def test_an_action_on_an_unknown_case_is_not_found(api, aws):
    items = table_items(aws)
    ans = act(api, "2604-ZZZZZZ", "acknowledge", "2026-04-16T10:00:00+07:00")
    assert ans.status == 404 and ans.json["error"]["code"] == "not_found"
    assert table_items(aws) == items


# --- the citizen's notices ------------------------------------------------------------------

def test_routed_sms_fits_one_segment(api):
    case_id = file(api)["id"]
    [text] = sms(PHONE)
    assert text == f"1555 {case_id}: ส่งถึงสำนักงานเขตวัฒนา แล้ว"
    assert len(text) <= SMS_SEGMENT


def test_referred_sms_tells_whom_to_call_in_one_segment(api):
    case_id = file(api, category="water_main")["id"]
    [text] = sms(PHONE)
    assert text.startswith(f"1555 {case_id}: ") and "โปรดโทร 1125" in text
    assert len(text) <= SMS_SEGMENT


def test_a_long_progress_note_is_cut_to_fit_one_segment(api):
    case_id = file(api)["id"]
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    note = "ทีมช่างเขตวัฒนาลงพื้นที่ตรวจสอบผิวจราจรแล้ว พบความเสียหายเป็นบริเวณกว้าง " * 5
    ok(act(api, case_id, "progress", "2026-04-17T10:00:00+07:00", {"note": note}))
    text = sms(PHONE)[-1]
    assert text.startswith(f"1555 {case_id}: คืบหน้า: ทีมช่างเขตวัฒนา")
    assert text.endswith("…") and len(text) <= SMS_SEGMENT
    assert history(api, case_id)[-1]["note"] == note.strip()  # the note itself is kept whole


def test_handed_back_sms_fits_one_segment(api):
    case_id = file(api)["id"]
    ok(act(api, case_id, "handback", "2026-04-10T15:30:00+07:00", {"reason": "ไม่ใช่ของเขต"}))
    text = sms(PHONE)[-1]
    assert text.startswith(f"1555 {case_id}: ") and len(text) <= SMS_SEGMENT


def test_completion_sms_carries_the_tracking_link_in_at_most_two_parts(api):
    case_id = file(api)["id"]
    ok(act(api, case_id, "complete", "2026-04-13T10:00:00+07:00", {"note": "เสร็จแล้ว"}))
    text = sms(PHONE)[-1]
    assert f"{BASE_URL}/track/{case_id}?token=" in text
    assert len(text) <= 2 * SMS_PART


@pytest.mark.parametrize("complainant", [
    {"name": "สมหญิง", "email": "somying@example.com"},
    {"name": "สมหญิง", "phone": "022345678", "email": "somying@example.com"},  # a landline takes no SMS
], ids=["email-only", "landline"])
def test_a_citizen_without_a_mobile_is_told_by_email(api, complainant):
    case_id = file(api, complainant=complainant)["id"]
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(act(api, case_id, "progress", "2026-04-17T10:00:00+07:00", {"note": "กำลังซ่อม"}))

    assert sms() == []
    mails = emails(to="somying@example.com")
    assert len(mails) == 2  # routed, progress: not the acknowledgement
    assert all(case_id in m.subject for m in mails)
    assert "กำลังซ่อม" in mails[1].body
    assert f"{BASE_URL}/track/{case_id}?token=" in mails[1].body


def test_a_citizen_who_did_not_ask_to_be_told_gets_nothing(api):
    case_id = file(api, notify=False)["id"]
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(act(api, case_id, "progress", "2026-04-17T10:00:00+07:00", {"note": "กำลังซ่อม"}))
    ok(act(api, case_id, "complete", "2026-04-20T10:00:00+07:00", {"note": "เสร็จ"}))
    assert sms() == []
    assert [m.destinations["ToAddresses"] for m in emails()] == [[AGENCY_MAIL]]


# --- sent once, and failed sends retried -----------------------------------------------------

def test_delivering_the_same_events_again_sends_nothing_new(api, aws):
    case_id = file(api)["id"]
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(act(api, case_id, "progress", "2026-04-17T10:00:00+07:00", {"note": "กำลังซ่อม"}))
    service = wiring.service()
    case, events = service.store.get(case_id)
    mails, texts = len(emails()), len(sms())
    assert outbox(aws, case_id) == []  # everything owed was sent

    outcome = service.notices.deliver(case, events, at("2026-04-17T10:00:05+07:00"))

    assert (outcome.sent, outcome.failed) == (0, 0)
    assert (len(emails()), len(sms())) == (mails, texts)


def test_a_failed_sms_is_kept_in_the_outbox_and_sent_once_on_retry(api, aws, monkeypatch):
    service = wiring.service()
    real_sms = service.notices.notifier.sms
    calls = []

    def flaky(phone: str, text: str) -> None:
        calls.append(phone)
        if len(calls) == 1:
            raise ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, "Publish")
        real_sms(phone, text)

    monkeypatch.setattr(service.notices.notifier, "sms", flaky)

    case_id = file(api)["id"]  # the failure does not fail the filing
    assert sms() == []
    assert len(emails(to=AGENCY_MAIL)) == 1  # the agency was told all the same
    routed = event_item(aws, case_id, 2)
    assert routed["type"] == "routed"
    assert "Throttling" in routed["failures"]["citizen_sms"]["error"]
    assert set(routed["sent"]) == {"agency_email"}
    assert "gsi_outbox_pk" in routed
    assert outbox(aws, case_id) == ["EVT#000002"]

    case, events = service.store.get(case_id)
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


# --- signed agency links ---------------------------------------------------------------------

SECRET = b"a test key, not the stack's"
ISSUED = at("2026-04-10T09:12:00+07:00")
CASE = "2604-7KQ4XM"


def _token() -> str:
    return agency_token(SECRET, CASE, "DIST-1039", 2, ISSUED)


def _flip(char: str) -> str:
    return "A" if char != "A" else "B"


def test_a_link_grants_its_case_agency_and_dispatch_for_30_days():
    grant = read_agency_token(SECRET, _token(), ISSUED + timedelta(days=30) - timedelta(seconds=1))
    assert grant == AgencyGrant(CASE, "DIST-1039", 2, ISSUED + timedelta(days=30))


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + _flip(t[-1]),  # one character of the signature
    lambda t: t[:20] + _flip(t[20]) + t[21:],  # ... in the middle of it
    lambda t: t.replace("DIST-1039", "DIST-1001"),  # another agency
    lambda t: t.replace(CASE, "2604-7KQ4XN"),  # another case
    lambda t: t.replace(".2.", ".3.", 1),  # another dispatch
    lambda t: ".".join([*t.split(".")[:3], str(int(t.split(".")[3]) + 86400 * 365), t.split(".")[4]]),  # longer life
    lambda t: t.rsplit(".", 1)[0],  # no signature
    lambda t: "not-a-token",
], ids=["sig-last", "sig-middle", "agency", "case", "dispatch", "expiry", "unsigned", "garbage"])
def test_a_tampered_link_is_refused(tamper):
    token = _token()
    forged = tamper(token)
    assert forged != token
    with pytest.raises(LinkRefused) as refused:
        read_agency_token(SECRET, forged, ISSUED + timedelta(hours=1))
    assert refused.value.reason == "tampered"


def test_a_link_signed_with_another_key_is_refused():
    with pytest.raises(LinkRefused) as refused:
        read_agency_token(b"another key", _token(), ISSUED + timedelta(hours=1))
    assert refused.value.reason == "tampered"


def test_a_link_older_than_30_days_has_expired():
    with pytest.raises(LinkRefused) as refused:
        read_agency_token(SECRET, _token(), ISSUED + timedelta(days=30, seconds=1))
    assert refused.value.reason == "expired"


def test_a_link_stops_working_once_the_case_is_routed_elsewhere(api):
    case_id = file(api)["id"]
    secret = wiring.link_secret()
    [first_mail] = emails(to=AGENCY_MAIL)
    old = read_agency_token(secret, LINK.search(first_mail.body).group(1), at("2026-04-10T10:00:00+07:00"))
    case, _ = wiring.service().store.get(case_id)
    check_current(old, case)  # current while the case is with this dispatch

    moved = api.call("POST", f"/complaints/{case_id}/route", claims=CALLCENTER,
                     body={"agency_id": "DIST-1001", "note": "อยู่ในเขตพระนคร"}, when="2026-04-10T11:00:00+07:00")
    assert moved.status == 200, moved.body
    case, _ = wiring.service().store.get(case_id)
    with pytest.raises(LinkRefused) as refused:
        check_current(old, case)
    assert refused.value.reason == "superseded"

    # the new agency's link is current, and so is the old agency's after the case comes back to it
    [new_mail] = emails(to="district-1001@agency.example")
    new = read_agency_token(secret, LINK.search(new_mail.body).group(1), at("2026-04-10T11:00:00+07:00"))
    check_current(new, case)
    back = api.call("POST", f"/complaints/{case_id}/route", claims=CALLCENTER,
                    body={"agency_id": "DIST-1039", "note": "กลับเขตวัฒนา"}, when="2026-04-10T12:00:00+07:00")
    assert back.status == 200, back.body
    case, _ = wiring.service().store.get(case_id)
    for superseded in (old, new):  # a new dispatch: neither earlier link works
        with pytest.raises(LinkRefused) as refused:
            check_current(superseded, case)
        assert refused.value.reason == "superseded"
    latest = read_agency_token(secret, LINK.search(emails(to=AGENCY_MAIL)[-1].body).group(1),
                               at("2026-04-10T12:00:00+07:00"))
    check_current(latest, case)


def test_a_link_stops_working_once_the_case_is_handed_back(api):
    case_id = file(api)["id"]
    [mail] = emails(to=AGENCY_MAIL)
    grant = read_agency_token(wiring.link_secret(), LINK.search(mail.body).group(1), at(FILED_AT))
    ok(act(api, case_id, "handback", "2026-04-10T15:30:00+07:00", {"reason": "ไม่ใช่ของเขต"}))
    case, _ = wiring.service().store.get(case_id)
    with pytest.raises(LinkRefused) as refused:
        check_current(grant, case)
    assert refused.value.reason == "superseded"


def test_a_claim_left_by_a_sender_that_died_is_taken_over_after_15_minutes(api, aws):
    case_id = file(api)["id"]
    service = wiring.service()
    # A sender claimed the citizen's SMS at 09:12:30 and died before recording anything.
    aws.client("dynamodb").update_item(
        TableName=infra.LOCAL_TABLE, Key={"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "EVT#000002"}},
        UpdateExpression="SET sent.citizen_sms = :claim",
        ExpressionAttributeValues={":claim": {"M": {"outcome": {"S": "sending"},
                                                    "at": {"S": "2026-04-10T02:12:30.000Z"}}}})
    case, events = service.store.get(case_id)
    texts = len(sms(PHONE))

    early = service.notices.deliver(case, events, at("2026-04-10T09:20:00+07:00"))  # claim still fresh
    assert (early.sent, len(sms(PHONE))) == (0, texts)

    late = service.notices.deliver(case, events, at("2026-04-10T09:40:00+07:00"))  # the sender is gone
    assert (late.sent, len(sms(PHONE))) == (1, texts + 1)
    assert event_item(aws, case_id, 2)["sent"]["citizen_sms"]["outcome"] == "sent"


def test_the_citizen_sees_the_expected_date_and_the_evidence_in_the_history(api):
    doc = file(api)
    ok(act(api, doc["id"], "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(act(api, doc["id"], "progress", "2026-04-17T10:00:00+07:00",
           {"note": "กำลังซ่อม", "expected_completion": "2026-04-30"}))
    ok(act(api, doc["id"], "complete", "2026-04-20T10:00:00+07:00",
           {"note": "เสร็จ", "evidence_urls": ["https://photos.example/after.jpg"]}))
    history = api.call("GET", f"/complaints/{doc['id']}", query=f"token={doc['tracking_token']}").json["history"]
    assert history[-2]["expected_completion"] == "2026-04-30"
    assert history[-1]["evidence_urls"] == ["https://photos.example/after.jpg"]


def test_notify_with_only_a_landline_is_refused(api, aws):
    before = table_items(aws)
    ans = api.call("POST", "/complaints", body=complaint(complainant={"phone": "021234567"}, notify=True))
    assert ans.status == 422 and "landline" in ans.json["error"]["message"]
    assert table_items(aws) == before
