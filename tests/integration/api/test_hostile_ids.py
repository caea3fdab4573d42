"""Ids cannot be probed, and list cursors cannot be forged or replayed.

An officer of another agency gets the same 404 for a case that exists as for one that does not
(issue #10, defect 13); a list cursor is signed and bound to the caller and the list's filters
(defect 6).
"""

import base64
import json

import pytest

from tests.conftest import CALLCENTER, OFFICER, complaint, staff
from tests.integration.api.hostile import refused

pytestmark = pytest.mark.integration
OTHER = staff("agency", "DIST-1001", sub="officer-1001")
UNKNOWN = "2604-ZZZZZZ"
ACTIONS = [
    ("acknowledge", {}),
    ("progress", {"note": "กำลังซ่อม"}),
    ("complete", {"note": "ซ่อมแล้ว", "evidence_urls": ["https://photos.example/done.jpg"]}),
    ("handback", {"reason": "ไม่ใช่ของเรา"}),
]


@pytest.fixture
def case_id(api):
    ans = api.call("POST", "/complaints", body=complaint())
    assert ans.status == 201 and ans.json["agency"]["id"] == "DIST-1039", ans.body
    return ans.json["id"]


def the_same_404(api, aws, method, path_of, case_id, **kwargs):
    """Another agency's existing case and an unknown id get the same answer, but for the id."""
    known = refused(api, aws, method, path_of(case_id), status=404, code="not_found", **kwargs)
    unknown = refused(api, aws, method, path_of(UNKNOWN), status=404, code="not_found", **kwargs)
    assert known["message"].replace(case_id, UNKNOWN) == unknown["message"]


def test_another_agencys_officer_cannot_tell_a_case_from_an_unknown_id_by_reading(api, aws, case_id):
    the_same_404(api, aws, "GET", lambda i: f"/complaints/{i}", case_id, claims=OTHER)
    assert api.call("GET", f"/complaints/{case_id}", claims=OFFICER).status == 200


@pytest.mark.parametrize(("action", "body"), ACTIONS, ids=[a for a, _ in ACTIONS])
def test_another_agencys_officer_cannot_tell_a_case_from_an_unknown_id_by_acting(api, aws, case_id, action, body):
    the_same_404(api, aws, "POST", lambda i: f"/complaints/{i}/{action}", case_id, claims=OTHER, body=body)


def test_a_triage_case_is_not_found_for_an_agency_officer(api, aws):
    case_id = api.call("POST", "/complaints", body=complaint(category="inquiry")).json["id"]
    the_same_404(api, aws, "GET", lambda i: f"/complaints/{i}", case_id, claims=OFFICER)
    the_same_404(api, aws, "POST", lambda i: f"/complaints/{i}/acknowledge", case_id, claims=OFFICER, body={})


@pytest.mark.parametrize(
    "path",
    [
        "/complaints/..%2F..%2Fetc%2Fpasswd",
        "/complaints/%2E%2E",
        "/complaints/2604-ZZZZZZ%2F..",
        "/complaints/2604-zzzzzz",
        "/complaints/..",
    ],
)
def test_path_traversal_in_a_case_id_is_not_found(api, aws, path):
    refused(api, aws, "GET", path, claims=CALLCENTER, status=404, code="not_found")
    refused(api, aws, "POST", path + "/acknowledge", claims=OFFICER, body={}, status=404, code="not_found")


# --- the list cursor ------------------------------------------------------------------------


@pytest.fixture
def three(api):
    return [api.call("POST", "/complaints", body=complaint()).json["id"] for _ in range(3)]


def first_page(api, claims=CALLCENTER, query="agency=DIST-1039&limit=1"):
    ans = api.call("GET", "/complaints", claims=claims, query=query)
    assert ans.status == 200, ans.body
    assert ans.json["next_cursor"]
    return ans.json["next_cursor"]


def test_the_cursor_pages_for_the_caller_who_got_it(api, three):
    seen, cursor = [], None
    while True:
        query = "agency=DIST-1039&limit=1" + (f"&cursor={cursor}" if cursor else "")
        page = api.call("GET", "/complaints", claims=CALLCENTER, query=query).json
        seen += [c["id"] for c in page["complaints"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(three)


def flip(text, at):
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


@pytest.mark.parametrize("edit", [lambda c: flip(c, 5), lambda c: flip(c, len(c) - 1), lambda c: c.split(".")[0]])
def test_an_edited_cursor_is_a_400(api, aws, three, edit):
    cursor = edit(first_page(api))
    query = f"agency=DIST-1039&limit=1&cursor={cursor}"
    refused(api, aws, "GET", "/complaints", claims=CALLCENTER, query=query, status=400, code="bad_cursor")


def test_a_forged_cursor_key_is_a_400_not_a_crash(api, aws, three):
    payload = json.dumps({"f": "x", "i": 0, "k": {"pk": {"N": "1"}, "bogus": {"S": "x" * 100}}})
    forged = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    for cursor in (forged, forged + ".AAAAAAAAAAAAAAAAAAAAAA", "garbage", "ท.ท"):
        query = f"agency=DIST-1039&limit=1&cursor={cursor}"
        refused(api, aws, "GET", "/complaints", claims=CALLCENTER, query=query, status=400, code="bad_cursor")


@pytest.mark.parametrize(
    ("claims", "query"),
    [
        (OFFICER, "limit=1"),  # another caller (an officer of that very agency), the same list
        (staff("auditor"), "agency=DIST-1039&limit=1"),  # another role
        (CALLCENTER, "agency=DIST-1039&state=dispatched&limit=1"),  # other filters
        (CALLCENTER, "limit=1"),
        (CALLCENTER, "agency=DIST-1001&limit=1"),
    ],
)
def test_a_cursor_replayed_by_another_caller_or_with_other_filters_is_a_400(api, aws, three, claims, query):
    cursor = first_page(api)
    refused(api, aws, "GET", "/complaints", claims=claims, query=f"{query}&cursor={cursor}", status=400)


def test_an_officers_cursor_is_no_use_to_an_officer_of_another_agency(api, aws, three):
    cursor = first_page(api, claims=OFFICER, query="limit=1")
    refused(api, aws, "GET", "/complaints", claims=OTHER, query=f"limit=1&cursor={cursor}", status=400)
