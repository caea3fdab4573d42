"""The local stack of ``make run``, over real HTTP.

The server runs as ``python -m local run`` in a subprocess (``tests/stack.py``:
clean environment, free ports) on a temporary state directory kept for the
module, so that it can be restarted on the same state.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest

from local import infra
from local.reports import fiscal_year, previous_month
from local.seed import demo
from tests.stack import Restartable, clean_env

CITIZENS, COMPLAINTS, HISTORY = demo()["citizens"], demo()["complaints"], demo()["history"]["cases"]
SEEDED = len(COMPLAINTS) + len(HISTORY)  # the last ten days, and the two months before this one
EXECUTIVE = {"X-Local-Role": "executive"}


Stack = Restartable  # the state directory of the test module and the server running on it


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(tmp_path_factory.mktemp("local-state"))
    yield stack
    stack.server.stop()


def local_command(state_dir: Path, *args: str, timeout: int) -> subprocess.CompletedProcess[str]:
    """``python -m local <args>`` against the saved state in ``state_dir``; it must succeed."""
    done = subprocess.run(
        [sys.executable, "-m", "local", *args],
        cwd=infra.ROOT,
        env=clean_env(state_dir),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def invoke(state_dir: Path, function: str, at: str) -> tuple[subprocess.CompletedProcess[str], Any]:
    done = local_command(state_dir, "invoke", function, "--at", at, timeout=60)
    return done, json.loads(done.stdout)


def report(state_dir: Path, month: str) -> subprocess.CompletedProcess[str]:
    return local_command(state_dir, "report", month, timeout=120)


def complaint(description: str) -> dict[str, Any]:
    return {
        "category": "road",
        "description": description,
        "location": {"address": "ซอยสุขุมวิท 31", "district": "1039"},
        "complainant": {"name": "สมชาย ใจดี", "phone": "0812345678"},
        "notify": True,
    }


def test_seed_printed_a_table_without_personal_data(stack: Stack) -> None:
    out = stack.server.output
    assert f"Seeded {SEEDED} demo complaints" in out
    table = out.split("Seeded", 1)[1].split("local stack", 1)[0]
    states = [m.group(1) for m in re.finditer(r"^\s+\d{4}-[0-9A-Z]{6}\s+\S+ \S+\s+(\w+)", table, re.M)]
    assert len(states) == SEEDED
    assert {"dispatched", "referred", "triage", "acknowledged", "in_progress", "completed", "closed"} <= set(states)
    assert re.search(r"^  \d+ daily sweeps: .* chases", table, re.M)
    assert f"monthly report of {previous_month()}: frozen" in table
    for citizen in CITIZENS:
        for value in citizen.values():
            assert value not in out
    assert "X-Local-Role: callcenter" in out and "/_outbox" in out


def test_a_citizen_files_a_complaint_and_reads_it_with_the_token(stack: Stack) -> None:
    server = stack.server
    status, text, _ = server.call("POST", "/complaints", complaint("ถนนเป็นหลุมลึก (test_local_stack)"))
    assert status == 201, text
    filed = json.loads(text)
    assert filed["state"] == "dispatched" and filed["agency"]["id"] == "DIST-1039"

    status, text, _ = server.call("GET", f"/complaints/{filed['id']}?token={filed['tracking_token']}")
    assert status == 200, text
    assert json.loads(text)["id"] == filed["id"]
    assert server.call("GET", f"/complaints/{filed['id']}?token=wrong")[0] == 404


def test_the_call_centre_pages_through_the_seeded_cases(stack: Stack) -> None:
    cases, pages = stack.server.all_cases(limit=7)
    ids = [c["id"] for c in cases]
    assert len(ids) >= len(COMPLAINTS) >= 20
    assert len(set(ids)) == len(ids)
    assert pages >= 3
    states = {c["state"] for c in cases}
    assert {"dispatched", "referred"} <= states


def test_staff_routes_without_a_role_answer_401(stack: Stack) -> None:
    status, text, _ = stack.server.call("GET", "/complaints")
    assert status == 401
    assert json.loads(text)["error"]["code"]


def test_an_agency_officer_sees_only_their_agency_also_from_a_browser(stack: Stack) -> None:
    by_header = stack.server.call(
        "GET", "/complaints?limit=100", headers={"X-Local-Role": "agency", "X-Local-Agency": "DIST-1039"}
    )
    by_query = stack.server.call("GET", "/complaints?as=agency:DIST-1039&limit=100")
    for status, text, _ in (by_header, by_query):
        assert status == 200, text
        agencies = {c["agency"]["id"] for c in json.loads(text)["complaints"]}
        assert agencies == {"DIST-1039"}


def test_unknown_routes_and_roles(stack: Stack) -> None:
    status, text, _ = stack.server.call("GET", "/no-such-thing")
    assert status == 404 and json.loads(text)["error"]["code"] == "not_found"
    status, text, _ = stack.server.call("GET", "/complaints", headers={"X-Local-Role": "mayor"})
    assert status == 400 and "callcenter" in json.loads(text)["error"]["message"]


def test_the_index_page_says_how_to_act_as_each_role(stack: Stack) -> None:
    status, text, headers = stack.server.call("GET", "/_local")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for role in ("callcenter", "agency", "auditor", "executive", "admin"):
        assert role in text
    assert "/_outbox" in text


def test_the_outbox_shows_what_was_sent_escaped_and_linked(stack: Stack) -> None:
    server = stack.server
    status, text, headers = server.call("GET", "/_outbox")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1>Outbox</h1>" in text
    before = json.loads(server.call("GET", "/_outbox.json")[1])["count"]

    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=infra.REGION)
    ses = session.client("ses", endpoint_url=server.moto)
    ses.send_email(
        Source=infra.LOCAL_SENDER,
        Destination={"ToAddresses": ["district-1039@agency.example"]},
        Message={
            "Subject": {"Data": "เรื่องใหม่ <b>test-outbox</b>"},
            "Body": {"Text": {"Data": f"เปิด {server.base}/agencies <script>x()</script>"}},
        },
    )
    session.client("sns", endpoint_url=server.moto).publish(PhoneNumber="+66812345678", Message="1555: test-outbox SMS")

    status, page, _ = server.call("GET", "/_outbox")
    assert status == 200
    assert "เรื่องใหม่ &lt;b&gt;test-outbox&lt;/b&gt;" in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page and "<script>x()" not in page
    assert f'<a href="{server.base}/agencies">' in page
    assert "1555: test-outbox SMS" in page and "+66812345678" in page
    listed = json.loads(server.call("GET", "/_outbox.json")[1])
    assert listed["count"] == before + 2
    assert listed["messages"][0]["channel"] == "sms"  # newest first
    assert listed["messages"][1]["subject"] == "เรื่องใหม่ <b>test-outbox</b>"


def test_the_seeded_months_have_a_frozen_report_its_email_and_a_fiscal_year(stack: Stack) -> None:
    server, month = stack.server, previous_month()
    status, text, _ = server.call("GET", f"/reports/monthly/{month}", headers=EXECUTIVE)
    assert status == 200, text
    report = json.loads(text)
    assert report["final"] is True and len(report["agencies"]) >= 5
    assert report["call_centre"]["received"] >= len([c for c in HISTORY if c["month"] == -1])
    assert report["totals"]["chases"] > 0 and report["totals"]["completed"] > 0
    status, text, _ = server.call("GET", f"/reports/fiscal-year/{fiscal_year(month)}", headers=EXECUTIVE)
    assert status == 200, text
    assert month in json.loads(text)["months"]

    index = server.call("GET", "/_local")[1]
    assert f"/reports/monthly/{month}?format=html&amp;as=executive" in index
    assert f"/reports/fiscal-year/{fiscal_year(month)}?as=executive" in index
    (mail,) = [
        m
        for m in json.loads(server.call("GET", "/_outbox.json")[1])["messages"]
        if any(a["filename"] == f"1555-report-{month}.csv" for a in m["attachments"])
    ]
    assert mail["to"] == ["executives@1555.local"] and "raw" not in mail
    status, raw, headers = server.call("GET", mail["eml_url"])
    assert status == 200 and headers["Content-Type"] == "message/rfc822"
    assert "multipart/mixed" in raw and f'filename="1555-report-{month}.csv"' in raw


def test_report_writes_the_months_files_from_the_running_stack(stack: Stack) -> None:
    month = previous_month()
    done = report(stack.state_dir, month)
    assert "in the running stack" in done.stderr and '"emailed": false' in done.stderr  # sent once, by the seed
    written = [Path(line) for line in done.stdout.split()]
    assert [p.name for p in written] == [f"{month}.json", f"{month}.csv", f"{month}.html", f"{month}.eml"]
    assert all(p.parent == stack.state_dir / "reports" and p.stat().st_size > 0 for p in written)
    assert json.loads(written[0].read_text(encoding="utf-8"))["final"] is True
    assert written[1].read_bytes().startswith(b"\xef\xbb\xbfagency_id,")


def test_invoke_runs_a_scheduled_function_in_the_running_stack(stack: Stack) -> None:
    done, result = invoke(stack.state_dir, "SlaCheckFunction", "2026-12-01T08:30:00+07:00")
    assert isinstance(result, dict)
    assert "in the running stack" in done.stderr


def test_state_survives_a_restart_and_the_seed_runs_once(stack: Stack) -> None:
    server = stack.server
    status, text, _ = server.call("POST", "/complaints", complaint("ทางเท้าทรุด (restart test)"))
    assert status == 201, text
    filed = json.loads(text)
    ses = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=infra.REGION).client(
        "ses", endpoint_url=server.moto
    )
    ses.send_email(
        Source=infra.LOCAL_SENDER,
        Destination={"ToAddresses": ["head@agency.example"]},
        Message={"Subject": {"Data": "kept across restarts"}, "Body": {"Text": {"Data": "hello"}}},
    )
    cases_before = {c["id"] for c in server.all_cases()[0]}

    server = stack.restart()

    assert "Seeded" not in server.output
    status, text, _ = server.call("GET", f"/complaints/{filed['id']}?token={filed['tracking_token']}")
    assert status == 200, text
    assert {c["id"] for c in server.all_cases()[0]} == cases_before
    assert "kept across restarts" in server.call("GET", "/_outbox")[1]


def test_invoke_without_a_running_stack_uses_the_saved_state(stack: Stack) -> None:
    assert stack.server.stop() == 0, stack.server.output
    assert not (stack.state_dir / "server.json").exists()
    done, result = invoke(stack.state_dir, "ReportFunction", "2026-12-01T09:00:00+07:00")
    assert isinstance(result, dict)
    assert "against the state in" in done.stderr
    assert (stack.state_dir / "state.json").exists()


def test_report_without_a_running_stack_uses_the_saved_state(stack: Stack) -> None:
    assert not (stack.state_dir / "server.json").exists()
    month = previous_month()
    done = report(stack.state_dir, month)
    assert "against the state in" in done.stderr
    eml = stack.state_dir / "reports" / f"{month}.eml"
    assert done.stdout.split()[-1] == str(eml)  # from the outbox's archive: the seed sent it
    assert b"1555-report-" in eml.read_bytes()

    running = (datetime.now(UTC).astimezone(timezone(timedelta(hours=7)))).strftime("%Y-%m")
    done = report(stack.state_dir, running)
    assert "invoked" not in done.stderr  # the month is running: nothing is frozen, nothing e-mailed
    assert [Path(p).name for p in done.stdout.split()] == [f"{running}.json", f"{running}.csv", f"{running}.html"]
    assert json.loads((stack.state_dir / "reports" / f"{running}.json").read_text(encoding="utf-8"))["final"] is False
