"""Storing the audit: draw records, audits, and each agency's month (same table as the cases).

Items:

- audit        pk ``AUDIT#<case>-<seq>`` sk ``META``     status open → consistent | inconsistent; while
               open it sits in the ``by_state`` index under ``AUDIT#open`` (index overloading)
- draw record  pk ``DRAW#<date>``        sk ``<agency>#<first case>``  every number drawn, the rate, the source
- month        pk ``AUDITMONTH#<yyyy-mm>`` sk ``<agency>``  audits drawn, completions not drawn (the pool)

Completed events wait for the draw in the due index under ``DRAW#<shard>``;
one transaction records the draw, creates the audits, takes the candidates out
of the index and counts the month, so a draw can never happen twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ...domain.audit import Candidate, Draw, audit_id
from ...domain.calendar import BANGKOK
from ...domain.errors import NotFound
from ...ports import Audit, AuditTally, CloseAudit
from .codec import DRAW_PREFIX, DRAW_SHARDS, INDEX_BY_STATE, INDEX_DUE, Table, event_key, from_item, sortable, to_item
from .errors import cancelled_by_conflict

OPEN = "AUDIT#open"
CHUNK = 40  # candidates per transaction (each is one item; plus the record, audits and months: < 100)


def audit_key(audit: str) -> dict[str, Any]:
    return {"pk": {"S": f"AUDIT#{audit}"}, "sk": {"S": "META"}}


def _audit(doc: dict[str, Any]) -> Audit:
    return Audit(
        id=doc["id"],
        case_id=doc["case_id"],
        seq=int(doc["seq"]),
        agency_id=doc["agency_id"],
        status=doc["status"],
        drawn_at=doc["drawn_at"],
        reminded_at=doc.get("reminded_at"),
    )


def close_audit_update(table: str, op: CloseAudit) -> dict[str, Any]:
    """The transaction item that closes an open audit (it fails if the audit is decided already)."""
    return {
        "Update": {
            "TableName": table,
            "Key": audit_key(op.audit_id),
            "UpdateExpression": "SET #s = :v, note = :note, auditor = :who, decided_at = :at "
            "REMOVE gsi_state_pk, gsi_state_sk",
            "ConditionExpression": "#s = :open",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {
                ":v": {"S": op.verdict},
                ":note": {"S": op.note or ""},
                ":who": {"S": op.auditor},
                ":at": {"S": op.at.isoformat()},
                ":open": {"S": "open"},
            },
        }
    }


def _drawn(d: Draw) -> dict[str, Any]:
    """A candidate as its draw record keeps it: its number, its flag and whether it was drawn."""
    c = d.candidate
    return {"case_id": c.case_id, "seq": c.seq, "value": d.value, "flagged": c.flagged, "drawn": d.drawn}


class DynamoAudits:
    """:class:`~complaints.ports.AuditRepository` on the table."""

    def __init__(self, table: Table):
        self.table = table
        self.client = table.client

    def _query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        return (from_item(i) for i in self.table.query_all(**kwargs))

    # --- the draw -----------------------------------------------------------------------------

    def candidates(self, before: datetime) -> Iterator[Candidate]:
        """Completions not yet put to the draw, up to ``before``."""
        for shard in range(DRAW_SHARDS):
            for doc in self._query(
                IndexName=INDEX_DUE,
                KeyConditionExpression="gsi_due_pk = :pk AND gsi_due_sk < :before",
                ExpressionAttributeValues={":pk": {"S": f"{DRAW_PREFIX}{shard}"}, ":before": {"S": sortable(before)}},
            ):
                at = datetime.fromisoformat(doc["at"]).astimezone(BANGKOK)
                agency = (doc.get("by") or {}).get("agency_id") or "-"
                flagged = bool((doc.get("data") or {}).get("flags"))
                yield Candidate(doc["case_id"], int(doc["seq"]), agency, at.strftime("%Y-%m"), flagged)

    def record(self, day: str, agency: str, draws: Sequence[Draw], rate: float, source: str, at: datetime) -> list[str]:
        """Record one agency's draw of the day, chunk by chunk; the audits it opened."""
        opened: list[str] = []
        for start in range(0, len(draws), CHUNK):
            chunk = draws[start : start + CHUNK]
            try:
                self.client.transact_write_items(TransactItems=self._draw_items(day, agency, chunk, rate, source, at))
            except ClientError as err:
                if not cancelled_by_conflict(err):
                    raise
                continue  # another draw took these candidates first: nothing recorded twice
            opened += [audit_id(d.candidate.case_id, d.candidate.seq) for d in chunk if d.drawn]
        return opened

    def _draw_items(
        self, day: str, agency: str, chunk: Sequence[Draw], rate: float, source: str, at: datetime
    ) -> list[dict[str, Any]]:
        first = chunk[0].candidate
        record = {
            "pk": f"DRAW#{day}",
            "sk": f"{agency}#{first.case_id}-{first.seq}",
            "entity": "draw",
            "rate": rate,
            "source": source,
            "at": at.isoformat(),
            "draws": json.dumps([_drawn(d) for d in chunk]),
        }
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table.name,
                    "Item": to_item(record),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        ]
        for d in chunk:
            c = d.candidate
            items.append(
                {
                    "Update": {
                        "TableName": self.table.name,
                        "Key": event_key(c.case_id, c.seq),
                        "UpdateExpression": "REMOVE gsi_due_pk, gsi_due_sk",
                        "ConditionExpression": "begins_with(gsi_due_pk, :draw)",
                        "ExpressionAttributeValues": {":draw": {"S": DRAW_PREFIX}},
                    }
                }
            )
            if d.drawn:
                items.append(self._audit_put(c, at))
        for month in sorted({d.candidate.month for d in chunk}):
            drawn = sum(1 for d in chunk if d.drawn and d.candidate.month == month)
            pool = [
                f"{d.candidate.case_id}#{d.candidate.seq}" for d in chunk if not d.drawn and d.candidate.month == month
            ]
            values: dict[str, Any] = {":n": {"N": str(drawn)}}
            update = "ADD #drawn :n"
            if pool:
                update += ", #pool :pool"
                values[":pool"] = {"SS": pool}
            items.append(
                {
                    "Update": {
                        "TableName": self.table.name,
                        "Key": {"pk": {"S": f"AUDITMONTH#{month}"}, "sk": {"S": agency}},
                        "UpdateExpression": update,
                        "ExpressionAttributeValues": values,
                        "ExpressionAttributeNames": {"#drawn": "drawn"} | ({"#pool": "pool"} if pool else {}),
                    }
                }
            )
        return items

    def _audit_put(self, c: Candidate, at: datetime) -> dict[str, Any]:
        audit = audit_id(c.case_id, c.seq)
        doc = {
            "pk": f"AUDIT#{audit}",
            "sk": "META",
            "entity": "audit",
            "id": audit,
            "case_id": c.case_id,
            "seq": c.seq,
            "agency_id": c.agency_id,
            "status": "open",
            "drawn_at": at.isoformat(),
            "gsi_state_pk": OPEN,
            "gsi_state_sk": f"{sortable(at)}#{audit}",
        }
        return {
            "Put": {
                "TableName": self.table.name,
                "Item": to_item(doc),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    # --- the monthly minimum ------------------------------------------------------------------

    def months(self, month: str) -> list[AuditTally]:
        """Each agency's tally for a month."""
        return [
            AuditTally(agency_id=doc["sk"], drawn=int(doc.get("drawn", 0)), pool=list(doc.get("pool") or []))
            for doc in self._query(
                KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": f"AUDITMONTH#{month}"}}
            )
        ]

    def settle(
        self, month: str, agency: str, chosen: Candidate, pool: Sequence[str], index: int, source: str, at: datetime
    ) -> bool:
        """Open the month's one audit for an agency that had none; False when it already had.
        The record keeps the (sorted) pool and the index drawn uniformly from it."""
        record = {
            "pk": f"DRAW#{at.astimezone(BANGKOK).date().isoformat()}",
            "sk": f"{agency}#minimum-{month}",
            "entity": "draw",
            "source": source,
            "at": at.isoformat(),
            "month_minimum": True,
            "method": "uniform index over the sorted pool",
            "pool": json.dumps(list(pool)),
            "index": index,
            "draws": json.dumps([{"case_id": chosen.case_id, "seq": chosen.seq, "drawn": True}]),
        }
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self.table.name,
                            "Key": {"pk": {"S": f"AUDITMONTH#{month}"}, "sk": {"S": agency}},
                            "UpdateExpression": "SET #drawn = :one, settled = :at",
                            "ConditionExpression": "#drawn = :zero",
                            "ExpressionAttributeNames": {"#drawn": "drawn"},
                            "ExpressionAttributeValues": {
                                ":one": {"N": "1"},
                                ":zero": {"N": "0"},
                                ":at": {"S": at.isoformat()},
                            },
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.table.name,
                            "Item": to_item(record),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    self._audit_put(chosen, at),
                ]
            )
        except ClientError as err:
            if cancelled_by_conflict(err):
                return False
            raise
        return True

    # --- auditors -------------------------------------------------------------------------------

    def open_audits(self) -> list[Audit]:
        """Every audit waiting for a verdict, oldest first."""
        return [
            _audit(doc)
            for doc in self._query(
                IndexName=INDEX_BY_STATE,
                KeyConditionExpression="gsi_state_pk = :pk",
                ExpressionAttributeValues={":pk": {"S": OPEN}},
            )
        ]

    def get(self, audit_id: str) -> Audit:
        item = self.client.get_item(TableName=self.table.name, Key=audit_key(audit_id), ConsistentRead=True).get("Item")
        if not item:
            raise NotFound(f"no audit '{audit_id}'")
        return _audit(from_item(item))

    def mark_reminded(self, audit_id: str, at: datetime) -> bool:
        """Remind once: True for the one caller that set the mark."""
        try:
            self.client.update_item(
                TableName=self.table.name,
                Key=audit_key(audit_id),
                UpdateExpression="SET reminded_at = :at",
                ConditionExpression="attribute_not_exists(reminded_at) AND #s = :open",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":at": {"S": at.isoformat()}, ":open": {"S": "open"}},
            )
        except ClientError as err:
            if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def unmark_reminded(self, audit_id: str) -> None:
        self.client.update_item(
            TableName=self.table.name, Key=audit_key(audit_id), UpdateExpression="REMOVE reminded_at"
        )
