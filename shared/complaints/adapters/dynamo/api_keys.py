"""API keys in the table (access patterns 34–39 of ``docs/data-model.md``).

- a key: ``pk = APIKEY``, ``sk = <id>``: its name, the hash of its secret (never the secret),
  who issued it when, who revoked it when, when it was last used. One partition: ``GET
  /api-keys`` is one Query, a check one strongly consistent GetItem.
- a key's writes in a UTC minute: ``pk = APIKEY#<id>``, ``sk = WRITES#<minute>``, ``writes``
  raised by one on ``writes < :limit``, gone by TTL a day later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from ...domain.api_keys import WINDOW, StoredKey
from ...domain.errors import Conflict
from .codec import Table, from_item, to_item
from .counters import count_under

PARTITION = "APIKEY"
#: A minute's counter is kept a day after the minute (the TTL deletes it within a day or two after).
COUNTER_KEPT = timedelta(days=1)
_FIELDS = ("name", "secret_hash", "created_by", "revoked_by")
_INSTANTS = ("created_at", "revoked_at", "last_used_at")


def _key(key_id: str) -> dict[str, Any]:
    return {"pk": {"S": PARTITION}, "sk": {"S": key_id}}


def _failed_condition(err: ClientError) -> bool:
    return err.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def _instant(at: datetime) -> str:
    """UTC, so that instants compare as strings (``touch``'s condition)."""
    return at.astimezone(UTC).isoformat()


def _stored(item: dict[str, Any]) -> StoredKey:
    doc = from_item(item)
    instants = {f: datetime.fromisoformat(doc[f]) if doc.get(f) else None for f in _INSTANTS}
    return StoredKey(id=doc["sk"], **{f: doc.get(f) for f in _FIELDS}, **instants)  # type: ignore[arg-type]


class DynamoApiKeys:
    """:class:`~complaints.ports.ApiKeyStore` on the table."""

    def __init__(self, table: Table):
        self.table = table

    def add(self, key: StoredKey) -> None:
        item = {
            "pk": PARTITION,
            "sk": key.id,
            "entity": "api_key",
            "name": key.name,
            "secret_hash": key.secret_hash,
            "created_at": _instant(key.created_at),
            "created_by": key.created_by,
        }
        try:
            self.table.client.put_item(
                TableName=self.table.name, Item=to_item(item), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as err:
            if _failed_condition(err):
                raise Conflict(f"API key id {key.id} is taken") from err
            raise

    def get(self, key_id: str) -> StoredKey | None:
        found = self.table.client.get_item(TableName=self.table.name, Key=_key(key_id), ConsistentRead=True)
        return _stored(found["Item"]) if "Item" in found else None

    def all(self) -> list[StoredKey]:
        keys = [
            _stored(item)
            for item in self.table.query_all(
                KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": PARTITION}}
            )
        ]
        return sorted(keys, key=lambda k: (k.created_at, k.id))

    def revoke(self, key_id: str, at: datetime, by: str) -> bool:
        return self._update(
            key_id,
            "SET revoked_at = :at, revoked_by = :by",
            "attribute_exists(pk) AND attribute_not_exists(revoked_at)",
            {":at": {"S": _instant(at)}, ":by": {"S": by}},
        )

    def touch(self, key_id: str, at: datetime) -> None:
        self._update(
            key_id,
            "SET last_used_at = :at",
            "attribute_exists(pk) AND (attribute_not_exists(last_used_at) OR last_used_at < :at)",
            {":at": {"S": _instant(at)}},
        )

    def _update(self, key_id: str, update: str, condition: str, values: dict[str, Any]) -> bool:
        try:
            self.table.client.update_item(
                TableName=self.table.name,
                Key=_key(key_id),
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
            )
        except ClientError as err:
            if _failed_condition(err):
                return False
            raise
        return True

    def count_write(self, key_id: str, window: datetime, limit: int) -> bool:
        expires = window + WINDOW + COUNTER_KEPT
        key = {"pk": {"S": f"{PARTITION}#{key_id}"}, "sk": {"S": f"WRITES#{window.strftime('%Y-%m-%dT%H:%MZ')}"}}
        return count_under(self.table, key, "writes", limit, expires)
