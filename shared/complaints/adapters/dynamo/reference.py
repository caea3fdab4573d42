"""The reference data changed at run time, in the table (access patterns 29, 30, 33, ``docs/data-model.md``).

Items, in a partition of their own (so that a function that only reads the catalogue is granted
this partition and nothing else):

- current   pk ``REFERENCE``  sk ``CURRENT``            ``version``, ``agencies`` and ``categories``
            (maps: per id, the fields that differ from the bundled data; an added one, all)
- change    pk ``REFERENCE``  sk ``CHANGE#<version:08d>``  who (role, user id), when, before, after

A change is one ``TransactWriteItems``: the current item on the version that was read (absent
when nothing was stored yet), and its change item on ``attribute_not_exists``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ...domain.errors import Conflict, InvalidInput
from ...domain.model import Actor
from ...domain.reference import ReferenceChange, Stored
from ...ports import ChangePage
from .codec import Table, from_item, to_item
from .errors import cancelled_by_conflict

PK = "REFERENCE"
CURRENT = {"pk": {"S": PK}, "sk": {"S": "CURRENT"}}
CHANGE = "CHANGE#"


def change_sk(version: int) -> str:
    return f"{CHANGE}{version:08d}"


class DynamoReference:
    """:class:`~complaints.ports.ReferenceStore` on the table."""

    def __init__(self, table: Table):
        self.table = table

    def version(self) -> int:
        out = self.table.client.get_item(
            TableName=self.table.name,
            Key=CURRENT,
            ProjectionExpression="#v",
            ExpressionAttributeNames={"#v": "version"},
            ConsistentRead=True,
        )
        return int(out["Item"]["version"]["N"]) if "Item" in out else 0

    def load(self) -> Stored:
        out = self.table.client.get_item(TableName=self.table.name, Key=CURRENT, ConsistentRead=True)
        if "Item" not in out:
            return Stored()
        doc = from_item(out["Item"])
        return Stored(int(doc["version"]), doc.get("agencies") or {}, doc.get("categories") or {})

    def save(self, expected: int, stored: Stored, change: ReferenceChange) -> None:
        current: dict[str, Any] = {
            "TableName": self.table.name,
            "Item": to_item(
                {
                    "pk": PK,
                    "sk": "CURRENT",
                    "entity": "reference",
                    "version": stored.version,
                    "agencies": dict(stored.agencies),
                    "categories": dict(stored.categories),
                    "updated_at": change.at.isoformat(),
                }
            ),
        }
        if expected:
            current |= {"ConditionExpression": "#v = :v", "ExpressionAttributeNames": {"#v": "version"}}
            current["ExpressionAttributeValues"] = {":v": {"N": str(expected)}}
        else:
            current["ConditionExpression"] = "attribute_not_exists(pk)"
        audit = {
            "TableName": self.table.name,
            "Item": to_item(_change_doc(change)),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
        try:
            self.table.client.transact_write_items(TransactItems=[{"Put": current}, {"Put": audit}])
        except ClientError as err:
            if cancelled_by_conflict(err):
                raise Conflict("another admin changed the reference data first") from err
            raise

    def changes(self, limit: int, cursor: str | None) -> ChangePage:
        """Newest first: one Query of the partition's change items (one more than asked, to know
        whether an older page exists)."""
        kwargs: dict[str, Any] = {
            "TableName": self.table.name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :change)",
            "ExpressionAttributeValues": {":pk": {"S": PK}, ":change": {"S": CHANGE}},
            "ScanIndexForward": False,
            "Limit": limit + 1,
        }
        if cursor is not None:
            if not cursor.isdigit():
                raise InvalidInput("the cursor is not valid for this list; start again without it")
            kwargs["ExclusiveStartKey"] = {"pk": {"S": PK}, "sk": {"S": change_sk(int(cursor))}}
        items = self.table.client.query(**kwargs).get("Items", [])
        changes = [_change(from_item(i)) for i in items[:limit]]
        more = len(items) > limit
        return ChangePage(changes, str(changes[-1].version) if more and changes else None)


def _change_doc(change: ReferenceChange) -> dict[str, Any]:
    return {
        "pk": PK,
        "sk": change_sk(change.version),
        "entity": "reference_change",
        "version": change.version,
        "at": change.at.isoformat(),
        "by": {"role": str(change.by.role), "id": change.by.id},
        "kind": change.kind,
        "key": change.key,
        "action": change.action,
        "before": dict(change.before) if change.before is not None else None,
        "after": dict(change.after),
    }


def _change(doc: dict[str, Any]) -> ReferenceChange:
    return ReferenceChange(
        version=int(doc["version"]),
        at=datetime.fromisoformat(doc["at"]),
        by=Actor.model_validate(doc["by"]),
        kind=doc["kind"],
        key=doc["key"],
        action=doc["action"],
        before=doc.get("before"),
        after=doc["after"],
    )
