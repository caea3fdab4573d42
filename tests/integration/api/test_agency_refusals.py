"""Agency actions the API refuses, changing nothing and sending nothing: an action the case's
state does not allow (409), a lost race (409), another role (403/401), an unknown case or
another agency's (404).
"""

from __future__ import annotations

import pytest

from complaints import wiring
from complaints.domain import lifecycle
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.errors import Conflict
from complaints.domain.model import Actor, Role
from tests.conftest import CALLCENTER, act, at, ok, staff, table_items
from tests.integration.helpers import emails, file, history, sms

pytestmark = pytest.mark.integration

OTHER_OFFICER = staff("agency", "DIST-1001", sub="officer-1001")

PROGRESS = ("progress", {"note": "คืบหน้า"})
COMPLETE = ("complete", {"note": "เสร็จแล้ว", "evidence_urls": ["https://photos.example/after.jpg"]})
ACK = ("acknowledge", {})
HANDBACK = ("handback", {"reason": "ไม่ใช่งานของเรา"})


@pytest.mark.parametrize(
    ("before", "action", "state"),
    [
        ([], PROGRESS, "dispatched"),
        ([ACK], ACK, "acknowledged"),
        ([ACK, PROGRESS], ACK, "in_progress"),
        ([ACK, PROGRESS], HANDBACK, "in_progress"),
        ([COMPLETE], COMPLETE, "completed"),
        ([COMPLETE], PROGRESS, "completed"),
        ([COMPLETE], HANDBACK, "completed"),
    ],
    ids=[
        "progress-dispatched",
        "ack-twice",
        "ack-in-progress",
        "handback-in-progress",
        "complete-twice",
        "progress-completed",
        "handback-completed",
    ],
)
def test_an_action_the_state_does_not_allow_is_409_naming_the_state_and_changes_nothing(
    api, aws, before, action, state
):
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
    store = wiring.ports().cases
    first_read, _ = store.get(case_id)
    second_read, _ = store.get(case_id)
    calendar = BusinessCalendar.with_specials()
    when = at("2026-04-16T10:00:00+07:00")
    mine = lifecycle.acknowledge(
        first_read, Actor(role=Role.AGENCY, id="a", agency_id="DIST-1039"), when, calendar, "first"
    )
    theirs = lifecycle.acknowledge(
        second_read, Actor(role=Role.AGENCY, id="b", agency_id="DIST-1039"), when, calendar, "second"
    )

    store.save(mine)
    with pytest.raises(Conflict, match="'acknowledged'"):
        store.save(theirs)

    acks = [h for h in history(api, case_id) if h["type"] == "acknowledged"]
    assert [(h["note"], h["by"]["id"]) for h in acks] == [("first", "a")]


def test_an_api_call_that_lost_a_race_answers_409_and_overwrites_nothing(api, aws, monkeypatch):
    case_id = file(api)["id"]
    store = wiring.ports().cases
    stale = store.get(case_id)  # the loser read the case before the winner wrote
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00", {"note": "winner"}))
    items = table_items(aws)

    monkeypatch.setattr(store, "get_case", lambda _id: stale.case)
    ans = act(
        api,
        case_id,
        "complete",
        "2026-04-16T10:00:01+07:00",
        {"note": "loser", "evidence_urls": ["https://photos.example/after.jpg"]},
    )
    monkeypatch.undo()

    assert ans.status == 409, ans.body
    assert ans.json["error"]["code"] == "conflict"
    assert "'acknowledged'" in ans.json["error"]["message"]
    assert table_items(aws) == items
    assert [h["type"] for h in history(api, case_id)][-1] == "acknowledged"


@pytest.mark.parametrize(("action", "body"), [ACK, PROGRESS, COMPLETE, HANDBACK], ids=lambda v: str(v)[:12])
def test_an_officer_of_another_agency_is_told_not_found_for_every_action(api, aws, action, body):
    case_id = file(api)["id"]
    if action == "progress":
        ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    items, mails, texts = table_items(aws), len(emails()), len(sms())

    ans = act(api, case_id, action, "2026-04-16T11:00:00+07:00", body, claims=OTHER_OFFICER)
    assert ans.status == 404, ans.body  # as an unknown id: ids cannot be probed
    assert ans.json["error"]["code"] == "not_found"
    assert table_items(aws) == items
    assert (len(emails()), len(sms())) == (mails, texts)


@pytest.mark.parametrize(
    ("claims", "status"),
    [(CALLCENTER, 403), (staff("auditor"), 403), (None, 401)],
    ids=["callcenter", "auditor", "anonymous"],
)
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
