"""GET /reports/monthly/{month} and /reports/fiscal-year/{year} through the API, the roll-up
in the daily sweep, and the 1st of the month's run (frozen once, e-mailed once)."""

import csv
import email
import email.policy
import io
import json

import pytest

from tests.conftest import CALLCENTER, OFFICER, act, complaint, ok, staff, sweep

pytestmark = pytest.mark.integration
EXECUTIVE = staff("executive", sub="exec-1")


def file(api, when, **overrides):
    answer = api.call("POST", "/complaints", body=complaint(**overrides), when=when)
    assert answer.status == 201, answer.body
    return answer.json


def month(api, name, claims=EXECUTIVE, query="", when="2026-05-02T10:00:00+07:00"):
    return api.call("GET", f"/reports/monthly/{name}", claims=claims, query=query, when=when)


def run_report(when):
    import report

    from local.events import LambdaContext
    from tests.conftest import at

    event = {"time": at(when).astimezone().isoformat()}
    return report.lambda_handler(event, LambdaContext("ReportFunction"))


@pytest.fixture
def april(api):
    """Two cases of Watthana in April 2026: one acknowledged in time, one late; the sweeps and roll-ups ran."""
    first = file(api, "2026-04-27T09:00:00+07:00")
    second = file(api, "2026-04-29T09:00:00+07:00")
    ok(act(api, first["id"], "acknowledge", "2026-04-28T10:00:00+07:00"))
    sweep("2026-04-30T08:30:00+07:00")
    sweep("2026-05-01T08:30:00+07:00")  # the second's ack deadline (30 April) is missed
    return first, second


def test_the_running_month_is_served_from_the_aggregates_as_figures_so_far(api, april):
    doc = ok(month(api, "2026-04"))
    (row,) = [r for r in doc["agencies"] if r["agency_id"] == "DIST-1039"]
    assert (doc["final"], doc["month_th"]) == (False, "เมษายน 2569")
    assert (row["dispatched"], row["ack_met"], row["ack_missed"], row["ack_rate"]) == (2, 1, 1, 0.5)
    assert doc["call_centre"]["received"] == 2 and doc["call_centre"]["by_channel"] == {"web": 2}


def test_csv_and_html_are_the_same_figures(api, april):
    doc = ok(month(api, "2026-04"))
    as_csv = month(api, "2026-04", query="format=csv")
    assert as_csv.status == 200 and as_csv.headers["Content-Type"].startswith("text/csv")
    assert as_csv.body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(as_csv.body.lstrip("\ufeff"))))
    assert [r["agency_id"] for r in rows] == [r["agency_id"] for r in doc["agencies"]]
    page = month(api, "2026-04", query="format=html")
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "เมษายน 2569" in page.body and 'data-agency="DIST-1039"' in page.body
    by_accept = api.call("GET", "/reports/monthly/2026-04", claims=EXECUTIVE, headers={"Accept": "text/html"},
                         when="2026-05-02T10:00:00+07:00")  # fmt: skip
    assert by_accept.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("role", ["executive", "auditor", "admin"])
def test_executives_auditors_and_operators_read_the_reports(api, role):
    assert month(api, "2026-04", claims=staff(role)).status == 200
    assert (
        api.call("GET", "/reports/fiscal-year/2026", claims=staff(role), when="2026-05-02T10:00:00+07:00").status == 200
    )


@pytest.mark.parametrize(("claims", "status"), [(OFFICER, 403), (CALLCENTER, 403), (None, 403)])
def test_agencies_the_call_centre_and_citizens_cannot(api, claims, status):
    assert month(api, "2026-04", claims=claims).status == status
    assert api.call("GET", "/reports/fiscal-year/2026", claims=claims).status == status


@pytest.mark.parametrize(("path", "status"), [
    ("/reports/monthly/2026-4", 400), ("/reports/monthly/2026-13", 400), ("/reports/monthly/april", 400),
    ("/reports/monthly/2026-06", 404), ("/reports/fiscal-year/26", 400), ("/reports/fiscal-year/2030", 404),
])  # fmt: skip
def test_a_malformed_month_is_400_and_one_not_begun_404(api, path, status):
    answer = api.call("GET", path, claims=EXECUTIVE, when="2026-05-02T10:00:00+07:00")
    assert answer.status == status, answer.body
    assert answer.json["error"]["message"]


def test_the_first_of_the_month_freezes_the_report_and_emails_it_once(api, april):
    from moto.ses.models import ses_backends

    first = run_report("2026-05-01T09:00:00+07:00")
    again = run_report("2026-05-01T09:00:00+07:00")  # the Scheduler retried
    assert (first["month"], first["emailed"], again["emailed"]) == ("2026-04", True, False)
    raw = [m for m in ses_backends["123456789012"]["ap-southeast-1"].sent_messages if hasattr(m, "raw_data")]
    assert len(raw) == 1
    message = email.message_from_string(raw[0].raw_data, policy=email.policy.default)
    assert "เมษายน 2569" in str(message["Subject"])
    (attachment,) = list(message.iter_attachments())
    body = attachment.get_content()
    data = body.encode("utf-8") if isinstance(body, str) else body
    assert data.startswith(b"\xef\xbb\xbf")
    frozen = ok(month(api, "2026-04", when="2026-05-03T10:00:00+07:00"))
    assert frozen["final"] is True
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["agency_id"] for r in rows] == [r["agency_id"] for r in frozen["agencies"]]
    assert json.loads(json.dumps(frozen))["totals"]["ack_missed"] == 1
