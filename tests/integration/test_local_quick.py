"""moto made fast (``local.quick``, used by the local stack and the benchmarks) answers as plain moto does.

The same script of DynamoDB calls — puts, queries of the table and of an index
(with limits, pages, sort key conditions, filters), updates, transactions that
succeed and transactions that are cancelled — is played against plain moto and
against moto with every speed patch; every answer must be the same. And a
cancelled transaction no longer costs a copy of the whole table.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from local import infra
from local.quick import faster_moto

TABLE = infra.LOCAL_TABLE


def _item(case: int, sk: str, **extra: Any) -> dict[str, Any]:
    return {
        "pk": {"S": f"CASE#{case:03d}"},
        "sk": {"S": sk},
        "gsi_state_pk": {"S": f"STATE#{['triage', 'dispatched'][case % 2]}"},
        "gsi_state_sk": {"S": f"2026-11-{case % 28 + 1:02d}#{case:03d}#{sk}"},
        "n": {"N": str(case)},
        "blob": {"B": bytes([case % 256]) * 3},
        "tags": {"SS": ["a", f"t{case % 3}"]},
        "doc": {"M": {"l": {"L": [{"S": "x"}, {"N": "1"}, {"BOOL": True}, {"NULL": True}]}}},
        **extra,
    }


def _script(ddb: Any) -> list[Any]:
    """The calls, and every answer (errors by their code)."""
    out: list[Any] = []

    def call(method: str, **kwargs: Any) -> None:
        try:
            answer = getattr(ddb, method)(**kwargs)
        except ddb.exceptions.ClientError as exc:
            answer = {"error": exc.response["Error"]["Code"], "reasons": exc.response.get("CancellationReasons")}
        answer.pop("ResponseMetadata", None)
        out.append((method, answer))

    for case in range(40):
        for sk in ("CASE", "EV#001", "EV#002"):
            call("put_item", TableName=TABLE, Item=_item(case, sk))
    call(
        "query", TableName=TABLE, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "CASE#007"}}
    )
    call(
        "query",
        TableName=TABLE,
        KeyConditionExpression="pk = :p AND begins_with(sk, :e)",
        ExpressionAttributeValues={":p": {"S": "CASE#007"}, ":e": {"S": "EV#"}},
        ScanIndexForward=False,
    )
    start: dict[str, Any] | None = None
    for _ in range(4):  # pages of an index, with a filter
        page = dict(
            TableName=TABLE,
            IndexName="by_state",
            KeyConditionExpression="gsi_state_pk = :s AND gsi_state_sk > :after",
            FilterExpression="n > :n",
            ExpressionAttributeValues={
                ":s": {"S": "STATE#dispatched"},
                ":after": {"S": "2026-11-05"},
                ":n": {"N": "3"},
            },
            Limit=7,
        )
        call("query", **page, **({"ExclusiveStartKey": start} if start else {}))
        start = out[-1][1].get("LastEvaluatedKey")
    update = {"Update": {"TableName": TABLE, "Key": {"pk": {"S": "CASE#001"}, "sk": {"S": "CASE"}}}}
    update["Update"] |= {"UpdateExpression": "SET n = n + :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}
    put = {"Put": {"TableName": TABLE, "Item": _item(1, "EV#003"), "ConditionExpression": "attribute_not_exists(pk)"}}
    call("transact_write_items", TransactItems=[update, put])  # succeeds
    call("transact_write_items", TransactItems=[update, put])  # cancelled: EV#003 exists, n stays
    delete = {"Delete": {"TableName": TABLE, "Key": {"pk": {"S": "CASE#002"}, "sk": {"S": "EV#001"}}}}
    check = {
        "ConditionCheck": {
            "TableName": TABLE,
            "Key": {"pk": {"S": "CASE#003"}, "sk": {"S": "CASE"}},
            "ConditionExpression": "n = :wrong",
            "ExpressionAttributeValues": {":wrong": {"N": "99"}},
        }
    }
    call("transact_write_items", TransactItems=[delete, check])  # cancelled: nothing deleted
    call("transact_write_items", TransactItems=[delete])
    call("update_item", TableName=TABLE, Key={"pk": {"S": "CASE#004"}, "sk": {"S": "CASE"}}, ReturnValues="ALL_NEW",
         UpdateExpression="SET doc.l[0] = :v REMOVE tags", ExpressionAttributeValues={":v": {"S": "y"}})  # fmt: skip
    for _ in range(2):  # an expression moto refuses, twice
        values = {":a": {"N": "1"}, ":b": {"N": "2"}}
        call("update_item", TableName=TABLE, Key={"pk": {"S": "CASE#005"}, "sk": {"S": "CASE"}},
             UpdateExpression="SET n = :a, n = :b", ExpressionAttributeValues=values)  # fmt: skip
    for case in (1, 2, 3, 4, 5):
        call("query", TableName=TABLE, KeyConditionExpression="pk = :p",
             ExpressionAttributeValues={":p": {"S": f"CASE#{case:03d}"}})  # fmt: skip
    call("scan", TableName=TABLE, Limit=25)
    return out


def _played(speed: contextlib.AbstractContextManager[Any]) -> list[Any]:
    import boto3
    from moto import mock_aws

    with mock_aws(), speed:
        infra.create_resources(boto3.Session(region_name=infra.REGION))
        return _script(boto3.client("dynamodb", region_name=infra.REGION))


def test_moto_made_fast_answers_as_plain_moto() -> None:
    plain, fast = _played(contextlib.nullcontext()), _played(faster_moto())
    assert [m for m, _ in fast] == [m for m, _ in plain]
    for (method, expected), (_, got) in zip(plain, fast, strict=True):
        assert got == expected, method
    assert any("error" in answer for _, answer in plain)  # the cancellations were played


@pytest.fixture
def fast_moto() -> Iterator[Any]:
    import boto3
    from moto import mock_aws
    from moto.dynamodb.models import dynamodb_backends

    with mock_aws(), faster_moto():
        infra.create_resources(boto3.Session(region_name=infra.REGION))
        yield boto3.client("dynamodb", region_name=infra.REGION), dynamodb_backends[infra.ACCOUNT][infra.REGION]


def test_a_cancelled_transaction_copies_only_the_partitions_it_writes(fast_moto: Any) -> None:
    ddb, backend = fast_moto
    for case in range(30):
        ddb.put_item(TableName=TABLE, Item=_item(case, "CASE"))
    before = dict(backend.get_table(TABLE).items)
    put = {"Put": {"TableName": TABLE, "Item": _item(5, "CASE"), "ConditionExpression": "attribute_not_exists(pk)"}}
    with pytest.raises(ddb.exceptions.TransactionCanceledException):
        ddb.transact_write_items(TransactItems=[put])
    after = backend.get_table(TABLE).items
    assert after.keys() == before.keys()
    untouched = [key for key in before if key.value != "CASE#005"]
    assert all(after[key] is before[key] for key in untouched)  # not copied: the whole table was not backed up


def test_updates_leave_no_copies_of_the_item_behind(fast_moto: Any) -> None:
    import gc

    from moto.dynamodb.models.dynamo_type import Item

    ddb, _ = fast_moto
    key = {"pk": {"S": "CASE#001"}, "sk": {"S": "CASE"}}
    ddb.put_item(TableName=TABLE, Item=_item(1, "CASE"))

    def live_items() -> int:
        gc.collect()
        return sum(isinstance(o, Item) for o in gc.get_objects())

    before = live_items()
    for _ in range(50):
        ddb.update_item(
            TableName=TABLE,
            Key=key,
            UpdateExpression="SET n = n + :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
    assert live_items() == before  # moto copies the item twice per update; no copy is kept
