"""The one-off backfill after a deploy that adds an index (``python -m complaints.maintenance``):
cases stored before it are found by the phone search and listed in their agency's queue at once,
their document and version untouched; a case changed meanwhile is left to that change."""

from __future__ import annotations

from typing import Any

import pytest

from complaints import maintenance, wiring
from complaints.adapters.dynamo.backfill import backfill_index_keys
from complaints.adapters.dynamo.codec import PHONE_PREFIX, Table
from complaints.domain.privacy import phone_search_key
from local import infra
from tests.conftest import CALLCENTER, OFFICER, complaint
from tests.integration.helpers import plain

pytestmark = pytest.mark.integration
LATER = "2026-04-13T10:00:00+07:00"
NEW_KEYS = ("gsi_month_pk", "gsi_month_sk", "gsi_agency_due_pk", "gsi_agency_due_sk")


def _file(api, phone: str) -> str:
    body = complaint(complainant={"name": "สมชาย ใจดี", "phone": phone, "email": None})
    answer = api.call("POST", "/complaints", body=body, when="2026-04-10T09:00:00+07:00")
    assert answer.status == 201, answer.body
    return answer.json["id"]


def _stored(aws, case_id: str) -> dict[str, Any]:
    key = {"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "META"}}
    return aws.client("dynamodb").get_item(TableName=infra.LOCAL_TABLE, Key=key, ConsistentRead=True)["Item"]


def _as_before_the_indexes(aws, case_id: str) -> None:
    """The case item as a stack without the phone search and the agency queue wrote it."""
    aws.client("dynamodb").update_item(
        TableName=infra.LOCAL_TABLE,
        Key={"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "META"}},
        UpdateExpression="REMOVE " + ", ".join(NEW_KEYS),
    )


def _found_by_phone(api, phone: str) -> list[str]:
    answer = api.call("GET", "/complaints", query=f"phone={phone}", claims=CALLCENTER, when=LATER)
    return [c["id"] for c in answer.json["complaints"]]


def _in_queue(api) -> list[str]:
    answer = api.call("GET", "/complaints", query="order=deadline", claims=OFFICER, when=LATER)
    return [c["id"] for c in answer.json["complaints"]]


@pytest.fixture
def old_cases(api, aws) -> list[str]:
    ids = [_file(api, "0812345678"), _file(api, "0898765432")]
    for case_id in ids:
        _as_before_the_indexes(aws, case_id)
    assert _found_by_phone(api, "0812345678") == [] and _in_queue(api) == []
    return ids


def _run() -> str:
    secret = wiring.settings().link_secret_name
    return maintenance.main(["backfill-index-keys", "--table", infra.LOCAL_TABLE, "--link-secret", secret])


def test_old_cases_are_found_by_phone_and_queued_after_the_backfill(api, aws, old_cases, capsys):
    before = [plain(_stored(aws, case_id)) for case_id in old_cases]
    assert _run() == 0
    assert '"updated": 2' in capsys.readouterr().out
    assert _found_by_phone(api, "0812345678") == [old_cases[0]]
    assert _found_by_phone(api, "0898765432") == [old_cases[1]]
    assert sorted(_in_queue(api)) == sorted(old_cases)
    for case_id, was in zip(old_cases, before, strict=True):
        now = plain(_stored(aws, case_id))
        assert {k: v for k, v in now.items() if k not in NEW_KEYS} == was  # document and version untouched


def _phone_key(phone: str) -> str:
    return phone_search_key(wiring.link_secret(), phone)


def test_a_second_run_changes_nothing(api, aws, old_cases, capsys):
    _run()
    capsys.readouterr()
    _run()
    assert '{"read": 2, "updated": 0, "changed_meanwhile": 0}' in capsys.readouterr().out


def test_a_rotated_link_secret_gets_its_phone_keys_rewritten(api, aws, old_cases):
    _run()
    table = Table(aws.client("dynamodb"), infra.LOCAL_TABLE)
    rotated = backfill_index_keys(table, lambda phone: phone_search_key(b"the next secret", phone))
    assert (rotated.read, rotated.updated) == (2, 2)
    wanted = PHONE_PREFIX + phone_search_key(b"the next secret", "+66812345678")
    assert plain(_stored(aws, old_cases[0]))["gsi_month_pk"] == wanted


def test_a_case_changed_during_the_run_is_left_to_that_change(api, aws, old_cases):
    """The run read the case; an officer acknowledged it before the run wrote its keys."""
    table = Table(aws.client("dynamodb"), infra.LOCAL_TABLE)
    reads, acted = table.query_all, []

    def read_then_acknowledge(**kwargs):
        for item in reads(**kwargs):
            if item["pk"]["S"] == f"CASE#{old_cases[0]}" and not acted:
                acted.append(True)
                answer = api.call(
                    "POST", f"/complaints/{old_cases[0]}/acknowledge", body={}, claims=OFFICER, when=LATER
                )
                assert answer.status == 200, answer.body
            yield item

    table.query_all = read_then_acknowledge  # type: ignore[method-assign]
    done = backfill_index_keys(table, _phone_key)
    assert (done.updated, done.changed_meanwhile) == (1, 1)
    assert plain(_stored(aws, old_cases[0]))["state"] == "acknowledged"  # the officer's change stands
