"""The DynamoDB store: transactions, optimistic locking, no Scan, and listing by index."""

from datetime import datetime

import pytest

from complaints.adapters.dynamo.cases import DynamoCases
from complaints.adapters.dynamo.codec import Table
from complaints.domain import changes, lifecycle
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.errors import Conflict
from complaints.domain.model import Actor, Case, Role, State
from complaints.ports import CaseQuery
from complaints.reference import default_catalogue
from local import infra
from tests.conftest import ADMIN, CALLCENTER, at, complaint, staff, table_items

pytestmark = pytest.mark.integration
CAT = default_catalogue()
CAL = BusinessCalendar.with_specials()
AT = datetime.fromisoformat("2026-04-10T09:12:00+07:00")
CC = Actor(role=Role.CALLCENTER, id="cc")


@pytest.fixture
def store(aws):
    return DynamoCases(Table(aws.client("dynamodb"), infra.LOCAL_TABLE))


def new_case(store, category="inquiry", case_id="2604-AAAAAA"):
    draft = Case(
        id=case_id,
        state=State.TRIAGE,
        category=category,
        description="x",
        district="1039",
        received_at=AT,
        token_hash="h",
    )
    change = lifecycle.receive(draft, CAT.route(category, "1039"), CAL, Actor(role=Role.CITIZEN))
    store.create(change)
    return change.case


def test_case_and_history_are_written_together_and_read_in_one_query(store, aws):
    case = new_case(store, "road")
    got, history = store.get(case.id)
    assert got == case
    assert [(e.seq, e.type) for e in history] == [(1, "received"), (2, "routed")]
    assert len(table_items(aws)) == 3


def test_create_with_a_taken_id_is_a_conflict_and_changes_nothing(store, aws):
    new_case(store)
    before = table_items(aws)
    with pytest.raises(Conflict):
        new_case(store, "road")
    assert table_items(aws) == before


def test_concurrent_writers_one_wins_the_other_gets_a_conflict(store, aws):
    case = new_case(store)
    first = lifecycle.route(case, CAT.agency("DEPT-PWD"), None, CC, AT, CAL, "A")
    second = lifecycle.route(case, CAT.agency("DEPT-DDS"), None, CC, AT, CAL, "B")
    store.save(first)
    with pytest.raises(Conflict, match="it is now 'dispatched'"):
        store.save(second)
    got, history = store.get(case.id)
    assert got.agency.id == "DEPT-PWD"
    assert [e.note for e in history if e.type == "routed"] == ["A"]


def test_history_event_can_never_be_overwritten(store, aws):
    """Even a writer that forged the version cannot replace an existing event."""
    case = new_case(store)
    store.save(lifecycle.route(case, CAT.agency("DEPT-PWD"), None, CC, AT, CAL, "first"))
    forged = lifecycle.route(case, CAT.agency("DEPT-DDS"), None, CC, AT, CAL, "forged")
    forged = changes.Change(forged.case.model_copy(update={"version": 3}), forged.events, 2)
    with pytest.raises(Conflict):
        store.save(forged)
    assert [e.note for e in store.get(case.id)[1]] == [None, "first"]


def test_due_index_holds_only_cases_with_a_running_deadline(store, aws):
    new_case(store, "road", "2604-AAAAAA")
    new_case(store, "water_main", "2604-BBBBBB")  # referred: no clock
    due_items = [i for i in table_items(aws) if "gsi_due_pk" in i]
    assert [i["pk"]["S"] for i in due_items] == ["CASE#2604-AAAAAA"]


def test_nothing_scans(api, aws, monkeypatch):
    calls = []
    aws.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    queries = []
    aws.events.register("provide-client-params.dynamodb.Query", lambda params, **_: queries.append(params))
    import boto3

    from complaints import wiring

    monkeypatch.setattr(boto3, "DEFAULT_SESSION", aws)
    wiring.reset()
    for category in ("road", "water_main", "inquiry"):
        api.call("POST", "/complaints", body=complaint(category=category))
    for query in ("", "overdue=true", "state=triage&order=oldest", "agency=DIST-1039&order=deadline&state=dispatched"):
        assert api.call("GET", "/complaints", claims=CALLCENTER, query=query).status == 200
    counted = api.call("GET", "/complaints/due-counts", claims=CALLCENTER, query="agency=DIST-1039")
    assert counted.status == 200 and counted.json["due_today"] == 0
    api.call("PATCH", "/agencies/DEPT-PWD", body={"hotline": "02-123-4567"}, claims=ADMIN)  # reference data
    api.call("GET", "/reference/changes", claims=ADMIN)
    api.call("GET", "/agencies")
    issued = api.call("POST", "/api-keys", body={"name": "an Open311 app"}, claims=ADMIN).json  # API keys
    api.call("GET", "/api-keys", claims=ADMIN)
    wiring.usecases().api_keys.check(issued["api_key"], at("2026-04-10"), write=True)
    api.call("DELETE", f"/api-keys/{issued['id']}", claims=ADMIN)
    from tests.integration.open311.conftest import Open311

    open311 = Open311()  # Open311's public list and reads (#13)
    for query in ("", "status=open&service_code=road,inquiry", "start_date=2026-04-01&status=closed"):
        assert open311.call("GET", "/open311/v2/requests.json", query=query).status == 200
    case_id = open311.get("requests.json").json[0]["service_request_id"]
    assert open311.get(f"requests/{case_id}.xml").status == 200
    assert {"TransactWriteItems", "Query", "GetItem"} <= set(calls)
    assert "Scan" not in calls
    # the agency's queue and its counts are Queries of its own partition of the deadline index
    by_deadline = [q for q in queries if q.get("IndexName") == "by_agency_due"]
    assert {q["ExpressionAttributeValues"][":pk"]["S"] for q in by_deadline} == {"AGENCYDUE#DIST-1039"}
    assert [q.get("Select") for q in by_deadline] == [None, "COUNT", "COUNT"]
    # the public list reads each state's partition of the state index, within the window
    windows = [q for q in queries if q.get("KeyConditionExpression", "").startswith("gsi_state_pk = :pk AND")]
    assert {q["IndexName"] for q in windows} == {"by_state"} and len(windows) == 7 + 4 + 3 + 7


