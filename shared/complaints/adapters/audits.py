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

from ..domain.audit import Candidate, Draw, audit_id
from ..domain.calendar import BANGKOK
from ..domain.errors import NotFound
from .store import DRAW_PREFIX, DRAW_SHARDS, INDEX_BY_STATE, INDEX_DUE, _from_item, _to_item, event_key, sortable

OPEN = "AUDIT#open"
CHUNK = 40  # candidates per transaction (each is one item; plus the record, audits and months: < 100)


def audit_key(audit: str) -> dict[str, Any]:
    return {"pk": {"S": f"AUDIT#{audit}"}, "sk": {"S": "META"}}


class AuditStore:
    def __init__(self, client: Any, table_name: str):
        self.client = client
        self.table = table_name

    def _query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        while True:
            page = self.client.query(TableName=self.table, **kwargs)
            yield from (_from_item(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # --- the draw -----------------------------------------------------------------------------

    def candidates(self, before: datetime) -> Iterator[Candidate]:
        """Completions not yet put to the draw, up to ``before``."""
        for shard in range(DRAW_SHARDS):
            for doc in self._query(IndexName=INDEX_DUE,
                                   KeyConditionExpression="gsi_due_pk = :pk AND gsi_due_sk < :before",
                                   ExpressionAttributeValues={":pk": {"S": f"{DRAW_PREFIX}{shard}"},
                                                              ":before": {"S": sortable(before)}}):
                at = datetime.fromisoformat(doc["at"]).astimezone(BANGKOK)
                agency = (doc.get("by") or {}).get("agency_id") or "-"
                yield Candidate(doc["case_id"], int(doc["seq"]), agency, at.strftime("%Y-%m"))

    def record(self, day: str, agency: str, draws: Sequence[Draw], rate: float, source: str,
               at: datetime) -> list[str]:
        """Record one agency's draw of the day, chunk by chunk; the audits it opened."""
        opened: list[str] = []
        for start in range(0, len(draws), CHUNK):
            chunk = draws[start:start + CHUNK]
            try:
                self.client.transact_write_items(TransactItems=self._draw_items(day, agency, chunk, rate, source, at))
            except ClientError as err:
                if err.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                continue  # another draw took these candidates first: nothing recorded twice
            opened += [audit_id(d.candidate.case_id, d.candidate.seq) for d in chunk if d.drawn]
        return opened

    def _draw_items(self, day: str, agency: str, chunk: Sequence[Draw], rate: float, source: str,
                    at: datetime) -> list[dict[str, Any]]:
        first = chunk[0].candidate
        record = {"pk": f"DRAW#{day}", "sk": f"{agency}#{first.case_id}-{first.seq}", "entity": "draw",
                  "rate": rate, "source": source, "at": at.isoformat(),
                  "draws": json.dumps([{"case_id": d.candidate.case_id, "seq": d.candidate.seq,
                                        "value": d.value, "drawn": d.drawn} for d in chunk])}
        items: list[dict[str, Any]] = [{"Put": {"TableName": self.table, "Item": _to_item(record),
                                                "ConditionExpression": "attribute_not_exists(pk)"}}]
        for d in chunk:
            c = d.candidate
            items.append({"Update": {
                "TableName": self.table, "Key": event_key(c.case_id, c.seq),
                "UpdateExpression": "REMOVE gsi_due_pk, gsi_due_sk",
                "ConditionExpression": "begins_with(gsi_due_pk, :draw)",
                "ExpressionAttributeValues": {":draw": {"S": DRAW_PREFIX}}}})
            if d.drawn:
                items.append(self._audit_put(c, at))
        for month in sorted({d.candidate.month for d in chunk}):
            drawn = sum(1 for d in chunk if d.drawn and d.candidate.month == month)
            pool = [f"{d.candidate.case_id}#{d.candidate.seq}" for d in chunk
                    if not d.drawn and d.candidate.month == month]
            values: dict[str, Any] = {":n": {"N": str(drawn)}}
            update = "ADD #drawn :n"
            if pool:
                update += ", #pool :pool"
                values[":pool"] = {"SS": pool}
            items.append({"Update": {"TableName": self.table,
                                     "Key": {"pk": {"S": f"AUDITMONTH#{month}"}, "sk": {"S": agency}},
                                     "UpdateExpression": update, "ExpressionAttributeValues": values,
                                     "ExpressionAttributeNames": {"#drawn": "drawn"} | (
                                         {"#pool": "pool"} if pool else {})}})
        return items

    def _audit_put(self, c: Candidate, at: datetime) -> dict[str, Any]:
        audit = audit_id(c.case_id, c.seq)
        doc = {"pk": f"AUDIT#{audit}", "sk": "META", "entity": "audit", "id": audit, "case_id": c.case_id,
               "seq": c.seq, "agency_id": c.agency_id, "status": "open", "drawn_at": at.isoformat(),
               "gsi_state_pk": OPEN, "gsi_state_sk": f"{sortable(at)}#{audit}"}
        return {"Put": {"TableName": self.table, "Item": _to_item(doc),
                        "ConditionExpression": "attribute_not_exists(pk)"}}

    # --- the monthly minimum ------------------------------------------------------------------

    def months(self, month: str) -> list[dict[str, Any]]:
        """Each agency's tally for a month."""
        return list(self._query(KeyConditionExpression="pk = :pk",
                                ExpressionAttributeValues={":pk": {"S": f"AUDITMONTH#{month}"}}))

    def settle(self, month: str, agency: str, chosen: Candidate, pool: Sequence[str], index: int,
               source: str, at: datetime) -> bool:
        """Open the month's one audit for an agency that had none; False when it already had.
        The record keeps the (sorted) pool and the index drawn uniformly from it."""
        record = {"pk": f"DRAW#{at.astimezone(BANGKOK).date().isoformat()}", "sk": f"{agency}#minimum-{month}",
                  "entity": "draw", "source": source, "at": at.isoformat(), "month_minimum": True,
                  "method": "uniform index over the sorted pool", "pool": json.dumps(list(pool)), "index": index,
                  "draws": json.dumps([{"case_id": chosen.case_id, "seq": chosen.seq, "drawn": True}])}
        try:
            self.client.transact_write_items(TransactItems=[
                {"Update": {"TableName": self.table,
                            "Key": {"pk": {"S": f"AUDITMONTH#{month}"}, "sk": {"S": agency}},
                            "UpdateExpression": "SET #drawn = :one, settled = :at",
                            "ConditionExpression": "#drawn = :zero",
                            "ExpressionAttributeNames": {"#drawn": "drawn"},
                            "ExpressionAttributeValues": {":one": {"N": "1"}, ":zero": {"N": "0"},
                                                          ":at": {"S": at.isoformat()}}}},
                {"Put": {"TableName": self.table, "Item": _to_item(record),
                         "ConditionExpression": "attribute_not_exists(pk)"}},
                self._audit_put(chosen, at)])
        except ClientError as err:
            if err.response["Error"]["Code"] == "TransactionCanceledException":
                return False
            raise
        return True

    # --- auditors -------------------------------------------------------------------------------

    def open_audits(self) -> list[dict[str, Any]]:
        """Every audit waiting for a verdict, oldest first."""
        return list(self._query(IndexName=INDEX_BY_STATE, KeyConditionExpression="gsi_state_pk = :pk",
                                ExpressionAttributeValues={":pk": {"S": OPEN}}))

    def get(self, audit: str) -> dict[str, Any]:
        item = self.client.get_item(TableName=self.table, Key=audit_key(audit), ConsistentRead=True).get("Item")
        if not item:
            raise NotFound(f"no audit '{audit}'")
        return _from_item(item)

    def verdict_item(self, audit: str, verdict: str, note: str | None, auditor: str, at: datetime) -> dict[str, Any]:
        """The transaction item that closes an open audit (it fails if the audit is decided already)."""
        return {"Update": {
            "TableName": self.table, "Key": audit_key(audit),
            "UpdateExpression": "SET #s = :v, note = :note, auditor = :who, decided_at = :at "
                                "REMOVE gsi_state_pk, gsi_state_sk",
            "ConditionExpression": "#s = :open",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":v": {"S": verdict}, ":note": {"S": note or ""},
                                          ":who": {"S": auditor}, ":at": {"S": at.isoformat()},
                                          ":open": {"S": "open"}}}}

    def mark_reminded(self, audit: str, at: datetime) -> bool:
        """Remind once: True for the one caller that set the mark."""
        try:
            self.client.update_item(TableName=self.table, Key=audit_key(audit),
                                    UpdateExpression="SET reminded_at = :at",
                                    ConditionExpression="attribute_not_exists(reminded_at) AND #s = :open",
                                    ExpressionAttributeNames={"#s": "status"},
                                    ExpressionAttributeValues={":at": {"S": at.isoformat()},
                                                               ":open": {"S": "open"}})
        except ClientError as err:
            if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def unmark_reminded(self, audit: str) -> None:
        self.client.update_item(TableName=self.table, Key=audit_key(audit), UpdateExpression="REMOVE reminded_at")

