"""The uploads the centre issued (``UploadStore``) and their claim in a case's transaction.

One item per presigned POST, ``UPLOAD#<id>`` / ``UPLOAD``: its owner, type and expiry. A
case that names the upload claims it in the same transaction as the case change
(:func:`claim_upload_update`): the condition makes one upload belong to one case, once,
and only to its owner. The TTL removes the item two days after issue; by then the raw
upload has been removed by the bucket's lifecycle rule too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ...ports import ClaimUpload, Upload
from .codec import Table, from_item, to_item

KEEP = timedelta(days=2)


def upload_key(upload_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"UPLOAD#{upload_id}"}, "sk": {"S": "UPLOAD"}}


def claim_upload_update(table: str, op: ClaimUpload) -> dict[str, Any]:
    """The transaction item that gives the upload to a case: fails when it was never issued, is
    someone else's, has expired or was used already."""
    return {
        "Update": {
            "TableName": table,
            "Key": upload_key(op.upload_id),
            "UpdateExpression": "SET claimed_by = :case, claimed_at = :at",
            "ConditionExpression": "attribute_exists(pk) AND #owner = :owner AND attribute_not_exists(claimed_by) "
            "AND expires_at >= :at",
            "ExpressionAttributeNames": {"#owner": "owner"},
            "ExpressionAttributeValues": {
                ":case": {"S": op.case_id},
                ":at": {"S": op.at.isoformat()},
                ":owner": {"S": op.owner},
            },
        }
    }


class DynamoUploads:
    """:class:`~complaints.ports.UploadStore` on the table."""

    def __init__(self, table: Table):
        self.table = table

    def issue(self, upload: Upload) -> None:
        doc = {
            **{k: v["S"] for k, v in upload_key(upload.upload_id).items()},
            "entity": "upload",
            "owner": upload.owner,
            "content_type": upload.content_type,
            "issued_at": upload.issued_at.isoformat(),
            "expires_at": upload.expires_at.isoformat(),
            "ttl": int((upload.issued_at + KEEP).timestamp()),
        }
        self.table.client.put_item(
            TableName=self.table.name, Item=to_item(doc), ConditionExpression="attribute_not_exists(pk)"
        )

    def get(self, upload_id: str) -> Upload | None:
        item = self.table.client.get_item(TableName=self.table.name, Key=upload_key(upload_id), ConsistentRead=True)
        if "Item" not in item:
            return None
        doc = from_item(item["Item"])
        return Upload(
            upload_id=upload_id,
            owner=doc["owner"],
            content_type=doc["content_type"],
            issued_at=datetime.fromisoformat(doc["issued_at"]),
            expires_at=datetime.fromisoformat(doc["expires_at"]),
            claimed_by=doc.get("claimed_by"),
        )
