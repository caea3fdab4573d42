"""The sweep reminds the auditors, once, of an audit left open for 5 business days."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ok, sent_emails, sweep
from tests.integration.completion_helpers import completed_case, decide, open_audits

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("auditing")]

AUDITORS_MAIL = "auditors@1555.local"  # AuditorsAddress of the local stack


def reminders() -> list[Any]:
    return sent_emails(AUDITORS_MAIL)


def test_an_audit_open_for_5_business_days_is_reminded_to_the_auditors_once(api, aws, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 1.0)
    first = completed_case(api, "2026-04-08T09:00:00+07:00", "2026-04-08T10:00:00+07:00")["id"]
    sweep("2026-04-09T08:30:00+07:00")  # Thu 9 April: drawn
    second = completed_case(api, "2026-04-16T09:00:00+07:00", "2026-04-16T10:00:00+07:00")["id"]
    decided = completed_case(api, "2026-04-16T09:30:00+07:00", "2026-04-16T10:30:00+07:00")["id"]
    sweep("2026-04-17T08:30:00+07:00")  # Fri 17 April: both drawn
    assert open_audits(aws) == {f"{first}-4", f"{second}-4", f"{decided}-4"}
    ok(decide(api, f"{decided}-4", "consistent", when="2026-04-20T10:00:00+07:00"))  # in time: never reminded
    # Fri 10, (Songkran 13–15,) Thu 16, Fri 17, Mon 20: four business days after the draw
    for day in ("2026-04-14", "2026-04-20"):
        assert sweep(f"{day}T08:30:00+07:00")["audits_reminded"] == 0
    assert reminders() == []

    report = sweep("2026-04-21T08:30:00+07:00")  # Tue 21 April: the fifth business day

    assert report["audits_reminded"] == 1
    [mail] = reminders()
    assert f"{first}-4" in mail.body and f"{second}-4" not in mail.body
    assert "5 วันทำการ" in mail.subject

    for day in ("2026-04-22", "2026-04-23"):
        assert sweep(f"{day}T08:30:00+07:00")["audits_reminded"] == 0
    assert len(reminders()) == 1

    # the second, drawn Fri 17 April: Mon 20, Tue 21, Wed 22, Thu 23, Fri 24
    assert sweep("2026-04-24T08:30:00+07:00")["audits_reminded"] == 1
    assert len(reminders()) == 2
    last = reminders()[-1]
    assert f"{second}-4" in last.body and f"{first}-4" not in last.body and f"{decided}-4" not in last.body
    for day in ("2026-04-27", "2026-04-28"):
        assert sweep(f"{day}T08:30:00+07:00")["audits_reminded"] == 0
    assert len(reminders()) == 2
