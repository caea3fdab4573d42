"""The flows the fault table drives: each prepares a case (without faults), then makes the one
request or scheduled run under test, which the table fails at one step and sends again.

A flow's ``run`` answers True when it succeeded, False when its caller would send it again
(a 5xx for a client; an exception for EventBridge Scheduler, which retries the same event).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from local.events import LambdaContext
from tests.conftest import CALLCENTER, Answer, Api, act, agency_link, at, complaint, sent_emails, sweep
from tests.integration.helpers import AGENCY_MAIL

FILED = "2026-04-10T09:12:00+07:00"  # a Friday
ACTED = "2026-04-10T10:00:00+07:00"
COMPLETED = "2026-04-10T11:00:00+07:00"
REOPENED = "2026-04-10T15:00:00+07:00"
LATE = "2026-04-17T08:30:00+07:00"  # the ack deadline (Thu 16) passed: chased
REPORT_RUN = "2026-05-01T09:00:00+07:00"
#: After the flow (and its retry): a sweep the same day, which sends what the outbox still owes.
SETTLED = {"sweep": "2026-04-17T12:00:00+07:00", "report": "2026-05-01T12:00:00+07:00"}
SETTLED_DEFAULT = "2026-04-10T20:00:00+07:00"


@dataclass
class Ctx:
    api: Api
    pages: Api
    case_id: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def answered(call: Callable[[], Answer]) -> bool:
    """Whether the request succeeded; False for what a client would send again: a 5xx, or a
    function that failed (API Gateway answers 502)."""
    try:
        ans = call()
    except Exception:
        return False
    assert ans.status not in (400, 401, 403, 404, 422), ans.body  # a fault is never the caller's fault
    return ans.status < 500


def scheduled(run: Callable[[], Any]) -> bool:
    try:
        run()
    except Exception:  # the Lambda failed: the Scheduler sends the same event again
        return False
    return True


def filed(api: Api, when: str = FILED, **overrides: Any) -> str:
    ans = api.call("POST", "/complaints", body=complaint(**overrides), when=when)
    assert ans.status == 201, ans.body
    return ans.json["id"]


def run_report(when: str) -> Any:
    import report

    return report.lambda_handler({"time": at(when).astimezone().isoformat()}, LambdaContext("ReportFunction"))


# --- preparing ------------------------------------------------------------------------------


def dispatched(ctx: Ctx) -> None:
    ans = ctx.api.call("POST", "/complaints", body=complaint(), when=FILED)
    assert ans.status == 201, ans.body
    ctx.case_id, ctx.data["token"] = ans.json["id"], ans.json["tracking_token"]


def triage(ctx: Ctx) -> None:
    ctx.case_id = filed(ctx.api, category="inquiry")


def acknowledged(ctx: Ctx) -> None:
    dispatched(ctx)
    assert act(ctx.api, ctx.case_id, "acknowledge", ACTED).status == 200


def completed(ctx: Ctx) -> None:
    acknowledged(ctx)
    body = {"note": "ซ่อมเรียบร้อย", "evidence_urls": ["https://photos.example/fixed.jpg"]}
    assert act(ctx.api, ctx.case_id, "complete", COMPLETED, body).status == 200


def with_link(ctx: Ctx) -> None:
    dispatched(ctx)
    ctx.data["link"] = agency_link(sent_emails(AGENCY_MAIL)[-1])


def rolled_up_until(day: str) -> None:
    """The report's roll-up ran every morning until ``day`` (so that a run rolls up days, not months)."""
    from datetime import date

    from complaints import wiring

    wiring.ports().reports.rolled_up(date.fromisoformat(day), complete=True, at=at(day))


def late(ctx: Ctx) -> None:
    """Three cases whose acknowledgement is late by the sweep: a fault can strike in the middle."""
    ctx.data["ids"] = [filed(ctx.api, when=f"2026-04-10T09:1{n}:00+07:00") for n in range(3)]
    rolled_up_until("2026-04-16")


