"""Concurrency (#10, "Concurrency"): the same change requested many times at the same instant
is made once; every other caller is told, by name, the state the case is in now."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.conftest import (
    CALLCENTER,
    Answer,
    Api,
    act,
    agency_link,
    complaint,
    sent_emails,
    sweep,
    table_items,
)
from tests.integration.concurrency.conftest import at_once
from tests.integration.faults.invariants import assert_whole
from tests.integration.helpers import AGENCY_MAIL, sms

pytestmark = pytest.mark.integration
FILED = "2026-04-10T09:12:00+07:00"
ACKED = "2026-04-10T10:00:00+07:00"
HEAD = "head.district-1039@agency.example"


@pytest.fixture
def api(served: Any) -> Api:
    return Api()


def filed(api: Api, when: str = FILED) -> str:
    ans = api.call("POST", "/complaints", body=complaint(), when=when)
    assert ans.status == 201, ans.body
    return ans.json["id"]


def history(api: Api, case_id: str) -> list[str]:
    ans = api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER)
    assert ans.status == 200, ans.body
    return [h["type"] for h in ans.json["history"]]


def answers(results: list[Any]) -> list[Answer]:
    for r in results:
        assert isinstance(r, Answer), r  # a traceback: the handler raised
    return results


def test_twenty_acknowledgements_at_once_make_one_and_name_the_state_to_the_nineteen_others(api, served):
    case_id = filed(api)

    got = answers(at_once(20, lambda: act(api, case_id, "acknowledge", ACKED, {"note": "รับเรื่องแล้ว"})))

    assert Counter(a.status for a in got) == {200: 1, 409: 19}, [a.body for a in got]
    for refused in (a for a in got if a.status == 409):
        error = refused.json["error"]
        assert error["code"] == "illegal_transition", error
        assert "'acknowledged'" in error["message"], error
    assert history(api, case_id).count("acknowledged") == 1
    assert_whole(table_items(served))


def test_the_agency_page_form_posted_twice_at_once_acts_once(api, served):
    pages = Api("PagesFunction")
    case_id = filed(api)
    link = agency_link(sent_emails(AGENCY_MAIL)[-1])
    form = {"action": "acknowledge", "version": "2", "note": "รับเรื่องแล้ว"}

    got = answers(at_once(2, lambda: pages.form(link, form, when=ACKED)))

    assert sorted(a.status for a in got) == [200, 409]
    repeated = next(a for a in got if a.status == 409)
    assert 'id="form-acknowledge"' not in repeated.body  # the page as it is now: acknowledged
    assert history(api, case_id).count("acknowledged") == 1
    assert_whole(table_items(served))


def test_two_sweeps_at_the_same_instant_follow_each_late_case_up_once(api, served):
    ids = [filed(api, f"2026-04-10T09:1{n}:00+07:00") for n in range(3)]
    texts = len(sms())

    runs = at_once(2, lambda: sweep("2026-04-17T08:30:00+07:00"))

    assert all(isinstance(r, dict) for r in runs), runs
    assert sum(r["chased"] for r in runs) == 3
    chases = [m.subject for m in sent_emails(AGENCY_MAIL) if "ติดตาม" in m.subject]
    assert sorted(next(i for i in ids if i in s) for s in chases) == sorted(ids)  # each chased once
    assert len(sms()) == texts + 3  # each citizen told once
    for case_id in ids:
        assert history(api, case_id)[-2:] == ["overdue", "chased"]
        assert history(api, case_id).count("chased") == 1
    assert_whole(table_items(served))


def test_two_sweeps_at_the_same_instant_escalate_once(api, served):
    case_id = filed(api)
    for day in ("2026-04-17", "2026-04-18", "2026-04-20"):
        sweep(f"{day}T08:30:00+07:00")
    assert "escalated" not in history(api, case_id)

    runs = at_once(2, lambda: sweep("2026-04-21T08:30:00+07:00"))  # late by three business days

    assert all(isinstance(r, dict) for r in runs), runs
    assert sum(r["escalated"] for r in runs) == 1
    assert history(api, case_id).count("escalated") == 1
    assert history(api, case_id).count("chased") == 4
    assert len(sent_emails(HEAD)) == 1
    assert_whole(table_items(served))