# --- listing --------------------------------------------------------------------------------


@pytest.fixture
def many(api):
    """12 cases over three days: road in 1039 and 1004, flooding (DEPT-DDS), inquiries (triage)."""
    ids = {}
    for n, (category, district) in enumerate(
        [("road", "1039")] * 4 + [("road", "1004")] * 3 + [("flooding", "1039")] * 3 + [("inquiry", "1039")] * 2
    ):
        when = f"2026-04-{7 + n % 3:02d}T{8 + n:02d}:00:00+07:00"
        doc = api.call(
            "POST", "/complaints", when=when, body=complaint(category=category, location={"district": district})
        ).json
        ids[doc["id"]] = (category, district, doc["state"])
    return ids


def listed(api, query, claims=CALLCENTER, when="2026-04-10T12:00:00+07:00"):
    ans = api.call("GET", "/complaints", claims=claims, query=query, when=when)
    assert ans.status == 200, ans.body
    return ans.json


def test_list_by_agency_and_state(api, many):
    doc = listed(api, "agency=DIST-1039&state=dispatched")
    assert len(doc["complaints"]) == 4
    assert {c["agency"]["id"] for c in doc["complaints"]} == {"DIST-1039"}


def test_list_by_district_state_and_category(api, many):
    assert len(listed(api, "district=1039")["complaints"]) == 9
    assert len(listed(api, "district=1039&category=flooding")["complaints"]) == 3
    assert len(listed(api, "district=Watthana&state=triage")["complaints"]) == 2


def test_list_by_state_newest_first(api, many):
    cases = listed(api, "state=dispatched")["complaints"]
    assert len(cases) == 10
    received = [c["received_at"] for c in cases]
    assert received == sorted(received, reverse=True)


def test_list_overdue_only(api, many):
    now = "2026-04-10T12:00:00+07:00"
    everything = listed(api, "limit=100", when=now)["complaints"]
    expected = {c["id"] for c in everything if c["due"] and c["due"]["at"] < now}
    overdue = listed(api, "overdue=true", when=now)["complaints"]
    assert {c["id"] for c in overdue} == expected
    assert {c["state"] for c in overdue} == {"dispatched", "triage"}
    # After Songkran every case filed that week is late.
    late = listed(api, "overdue=true", when="2026-04-17T08:00:00+07:00")["complaints"]
    assert len(late) == 12


def test_pagination_walks_every_case_once(api, many):
    seen, cursor, pages = [], None, 0
    while True:
        doc = listed(api, "limit=5" + (f"&cursor={cursor}" if cursor else ""))
        seen += [c["id"] for c in doc["complaints"]]
        pages += 1
        cursor = doc["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(many) and pages >= 3


def test_cursor_of_another_filter_is_refused(api, many):
    cursor = listed(api, "limit=2&state=dispatched")["next_cursor"]
    ans = api.call("GET", "/complaints", claims=CALLCENTER, query=f"limit=2&state=triage&cursor={cursor}")
    assert ans.status == 400 and ans.json["error"]["code"] == "bad_cursor"


def test_agency_officer_sees_only_their_agency(api, many):
    doc = listed(api, "", claims=staff("agency", "DEPT-DDS"))
    assert len(doc["complaints"]) == 3
    assert {c["agency"]["id"] for c in doc["complaints"]} == {"DEPT-DDS"}


def test_list_entries_carry_no_history_and_no_token_hash(api, many):
    entry = listed(api, "limit=1")["complaints"][0]
    assert "history" not in entry and "token_hash" not in entry and "version" not in entry


def test_query_now_comes_from_the_request(store, aws):
    new_case(store)
    before = store.list(CaseQuery(now=AT, overdue=True), 10, None)
    after = store.list(CaseQuery(now=datetime.fromisoformat("2026-04-12T00:00:00+07:00"), overdue=True), 10, None)
    assert (len(before.cases), len(after.cases)) == (0, 1)


def test_a_completed_case_awaiting_feedback_is_not_listed_as_overdue(api):
    officer = staff("agency", "DIST-1039")
    doc = api.call("POST", "/complaints", body=complaint()).json
    api.call(
        "POST",
        f"/complaints/{doc['id']}/complete",
        claims=officer,
        body={"note": "ซ่อมแล้ว", "evidence_urls": ["https://photos.example/after.jpg"]},
        when="2026-04-10T10:00:00+07:00",
    )
    late = listed(api, "overdue=true", when="2026-05-30T12:00:00+07:00")["complaints"]
    assert doc["id"] not in [c["id"] for c in late]
