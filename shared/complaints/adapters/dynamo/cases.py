"""Cases and their history in the table (access patterns 1–3, 7, 13, 28, 31–32 of ``docs/data-model.md``).

A change writes the case and its new events in one ``TransactWriteItems``: the
case on the condition that its version is still the one read (or that it does
not exist yet), each event on the condition that it does not exist. A
concurrent writer therefore gets :class:`Conflict`, never a silent overwrite,
and state and history can never drift apart. How each cancellation reason is
answered (conflict, busy, or a fault of ours): ``errors.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ...domain.changes import Change
from ...domain.errors import Conflict, NotFound, UsedMeanwhile
from ...domain.events import HistoryEvent
from ...domain.model import Case, State
from ...ports import AlsoWrite, CaseQuery, CaseRecord, ClaimUpload, Page
from .audits import close_audit_update
from .codec import (
    DUE_SHARDS,
    INDEX_DUE,
    PhoneKey,
    Table,
    case_item,
    case_key,
    event_item,
    event_key,
    from_item,
    sortable,
    to_case,
    to_event,
)
from .errors import cancelled_by_conflict
from .listing import count_agency_due, list_page, phone_page, received_between
from .uploads import claim_upload_update


class DynamoCases:
    """:class:`~complaints.ports.CaseRepository` on the table."""

    def __init__(self, table: Table, phone_key: PhoneKey | None = None):
        self.table = table
        # E.164 phone → keyed hash (the wiring passes it with the secret): the search-by-phone key
        self.phone_key = phone_key

    # --- writes -------------------------------------------------------------------

    def create(self, change: Change, also: Sequence[AlsoWrite] = ()) -> None:
        """Store a new case; :class:`Conflict` when the id is taken (caller draws another) or an
        ``also`` write's condition fails (an upload used meanwhile)."""
        self._write(change, {"ConditionExpression": "attribute_not_exists(pk)"}, [self._also(op) for op in also])

    def save(self, change: Change, also: Sequence[AlsoWrite] = ()) -> None:
        """Store a change on the condition that the case is still at the version it was read at;
        ``also``: more writes that must succeed or fail with it (an audit's verdict)."""
        condition = {
            "ConditionExpression": "#v = :expected",
            "ExpressionAttributeNames": {"#v": "version"},
            "ExpressionAttributeValues": {":expected": {"N": str(change.expected_version)}},
        }
        self._write(change, condition, [self._also(op) for op in also])

    def _also(self, op: AlsoWrite) -> dict[str, Any]:
        if isinstance(op, ClaimUpload):
            return claim_upload_update(self.table.name, op)
        return close_audit_update(self.table.name, op)

    def _write(self, change: Change, condition: dict[str, Any], also: Sequence[dict[str, Any]] = ()) -> None:
        name = self.table.name
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": name,
                    "Item": case_item(change.case, self.phone_key),
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    **condition,
                }
            }
        ]
        items += [
            {
                "Put": {
                    "TableName": name,
                    "Item": event_item(change.case.id, e),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            for e in change.events
        ]
        items += list(also)
        try:
            self.table.client.transact_write_items(TransactItems=items)
        except ClientError as err:
            if not cancelled_by_conflict(err):
                raise  # a fault of ours (ValidationError, item collection full…): 500 and the alarm
            reasons = err.response.get("CancellationReasons") or []
            if reasons and str(reasons[0].get("Code") or "None") == "None":
                others = reasons[1 + len(change.events) :]
                if any(r.get("Code") == "ConditionalCheckFailed" for r in others):
                    raise UsedMeanwhile(
                        "a photo or audit this change names was used or decided by someone else first"
                    ) from err
            old = reasons[0].get("Item") if reasons else None  # the case, when its condition failed
            state = from_item(old).get("state") if old else None
            suffix = f"; it is now '{state}'" if state else ""
            raise Conflict(
                f"case {change.case.id} was changed by someone else{suffix}; reload it and try again"
            ) from err

    # --- reads --------------------------------------------------------------------

    def get(self, case_id: str) -> CaseRecord:
        """The case and its history in one Query (they share a partition)."""
        items = list(
            self.table.query_all(
                KeyConditionExpression="pk = :pk",
                ConsistentRead=True,
                ExpressionAttributeValues={":pk": {"S": f"CASE#{case_id}"}},
            )
        )
        meta = next((i for i in items if i["sk"]["S"] == "META"), None)
        if meta is None:
            raise NotFound(f"no complaint '{case_id}'")
        return CaseRecord(to_case(meta), [to_event(i) for i in items if i["sk"]["S"].startswith("EVT#")])

    def get_case(self, case_id: str) -> Case:
        """The case item alone (no history), strongly consistent."""
        item = self.table.client.get_item(TableName=self.table.name, Key=case_key(case_id), ConsistentRead=True).get(
            "Item"
        )
        if not item:
            raise NotFound(f"no complaint '{case_id}'")
        return to_case(item)

    def get_event(self, case_id: str, seq: int) -> HistoryEvent:
        item = self.table.client.get_item(
            TableName=self.table.name, Key=event_key(case_id, seq), ConsistentRead=True
        ).get("Item")
        if not item:
            raise NotFound(f"no event {seq} of complaint '{case_id}'")
        return to_event(item)

    def list(self, query: CaseQuery, limit: int, cursor: str | None) -> Page:
        return list_page(self.table, query, limit, cursor)

    def by_phone(self, phone: str, limit: int, cursor: str | None) -> Page:
        """The cases whose complainant gave this E.164 phone, newest first (a Query, never a Scan)."""
        if self.phone_key is None:
            raise RuntimeError("DynamoCases was built without a phone_key: it cannot search by phone")
        return phone_page(self.table, self.phone_key(phone), limit, cursor)

    def received(
        self, states: Sequence[State], start: datetime, end: datetime, categories: Sequence[str], limit: int
    ) -> list[Case]:
        """Newest first: a Query of each state's partition of the state index, merged (never a Scan)."""
        return received_between(self.table, states, start, end, categories, limit)

    def count_due(self, agency: str, start: datetime | None, end: datetime) -> int:
        """An agency's running duty deadlines in [start, end): a counting Query, never a Scan."""
        return count_agency_due(self.table, agency, start, end)

    def due_between(self, start: datetime, end: datetime) -> Iterator[Case]:
        """Cases whose running deadline falls in [start, end], from the sparse due index, shard by shard."""
        yield from self._due(
            "gsi_due_sk BETWEEN :from AND :to", {":from": {"S": sortable(start)}, ":to": {"S": sortable(end) + "~"}}
        )

    def due_before(self, now: datetime) -> Iterator[Case]:
        """Every case whose running deadline has passed: the due index up to ``now``, shard by
        shard, page by page. It reads the late cases and nothing else."""
        yield from self._due("gsi_due_sk < :now", {":now": {"S": sortable(now)}})

    def _due(self, condition: str, values: dict[str, Any]) -> Iterator[Case]:
        for n in range(DUE_SHARDS):
            for item in self.table.query_all(
                IndexName=INDEX_DUE,
                KeyConditionExpression=f"gsi_due_pk = :pk AND {condition}",
                ExpressionAttributeValues=values | {":pk": {"S": f"DUE#{n}"}},
            ):
                yield to_case(item)
