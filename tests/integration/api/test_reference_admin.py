"""Reference data changed at run time (#12), through the API against moto: an admin's change reaches
the next routing and the next e-mail at once, never an existing case's history; other roles are
refused and a broken change is refused, both leaving no trace; the audit trail; concurrent admins."""

from __future__ import annotations

from typing import Any

import pytest

from complaints import wiring
from complaints.domain.reference import Stored
from tests.conftest import ADMIN, CALLCENTER, sent_emails, staff, sweep, table_items
from tests.integration.helpers import AGENCY_MAIL, file, plain

pytestmark = pytest.mark.integration
BEFORE = "2026-04-10T08:00:00+07:00"  # the admin's change, before the filing at 09:12
NEW_MAIL = "watthana.works@bma.example"


def change(api, method: str, path: str, body: dict[str, Any], claims=ADMIN, when: str = BEFORE):
    return api.call(method, path, body=body, claims=claims, when=when)


def reference_items(aws) -> list[dict[str, Any]]:
    return [plain(i) for i in table_items(aws) if i["pk"]["S"] == "REFERENCE"]


def test_a_category_moved_to_a_department_routes_the_next_filing_there_and_an_earlier_case_keeps_its_history(api):
    earlier = file(api, when=BEFORE)
    assert earlier["agency"]["id"] == "DIST-1039"

    moved = change(api, "PATCH", "/categories/road", {"unit": "department:DEPT-PWD"}, when="2026-04-10T09:00:00+07:00")
    assert moved.status == 200, moved.body
    assert moved.json["category"]["unit"] == "department:DEPT-PWD"
    later = file(api)

    assert later["agency"]["id"] == "DEPT-PWD"
    again = api.call("GET", f"/complaints/{earlier['id']}", claims=CALLCENTER).json
    assert again["agency"]["id"] == "DIST-1039"
    assert [h["type"] for h in again["history"]] == ["received", "routed"]
    road = next(c for c in api.call("GET", "/categories").json["categories"] if c["code"] == "road")
    assert road["unit"] == "department:DEPT-PWD"


def test_an_agency_email_changed_by_an_admin_gets_the_next_dispatch_email(api):
    done = change(api, "PATCH", "/agencies/DIST-1039", {"email": NEW_MAIL, "hotline": "02-258-0001"})
    assert done.status == 200, done.body

    case = file(api)

    [mail] = sent_emails(to=NEW_MAIL)
    assert case["id"] in mail.subject
    assert sent_emails(to=AGENCY_MAIL) == []
    listed = {a["id"]: a for a in api.call("GET", "/agencies").json["agencies"]}
    assert (listed["DIST-1039"]["email"], listed["DIST-1039"]["hotline"]) == (NEW_MAIL, "02-258-0001")


@pytest.mark.parametrize(
    ("claims", "status"),
    [(None, 401), (CALLCENTER, 403), (staff("agency", "DIST-1039"), 403), (staff("auditor"), 403)],
)
def test_anyone_but_an_admin_is_refused_and_leaves_no_trace(api, aws, claims, status):
    for method, path, body in [
        ("PATCH", "/agencies/DIST-1039", {"email": NEW_MAIL}),
        ("POST", "/categories", {"code": "bench", "name_th": "ม้านั่ง", "name_en": "Benches", "unit": "triage"}),
        ("GET", "/reference/changes", None),
    ]:
        assert change(api, method, path, body, claims=claims).status == status
    assert reference_items(aws) == []
    assert file(api)["agency"]["id"] == "DIST-1039"


@pytest.mark.parametrize(
    ("method", "path", "body", "says"),
    [
        ("PATCH", "/agencies/DIST-1039", {"email": "not an address"}, "email is not a valid e-mail"),
        ("PATCH", "/categories/road", {"unit": "department:EXT-MWA"}, "not a known department"),
        ("PATCH", "/categories/road", {"unit": "external:EXT-MWA"}, "give its referral_channel"),
        ("POST", "/agencies", {"id": "DEPT-PWD", "kind": "department", "name_th": "ก", "name_en": "A",
                               "email": "a@bma.example"}, "exists already"),
        ("POST", "/categories", {"code": "Bench!", "name_th": "ม้านั่ง", "name_en": "Benches", "unit": "triage"},
         "is not a category code"),
    ],
)  # fmt: skip
def test_a_broken_change_is_400_with_what_is_wrong_and_leaves_no_trace(api, aws, method, path, body, says):
    refused = change(api, method, path, body)

    assert refused.status == 400, refused.body
    assert refused.json["error"]["code"] == "invalid_reference"
    assert says in refused.json["error"]["message"]
    assert reference_items(aws) == []


