"""Index keys for cases stored before an index existed: the one-off backfill after a deploy.

A case item carries the key of every index it belongs to, written by ``codec.case_item`` in
the same transaction as each change. An index added later (the phone search's ``PHONE#`` key,
the agency queue's ``by_agency_due``) holds a case only once the case changes again. This
walks every case through ``by_state`` (one partition per state: Queries, never a Scan) and
adds the keys the item lacks, on the condition that the case is still at the version read: a
case changed meanwhile was rewritten whole by that change, with its keys, and is skipped.

Only index keys are written (``SET`` of the ``gsi_*`` attributes that are missing or differ from
what ``case_item`` writes today, e.g. the phone keys after the link secret was rotated): the
case's document, its version and its history are not touched, so running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ...domain.model import State
from .codec import INDEX_BY_STATE, PhoneKey, Table, case_item, to_case

KEY_PREFIX = "gsi_"


@dataclass
class Backfilled:
    read: int = 0  # cases read
    updated: int = 0  # cases given the keys they lacked (or held stale)
    changed_meanwhile: int = 0  # skipped: a change wrote them (and their keys) after the read


def stale_keys(item: dict[str, Any], phone_key: PhoneKey | None) -> dict[str, Any]:
    """The index keys ``case_item`` would write today that the stored item lacks or holds otherwise."""
    wanted = case_item(to_case(item), phone_key)
    return {k: v for k, v in wanted.items() if k.startswith(KEY_PREFIX) and item.get(k) != v}


def backfill_index_keys(table: Table, phone_key: PhoneKey | None) -> Backfilled:
    done = Backfilled()
    for state in State:
        for item in table.query_all(
            IndexName=INDEX_BY_STATE,
            KeyConditionExpression="gsi_state_pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"STATE#{state}"}},
        ):
            if item.get("entity", {}).get("S") != "case":
                continue
            done.read += 1
            keys = stale_keys(item, phone_key)
            if not keys:
                continue
            if _add(table, item, keys):
                done.updated += 1
            else:
                done.changed_meanwhile += 1
    return done


def _add(table: Table, item: dict[str, Any], keys: dict[str, Any]) -> bool:
    names = {f"#k{i}": name for i, name in enumerate(keys)}
    values = {f":k{i}": value for i, value in enumerate(keys.values())}
    try:
        table.client.update_item(
            TableName=table.name,
            Key={"pk": item["pk"], "sk": item["sk"]},
            UpdateExpression="SET " + ", ".join(f"#k{i} = :k{i}" for i in range(len(keys))),
            ConditionExpression="#version = :version",
            ExpressionAttributeNames=names | {"#version": "version"},
            ExpressionAttributeValues=values | {":version": item["version"]},
        )
    except ClientError as err:
        if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True
