"""The daily SLA sweep (rule 4), driven with EventBridge Scheduler events against moto."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto.sns.models import sns_backends

from local import infra
from tests.conftest import CALLCENTER, OFFICER, complaint, sent_emails, sweep

pytestmark = pytest.mark.integration
AGENCY = "district-1039@agency.example"
HEAD = "head.district-1039@agency.example"
SUPERVISORS = "supervisors@1555.local"
PHONE = "+66812345678"


def sms(phone: str = PHONE) -> list[str]:
    from moto.sns.models import sns_backends

    return [
        text for number, text, *_ in sns_backends["123456789012"][infra.REGION].sms_messages.values() if number == phone
    ]


def operators() -> list[tuple]:
    topic = f"arn:aws:sns:{infra.REGION}:123456789012:{infra.LOCAL_TOPIC}"
    return sns_backends["123456789012"][infra.REGION].topics[topic].sent_notifications


def chases(to: str = AGENCY) -> list[Any]:
    return [m for m in sent_emails(to) if "ติดตาม" in m.subject]


def history(api, case_id: str) -> list[str]:
    return [h["type"] for h in api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER).json["history"]]


def file(api, when="2026-04-10T09:12:00+07:00", **overrides) -> str:
    answer = api.call("POST", "/complaints", body=complaint(**overrides), when=when)
    assert answer.status == 201, answer.body
    return answer.json["id"]


def test_nothing_is_done_before_a_deadline_passes(api):
    file(api)  # ack due Thu 2026-04-16, end of day
    report = sweep("2026-04-16T08:30:00+07:00")
    assert (sum(report["late"].values()), report["chased"]) == (0, 0)
    assert chases() == []


def test_a_late_acknowledgement_is_recorded_chased_and_the_citizen_told_once(api):
    case_id = file(api)
    texts = len(sms())
    report = sweep("2026-04-17T08:30:00+07:00")
    assert report["late"] == {"ack": 1} and report["overdue"] == {"ack": 1} and report["chased"] == 1
    assert history(api, case_id)[-2:] == ["overdue", "chased"]
    (mail,) = chases()
    assert case_id in mail.subject and "/a/" in mail.body and "16 เม.ย. 2569" in mail.body
    assert len(sms()) == texts + 1 and "ติดตาม" in sms()[-1] and len(sms()[-1]) <= 70

    again = sweep("2026-04-17T08:30:00+07:00")  # the same instant: nothing new
    assert (again["chased"], again["overdue"], again["notices_sent"]) == (0, {}, 0)
    assert len(chases()) == 1 and len(sms()) == texts + 1
    assert history(api, case_id)[-2:] == ["overdue", "chased"]


def test_a_case_that_stays_late_is_chased_daily_and_escalated_once_after_three_business_days(api):
    case_id = file(api)
    for day in ("2026-04-17", "2026-04-18", "2026-04-20", "2026-04-21", "2026-04-22"):
        sweep(f"{day}T08:30:00+07:00")
    # Fri 17, Sat 18, Mon 20, Tue 21, Wed 22: chased every day it ran
    assert len(chases()) == 5
    assert history(api, case_id).count("overdue") == 1
    assert history(api, case_id).count("chased") == 5
    # late by 3 business days (Fri 17, Mon 20, Tue 21) on Tue 21: escalated once
    assert history(api, case_id).count("escalated") == 1
    (head_mail,) = sent_emails(HEAD)
    assert case_id in head_mail.subject and "3 วันทำการ" in head_mail.subject
    (note,) = operators()
    assert case_id in note[2]
    assert len([t for t in sms() if "ช้ากว่ากำหนด" in t]) == 1  # the citizen hears once per missed deadline


def test_the_chase_link_opens_the_agency_page(api, pages):
    file(api)
    sweep("2026-04-17T08:30:00+07:00")
    from tests.conftest import agency_link

    page = pages.call("GET", agency_link(chases()[0]), when="2026-04-17T09:00:00+07:00")
    assert page.status == 200 and 'id="form-acknowledge"' in page.body


def test_acting_stops_the_chasing_and_a_new_deadline_starts_clean(api):
    case_id = file(api)
    sweep("2026-04-17T08:30:00+07:00")
    api.call("POST", f"/complaints/{case_id}/acknowledge", claims=OFFICER, body={}, when="2026-04-17T10:00:00+07:00")
    sweep("2026-04-20T08:30:00+07:00")
    assert len(chases()) == 1  # first progress is due Wed 22: not late
    sweep("2026-04-23T08:30:00+07:00")
    assert history(api, case_id).count("overdue") == 2  # the ack, then the first progress report
    assert len(chases()) == 2 and "รายงานความคืบหน้าครั้งแรก" in chases()[-1].subject


def test_a_late_checkpoint_is_chased(api):
    case_id = file(api)
    api.call("POST", f"/complaints/{case_id}/acknowledge", claims=OFFICER, body={}, when="2026-04-16T10:00:00+07:00")
    api.call(
        "POST",
        f"/complaints/{case_id}/progress",
        claims=OFFICER,
        body={"note": "เริ่มงาน"},
        when="2026-04-20T10:00:00+07:00",
    )  # next checkpoint: Thu 30 April
    assert sweep("2026-04-30T08:30:00+07:00")["chased"] == 0
    report = sweep("2026-05-01T08:30:00+07:00")
    assert report["overdue"] == {"checkpoint": 1} and report["chased"] == 1


def test_triage_over_24_hours_alerts_the_supervisors_once(api):
    case_id = file(api, category="inquiry")
    assert sweep("2026-04-11T08:30:00+07:00")["overdue"] == {}  # 23 hours
    report = sweep("2026-04-13T08:30:00+07:00")
    assert report["overdue"] == {"dispatch": 1} and report["supervisors_alerted"] == 1
    (mail,) = sent_emails(SUPERVISORS)
    assert case_id in mail.subject
    sweep("2026-04-14T08:30:00+07:00")
    assert len(sent_emails(SUPERVISORS)) == 1 and history(api, case_id).count("overdue") == 1


def test_a_reminder_is_not_sent_once_the_agency_has_acted(api, monkeypatch):
    """A chase whose e-mail failed is retried only while the deadline it is about still runs."""
    from complaints import wiring

    case_id = file(api)
    notifier = wiring.ports().notifier

    def down(*_: Any, **__: Any) -> None:
        raise ClientError({"Error": {"Code": "Throttling", "Message": "slow down"}}, "SendEmail")

    monkeypatch.setattr(notifier, "email", down)
    sweep("2026-04-17T08:30:00+07:00")
    monkeypatch.undo()
    api.call("POST", f"/complaints/{case_id}/acknowledge", claims=OFFICER, body={}, when="2026-04-17T09:00:00+07:00")
    report = sweep("2026-04-18T08:30:00+07:00")
    assert chases() == [] and report["notices_retried"] >= 1


def test_notices_that_failed_at_filing_are_sent_by_the_sweep(api, monkeypatch):
    from complaints import wiring

    notifier = wiring.ports().notifier

    def down(*_: Any, **__: Any) -> None:
        raise ClientError({"Error": {"Code": "Throttling", "Message": "slow down"}}, "Publish")

    monkeypatch.setattr(notifier, "sms", down)
    file(api)
    monkeypatch.undo()
    assert sms() == []
    report = sweep("2026-04-11T08:30:00+07:00")
    assert report["notices_retried"] == 1 and len(sms()) == 1
    sweep("2026-04-12T08:30:00+07:00")
    assert len(sms()) == 1


# A run that dies half-way (SES down from the second chase, DynamoDB throttling from the second
# case…) and its retry: the table of steps × faults in tests/integration/faults/.


# --- what it reads, and what it reports ----------------------------------------------------


def test_the_sweep_reads_only_the_late_cases(api, aws, monkeypatch):
    import boto3

    from complaints import wiring

    for day in (16, 17, 20, 21, 22, 23):
        file(api, when=f"2026-04-{day}T09:00:00+07:00")  # acks due 17, 20, 21, 22, 23, 24 April
    file(api, category="water_main")  # referred: no clock
    read, index = [], []
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", aws)
    wiring.reset()
    aws.events.register(
        "provide-client-params.dynamodb.Query", lambda params, **_: index.append(params.get("IndexName"))
    )
    aws.events.register("after-call.dynamodb.Query", lambda parsed, model, **_: read.append(parsed.get("Count", 0)))
    aws.events.register("before-call.dynamodb.Scan", lambda **_: pytest.fail("the sweep scanned"))
    report = sweep("2026-04-21T08:30:00+07:00")
    assert sum(report["late"].values()) == 2  # due 17 and 20 April
    # the sweep reads the two late cases; the report's roll-up after it reads the days' events (by_month)
    assert sum(n for n, where in zip(read, index, strict=True) if where != "by_month") == 2


def test_the_sweep_reports_metrics_for_the_operators(api, capsys):
    file(api)
    file(api, category="inquiry")
    sweep("2026-04-17T08:30:00+07:00")
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    (doc,) = [d for d in emf if "SweepCompleted" in d]
    assert doc["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Complaints1555"
    assert (doc["LateCases"], doc["Overdue_ack"], doc["Overdue_dispatch"], doc["Chases"]) == ([2], [1], [1], [1])
    assert doc["SweepCompleted"] == [1]
