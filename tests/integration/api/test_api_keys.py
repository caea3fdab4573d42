"""API keys through the API against moto (#13): admins only; the key is shown once and stored as
a hash; the list never shows it; a revoked key is refused at the next check; the per-key write
limit is counted in the table."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaints import wiring
from complaints.domain.errors import KeyRefused, RateLimited
from tests.conftest import ADMIN, CALLCENTER, at, staff, table_items
from tests.integration.helpers import plain

pytestmark = pytest.mark.integration
ISSUED = "2026-04-10T09:00:00+07:00"


def issue(api, name: str = "FixMyStreet Bangkok", claims=ADMIN):
    return api.call("POST", "/api-keys", body={"name": name}, claims=claims, when=ISSUED)


def key_items(aws) -> list[dict]:
    return [i for i in table_items(aws) if i["pk"]["S"].startswith("APIKEY")]


def test_an_admin_issues_a_key_shown_once_and_stored_only_as_a_hash(api, aws):
    issued = issue(api)

    assert issued.status == 201, issued.body
    assert issued.headers.get("Cache-Control") == "no-store"
    body = issued.json
    assert set(body) == {"id", "name", "api_key", "created_at"}
    assert body["api_key"].startswith(body["id"] + ".") and body["name"] == "FixMyStreet Bangkok"
    secret = body["api_key"].split(".", 1)[1]
    [item] = key_items(aws)
    assert secret not in str(item) and body["api_key"] not in str(item)
    assert plain(item) | {"secret_hash": "…"} == {
        "pk": "APIKEY",
        "sk": body["id"],
        "entity": "api_key",
        "name": "FixMyStreet Bangkok",
        "secret_hash": "…",
        "created_at": "2026-04-10T02:00:00+00:00",
        "created_by": "admin:user-1",
    }
    listed = api.call("GET", "/api-keys", claims=ADMIN)
    assert listed.status == 200
    assert secret not in listed.body and "secret_hash" not in listed.body
    [entry] = listed.json["api_keys"]
    assert (entry["id"], entry["name"], entry["created_by"], entry["revoked_at"]) == (
        body["id"],
        "FixMyStreet Bangkok",
        "admin:user-1",
        None,
    )
    assert "key" not in entry and "api_key" not in entry
    assert wiring.usecases().api_keys.check(body["api_key"], at(ISSUED)).id == body["id"]


@pytest.mark.parametrize(
    ("claims", "status"),
    [(None, 401), (CALLCENTER, 403), (staff("agency", "DIST-1039"), 403), (staff("executive"), 403)],
)
def test_only_admins_manage_keys(api, aws, claims, status):
    key_id = issue(api).json["id"]

    assert issue(api, claims=claims).status == status
    assert api.call("GET", "/api-keys", claims=claims).status == status
    assert api.call("DELETE", f"/api-keys/{key_id}", claims=claims).status == status
    assert len(key_items(aws)) == 1
    assert api.call("GET", "/api-keys", claims=ADMIN).json["api_keys"][0]["revoked_at"] is None


def test_a_revoked_key_is_refused_at_once_and_the_list_shows_who_revoked_it(api):
    issued = issue(api).json
    keys = wiring.usecases().api_keys
    keys.check(issued["api_key"], at("2026-04-10T09:05:00+07:00"))

    revoked = api.call("DELETE", f"/api-keys/{issued['id']}", claims=ADMIN, when="2026-04-10T09:10:00+07:00")

    assert revoked.status == 200, revoked.body
    assert revoked.json["revoked_at"] == "2026-04-10T02:10:00+00:00"
    assert revoked.json["revoked_by"] == "admin:user-1"
    with pytest.raises(KeyRefused):
        keys.check(issued["api_key"], at("2026-04-10T09:10:00+07:00"))
    again = api.call("DELETE", f"/api-keys/{issued['id']}", claims=ADMIN, when="2026-04-10T10:00:00+07:00")
    assert (again.status, again.json["revoked_at"]) == (200, "2026-04-10T02:10:00+00:00")
    [entry] = api.call("GET", "/api-keys", claims=ADMIN).json["api_keys"]
    assert entry["revoked_at"] == "2026-04-10T02:10:00+00:00"
    assert entry["last_used_at"] == "2026-04-10T02:05:00+00:00"


def test_revoking_an_unknown_or_impossible_id_is_not_found(api):
    assert api.call("DELETE", "/api-keys/000000000000", claims=ADMIN).status == 404
    assert api.call("DELETE", "/api-keys/..%2F..", claims=ADMIN).status == 404


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "x" * 101}, {"name": "ok", "key": "mine"}])
def test_a_key_needs_a_name_and_nothing_else(api, aws, body):
    assert api.call("POST", "/api-keys", body=body, claims=ADMIN).status == 422
    assert key_items(aws) == []


def test_the_write_limit_is_counted_per_key_and_minute_in_the_table(api, aws):
    key = issue(api).json["api_key"]
    keys = wiring.usecases().api_keys
    limit = wiring.settings().open311_writes_per_key_per_minute
    minute = at("2026-04-10T09:20:00+07:00")

    for n in range(limit):
        keys.check(key, minute + timedelta(seconds=n % 60), write=True)
    with pytest.raises(RateLimited) as limited:
        keys.check(key, minute + timedelta(seconds=50), write=True)

    assert limited.value.retry_after == 10
    keys.check(key, minute + timedelta(minutes=1), write=True)
    counters = sorted(
        (i["sk"]["S"], i["writes"]["N"]) for i in key_items(aws) if i["pk"]["S"] != "APIKEY" and "writes" in i
    )
    assert counters == [("WRITES#2026-04-10T02:20Z", str(limit)), ("WRITES#2026-04-10T02:21Z", "1")]
    assert all("ttl" in i for i in key_items(aws) if i["pk"]["S"] != "APIKEY")
