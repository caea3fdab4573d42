"""Personal data never leaks: a full life of two cases through the API, the pages, the daily job and
the monthly report — and the requests that were refused — logs nothing of the complainant (name,
phone, e-mail) nor any tracking token; and nobody but the citizen, the call centre and admins sees
the complainant: not the public, not the agency (API, page, e-mail), not the auditors, not the
reports, not the CSV, not any list."""

from __future__ import annotations

import io
import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest

from complaints import wiring
from local import infra
from tests.conftest import ADMIN, CALLCENTER, OFFICER, act, agency_link, at, complaint, ok, staff, sweep
from tests.integration.helpers import AGENCY_MAIL, PHONE, emails
from tests.integration.privacy.helpers import erase, leaks

pytestmark = pytest.mark.integration
AUDITOR = staff("auditor", sub="auditor-1")
EXECUTIVE = staff("executive", sub="exec-1")
OTHER_OFFICER = staff("agency", "DIST-1004", sub="officer-1004")
DAY = "2026-04-{:02d}T{}:00+07:00"


def when(day: int, clock: str = "10:00") -> str:
    return DAY.format(day, clock)


class Seen:
    """What other people were shown: each answer's body, with what it was."""

    def __init__(self) -> None:
        self.bodies: list[tuple[str, str]] = []

    def __call__(self, what: str, answer: Any, status: int = 200) -> Any:
        assert answer.status == status, (what, answer.body)
        self.bodies.append((what, answer.body))
        return answer


def record_text(record: logging.LogRecord) -> str:
    """A log record with everything it carries (powertools' ``extra`` keys are attributes)."""
    return json.dumps({k: str(v) for k, v in vars(record).items()}, ensure_ascii=False)


@pytest.fixture
def life(api, pages, aws, auditing, monkeypatch, caplog, capfd, request):
    """Two cases lived through from filing to the monthly report, with refusals on the way."""
    import report

    from local.events import LambdaContext

    caplog.set_level(logging.INFO, logger="complaints")
    lines = io.StringIO()  # what powertools would write to CloudWatch: its own JSON formatter
    service = logging.getLogger("complaints")
    as_json = logging.StreamHandler(lines)
    as_json.setFormatter(next(h.formatter for h in service.handlers if h.formatter))
    service.addHandler(as_json)
    request.addfinalizer(lambda: service.removeHandler(as_json))
    monkeypatch.setattr(auditing, "rate", 1.0)
    seen = Seen()
    a = ok_filed(api, when(10, "09:12"))
    b = ok_filed(api, when(10, "09:30"), category="inquiry")  # triage: the call centre routes it
    tokens = [a["tracking_token"], b["tracking_token"]] + [signed(c["id"]) for c in (a, b)]

    # refused on the way: bad phone, bad e-mail, wrong tokens, the wrong people
    for bad in ({"name": "สมชาย ใจดี", "phone": "08123456789012"}, {"name": "สมชาย", "email": "somchai@@example.com"}):
        assert api.call("POST", "/complaints", body=complaint(complainant=bad), when=when(10)).status == 422
    seen("no token", api.call("GET", f"/complaints/{a['id']}", when=when(10)), 404)
    seen("wrong token", api.call("GET", f"/complaints/{a['id']}", query="token=x" + tokens[0], when=when(10)), 404)
    seen("wrong token page", pages.call("GET", f"/track/{a['id']}", query="token=nope", when=when(10)), 404)
    seen(
        "feedback, wrong token",
        api.call("POST", f"/complaints/{a['id']}/feedback", query="token=no", body={"fixed": True, "satisfied": True}),
        404,
    )
    seen("other agency", api.call("GET", f"/complaints/{a['id']}", claims=OTHER_OFFICER, when=when(10)), 404)
    seen("erase as call centre", erase(api, b["id"], when(10), claims=CALLCENTER), 403)

    # the call centre routes b; the agency hands it back; routed again
    route = {"agency_id": "DIST-1039", "section": "public_works", "note": "ส่งเขตวัฒนา"}
    seen("route", api.call("POST", f"/complaints/{b['id']}/route", body=route, claims=CALLCENTER, when=when(10)))
    seen("handback", act(api, b["id"], "handback", when(10, "11:00"), {"reason": "ไม่ใช่งานของเขต"}))
    seen(
        "route again",
        api.call("POST", f"/complaints/{b['id']}/route", body=route, claims=CALLCENTER, when=when(10, "12:00")),
    )

    # a: acknowledged, progress, completed; the citizen says no (reopened), fixed again, yes (closed)
    seen("acknowledge", act(api, a["id"], "acknowledge", when(16)))
    seen("progress", act(api, a["id"], "progress", when(16, "11:00"), {"note": "กำลังซ่อม"}))
    seen(
        "complete",
        act(
            api,
            a["id"],
            "complete",
            when(17),
            {"note": "ซ่อมแล้ว", "evidence_urls": ["https://photos.example/after.jpg"]},
        ),
    )
    feedback = {"fixed": False, "satisfied": False, "comment": "ยังไม่ซ่อม"}
    ok(
        api.call(
            "POST", f"/complaints/{a['id']}/feedback", query=f"token={tokens[0]}", body=feedback, when=when(17, "15:00")
        )
    )
    seen("acknowledge again", act(api, a["id"], "acknowledge", when(20)))
    seen(
        "complete again",
        act(
            api,
            a["id"],
            "complete",
            when(20, "11:00"),
            {"note": "ซ่อมเสร็จ", "evidence_urls": ["https://photos.example/after.jpg"]},
        ),
    )
    seen("agency page", pages.call("GET", agency_link(emails(AGENCY_MAIL)[-1]), when=when(20, "12:00")))
    form = {"fixed": "yes", "satisfied": "yes"}
    ok_page = pages.call(
        "POST",
        f"/track/{a['id']}",
        raw=urlencode(form),
        query=f"token={tokens[0]}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        when=when(20, "15:00"),
    )
    assert ok_page.status == 200, ok_page.body
    seen(
        "reopen",
        api.call(
            "POST", f"/complaints/{a['id']}/reopen", body={"reason": "ผู้ร้องโทรแจ้ง"}, claims=CALLCENTER, when=when(21)
        ),
    )

    # the daily job (sweep, audit draw, roll-up), the auditors, what staff read
    for day in (21, 22, 27):
        sweep(when(day, "08:30"))
    seen("audits", api.call("GET", "/audits", claims=AUDITOR, when=when(27)))
    seen("agency view", api.call("GET", f"/complaints/{a['id']}", claims=OFFICER, when=when(27)))
    seen("auditor view", api.call("GET", f"/complaints/{a['id']}", claims=AUDITOR, when=when(27)))
    seen("executive view", api.call("GET", f"/complaints/{a['id']}", claims=EXECUTIVE, when=when(27)))
    for claims in (CALLCENTER, OFFICER):
        seen("list", api.call("GET", "/complaints", claims=claims, when=when(27)))
        seen("list by state", api.call("GET", "/complaints", query="state=dispatched", claims=claims, when=when(27)))
    seen("overdue list", api.call("GET", "/complaints", query="overdue=true", claims=CALLCENTER, when=when(27)))

    # the month's report: JSON, CSV, HTML, and the 1st of May's run (frozen and e-mailed)
    report.lambda_handler({"time": at("2026-05-01T09:00:00+07:00").isoformat()}, LambdaContext("ReportFunction"))
    for query in ("", "format=csv", "format=html"):
        seen(
            f"report {query}",
            api.call(
                "GET", "/reports/monthly/2026-04", query=query, claims=EXECUTIVE, when="2026-05-02T10:00:00+07:00"
            ),
        )
    seen(
        "fiscal year", api.call("GET", "/reports/fiscal-year/2026", claims=EXECUTIVE, when="2026-05-02T10:00:00+07:00")
    )

    # erasure and retention
    seen("erase", erase(api, b["id"], "2026-05-02T11:00:00+07:00", claims=ADMIN))
    monkeypatch.setattr(wiring.usecases().privacy, "retention_days", 30)
    sweep("2026-05-21T08:30:00+07:00")
    out, err = capfd.readouterr()  # powertools' JSON lines (and the metrics) go to stdout
    logged = lines.getvalue() + out + err + "\n".join(record_text(r) for r in caplog.records)
    return {"a": a, "b": b, "tokens": tokens, "seen": seen, "logged": logged, "records": len(caplog.records)}