def month_done(ctx: Ctx) -> None:
    """April's last days: a case filed and acknowledged; the report runs on 1 May."""
    rolled_up_until("2026-04-26")
    ctx.case_id = filed(ctx.api, when="2026-04-27T09:00:00+07:00")
    assert act(ctx.api, ctx.case_id, "acknowledge", "2026-04-28T10:00:00+07:00").status == 200


# --- the step under test ----------------------------------------------------------------------


def file_once(ctx: Ctx) -> bool:
    """A citizen files with an Idempotency-Key: sending it again gives the same case."""

    def call() -> Answer:
        return ctx.api.call(
            "POST", "/complaints", body=complaint(), headers={"Idempotency-Key": "fault-table-1"}, when=FILED
        )

    return answered(call)


def route(ctx: Ctx) -> bool:
    body = {"agency_id": "DIST-1039"}
    return answered(
        lambda: ctx.api.call("POST", f"/complaints/{ctx.case_id}/route", claims=CALLCENTER, body=body, when=ACTED)
    )


def acknowledge(ctx: Ctx) -> bool:
    return answered(lambda: act(ctx.api, ctx.case_id, "acknowledge", ACTED, {"note": "รับเรื่องแล้ว"}))


def progress(ctx: Ctx) -> bool:
    return answered(lambda: act(ctx.api, ctx.case_id, "progress", COMPLETED, {"note": "เริ่มงานแล้ว"}))


def complete(ctx: Ctx) -> bool:
    body = {"note": "ซ่อมเรียบร้อย", "evidence_urls": ["https://photos.example/fixed.jpg"]}
    return answered(lambda: act(ctx.api, ctx.case_id, "complete", COMPLETED, body))


def reopen(ctx: Ctx) -> bool:
    body = {"reason": "ผู้ร้องโทรแจ้งว่ายังไม่ได้ซ่อม"}
    path = f"/complaints/{ctx.case_id}/reopen"
    return answered(lambda: ctx.api.call("POST", path, claims=CALLCENTER, body=body, when=REOPENED))


def handback(ctx: Ctx) -> bool:
    return answered(lambda: act(ctx.api, ctx.case_id, "handback", ACTED, {"reason": "ไม่ใช่งานของเขตนี้"}))


def feedback(ctx: Ctx) -> bool:
    """The citizen says it is not fixed: the case is reopened and goes back to its agency."""
    body = {"fixed": False, "satisfied": False, "comment": "ยังเป็นหลุมอยู่"}
    path, query = f"/complaints/{ctx.case_id}/feedback", f"token={ctx.data['token']}"
    return answered(lambda: ctx.api.call("POST", path, query=query, body=body, when=REOPENED))


def agency_form(ctx: Ctx) -> bool:
    fields = {"action": "acknowledge", "version": "2", "note": "รับเรื่องแล้ว"}
    return answered(lambda: ctx.pages.form(ctx.data["link"], fields, when=ACTED))


def the_sweep(ctx: Ctx) -> bool:
    return scheduled(lambda: sweep(LATE))


def the_report(ctx: Ctx) -> bool:
    return scheduled(lambda: run_report(REPORT_RUN))


@dataclass(frozen=True)
class Flow:
    prepare: Callable[[Ctx], None]
    run: Callable[[Ctx], bool]
    settle_at: str = SETTLED_DEFAULT


FLOWS: dict[str, Flow] = {
    "file": Flow(lambda ctx: None, file_once),
    "route": Flow(triage, route),
    "acknowledge": Flow(dispatched, acknowledge),
    "progress": Flow(acknowledged, progress),
    "complete": Flow(acknowledged, complete),
    "reopen": Flow(completed, reopen),
    "hand back": Flow(dispatched, handback),
    "feedback": Flow(completed, feedback),
    "agency form": Flow(with_link, agency_form),
    "sweep": Flow(late, the_sweep, SETTLED["sweep"]),
    "monthly report": Flow(month_done, the_report, SETTLED["report"]),
}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
