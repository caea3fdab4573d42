"""A counter item raised only while under its limit, gone by TTL: the per-recipient notice limit
(``privacy``) and the per-key filing limit (``api_keys``) are both one of these."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from .codec import Table


def count_under(table: Table, key: dict[str, Any], attribute: str, limit: int, expires: datetime) -> bool:
    """Add one to ``attribute`` of the item at ``key`` if it is under ``limit`` (one conditional
    ``UpdateItem``; the item is made on first use, its ``ttl`` set to ``expires``). False, and
    nothing counted, when the limit is reached."""
    try:
        table.client.update_item(
            TableName=table.name,
            Key=key,
            UpdateExpression="ADD #n :one SET #ttl = :ttl",
            ConditionExpression="attribute_not_exists(#n) OR #n < :limit",
            ExpressionAttributeNames={"#n": attribute, "#ttl": "ttl"},
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":limit": {"N": str(limit)},
                ":ttl": {"N": str(int(expires.timestamp()))},
            },
        )
    except ClientError as err:
        if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True