def ok_filed(api, at_: str, **overrides: Any) -> dict[str, Any]:
    answer = api.call("POST", "/complaints", body=complaint(**overrides), when=at_)
    assert answer.status == 201, answer.body
    return answer.json


def signed(case_id: str) -> str:
    """The token of the tracking link the notices carry."""
    return wiring.usecases().links.track_url(case_id).rsplit("token=", 1)[1]


def test_nothing_personal_is_logged(life):
    assert life["records"] > 10 and "retention done" in life["logged"]  # the capture saw the whole life
    assert '"level":"INFO"' in life["logged"]  # powertools' JSON lines too
    assert leaks(life["logged"], *life["tokens"]) == []


def test_no_one_else_is_shown_the_complainant_or_a_token(life):
    shown = [(what, leaks(body, *life["tokens"])) for what, body in life["seen"].bodies]
    assert [(what, found) for what, found in shown if found] == []
    assert all("complainant" not in body for what, body in life["seen"].bodies if "report" in what)


def test_the_agency_and_the_executives_mail_hold_nothing_of_the_complainant(life):
    from moto.ses.models import ses_backends

    sent = ses_backends["123456789012"]["ap-southeast-1"].sent_messages
    others = [m for m in sent if "somchai@example.com" not in str(getattr(m, "destinations", ""))]
    bodies = [getattr(m, "body", "") or getattr(m, "raw_data", "") for m in others]
    assert len(bodies) > 3 and any("DIST-1039" in b or "1555" in b for b in bodies)
    assert [leaks(b) for b in bodies if leaks(b)] == []


def test_the_call_centre_and_the_citizen_still_see_it(life, api):
    a = life["a"]
    staff_view = ok(api.call("GET", f"/complaints/{a['id']}", claims=CALLCENTER, when="2026-05-02T10:00:00+07:00"))
    assert staff_view["complainant"]["phone"] == PHONE
    own = ok(
        api.call(
            "GET", f"/complaints/{a['id']}", query=f"token={a['tracking_token']}", when="2026-05-02T10:00:00+07:00"
        )
    )
    assert own["complainant"]["phone"] == PHONE


@pytest.mark.parametrize("function", sorted(infra.resources("AWS::Serverless::Function")))
def test_no_function_logs_its_events_or_traces_its_answers(function):
    """Events carry bodies and tokens, answers the complainant and the tracking token: the logs and
    X-Ray get neither (powertools' switches, set for every function)."""
    env = infra.function_environment(function)
    assert env["POWERTOOLS_LOGGER_LOG_EVENT"] == "false"
    assert env["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
    assert env["POWERTOOLS_TRACER_CAPTURE_ERROR"] == "false"