def test_an_unknown_agency_or_category_is_404_and_a_field_that_cannot_change_is_422(api, aws):
    assert change(api, "PATCH", "/agencies/DEPT-NONE", {"email": NEW_MAIL}).status == 404
    assert change(api, "PATCH", "/categories/nothing", {"urgent": True}).status == 404
    assert change(api, "PATCH", "/agencies/DEPT-PWD", {"name_en": "Works"}).status == 422
    assert reference_items(aws) == []


def test_a_new_agency_and_category_are_routed_to_and_offered_on_the_filing_page(api, pages):
    agency = {"id": "DEPT-PARK", "kind": "department", "name_th": "สำนักสวน", "name_en": "Parks Department"}
    added = change(api, "POST", "/agencies", agency | {"email": "parks@bma.example"})
    assert added.status == 201, added.body
    bench = {"code": "park_bench", "name_th": "ม้านั่งในสวน", "name_en": "Park benches", "unit": "department:DEPT-PARK"}
    assert change(api, "POST", "/categories", bench).status == 201

    case = file(api, category="park_bench")

    assert case["agency"]["id"] == "DEPT-PARK"
    assert len(sent_emails(to="parks@bma.example")) == 1
    page = pages.call("GET", "/report").body
    assert "ม้านั่งในสวน" in page and "Park benches" in page


def test_the_audit_trail_says_who_when_before_and_after_newest_first_in_pages(api, aws):
    change(api, "PATCH", "/agencies/DEPT-PWD", {"hotline": "02-111-1111"})
    other = staff("admin", sub="admin-2")
    change(api, "PATCH", "/categories/road", {"urgent": True}, claims=other, when="2026-04-10T08:30:00+07:00")

    first = api.call("GET", "/reference/changes", query="limit=1", claims=ADMIN)
    second = api.call("GET", "/reference/changes", query=f"limit=1&cursor={first.json['next_cursor']}", claims=ADMIN)

    [newest], [oldest] = first.json["changes"], second.json["changes"]
    assert newest["by"] == {"role": "admin", "id": "admin-2"}
    assert newest["at"] == "2026-04-10T08:30:00+07:00"
    assert (newest["kind"], newest["id"], newest["action"], newest["version"]) == ("category", "road", "edit", 2)
    assert (newest["before"]["urgent"], newest["after"]["urgent"]) == (False, True)
    assert (oldest["by"]["id"], oldest["before"]["hotline"], oldest["after"]["hotline"]) == (
        "user-1",
        None,
        "02-111-1111",
    )
    assert second.json["next_cursor"] is None
    forged = api.call("GET", "/reference/changes", query="cursor=1.AAAA", claims=ADMIN)
    assert (forged.status, forged.json["error"]["code"]) == (400, "bad_cursor")
    assert [i["sk"] for i in reference_items(aws)] == ["CHANGE#00000001", "CHANGE#00000002", "CURRENT"]


def test_an_admin_who_read_a_stale_version_does_not_overwrite_another_admins_change(api, monkeypatch):
    assert change(api, "PATCH", "/agencies/DEPT-PWD", {"email": "works@bma.example"}).status == 200
    store = wiring.ports().reference
    real_load, reads = store.load, []

    def stale_once() -> Stored:  # the read made before the other admin wrote
        reads.append(1)
        return Stored() if len(reads) == 1 else real_load()

    monkeypatch.setattr(store, "load", stale_once)

    done = change(api, "PATCH", "/agencies/DEPT-PWD", {"hotline": "02-123-4567"}, claims=staff("admin", sub="admin-2"))

    assert done.status == 200, done.body
    assert (done.json["agency"]["email"], done.json["agency"]["hotline"]) == ("works@bma.example", "02-123-4567")
    assert done.json["version"] == 2 and len(reads) == 2


def test_an_admin_whose_reads_stay_stale_gets_409_and_writes_nothing(api, aws, monkeypatch):
    assert change(api, "PATCH", "/agencies/DEPT-PWD", {"email": "works@bma.example"}).status == 200
    before = reference_items(aws)
    monkeypatch.setattr(wiring.ports().reference, "load", lambda: Stored())

    refused = change(api, "PATCH", "/agencies/DEPT-PWD", {"hotline": "02-123-4567"})

    assert (refused.status, refused.json["error"]["code"]) == (409, "conflict")
    assert reference_items(aws) == before


def test_the_sweep_reads_the_reference_version_once_however_many_cases_it_handles(api):
    for _ in range(3):
        file(api)
    reads: list[dict[str, Any]] = []
    client = wiring.ports().reference.table.client._client

    def record(params: dict[str, Any], **_: Any) -> None:
        if params["Key"]["pk"]["S"] == "REFERENCE":
            reads.append(params)

    client.meta.events.register("provide-client-params.dynamodb.GetItem", record)

    done = sweep("2026-04-20T08:30:00+07:00")

    assert done["chased"] == 3
    assert len(reads) == 1
