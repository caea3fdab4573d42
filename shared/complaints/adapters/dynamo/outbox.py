"""The outbox on history events (access patterns 12 and 14 of ``docs/data-model.md``).

An event that owes notices carries ``sent`` and ``failures`` maps (delivery
bookkeeping, not history) and sits in the sparse ``outbox`` index until nothing
is owed any more.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ...domain.events import Notice
from ...ports import Claim
from .codec import INDEX_OUTBOX, OUTBOX_SHARDS, Table, event_key, from_item, sortable

SETTLED = ("sent", "skipped")


class DynamoOutbox:
    """:class:`~complaints.ports.OutboxStore` on the events' items."""

    def __init__(self, table: Table):
        self.table = table

    def owed(self) -> Iterator[tuple[str, int]]:
        """(case id, seq) of every event that still owes a notice: the sparse outbox index."""
        for n in range(OUTBOX_SHARDS):
            for item in self.table.query_all(
                IndexName=INDEX_OUTBOX,
                KeyConditionExpression="gsi_outbox_pk = :pk",
                ExpressionAttributeValues={":pk": {"S": f"OUTBOX#{n}"}},
            ):
                yield item["pk"]["S"].removeprefix("CASE#"), int(item["sk"]["S"].removeprefix("EVT#"))

    def claim(self, case_id: str, seq: int, notices: Sequence[Notice], at: datetime, stale_before: datetime) -> Claim:
        """Claim an event's owed notices for sending, in one conditional write.

        Claimed: the notices this caller may now send; done: those already sent or
        skipped. A notice another sender claimed is neither, unless its claim is
        older than ``stale_before`` (that sender died): it is claimed again.
        """
        old = self._claim(case_id, seq, notices, at, stale_before)
        if old is None:
            return Claim(list(notices), [])
        sent = old.get("sent") or {}
        done = [n for n in notices if sent.get(n, {}).get("outcome") in SETTLED]
        stale = sortable(stale_before)
        claimable = [
            n
            for n in notices
            if n not in sent or (sent[n].get("outcome") == "sending" and sent[n].get("at", "") < stale)
        ]
        if claimable and self._claim(case_id, seq, claimable, at, stale_before) is None:
            return Claim(claimable, done)
        return Claim([], done)  # nothing left, or another sender was quicker

    def _claim(
        self, case_id: str, seq: int, notices: Sequence[Notice], at: datetime, stale_before: datetime
    ) -> dict[str, Any] | None:
        """None when every notice was claimed; else the event as it was (nothing claimed)."""
        names = {f"#n{i}": str(n) for i, n in enumerate(notices)}
        try:
            self.table.client.update_item(
                TableName=self.table.name,
                Key=event_key(case_id, seq),
                UpdateExpression="SET " + ", ".join(f"sent.{k} = :claim" for k in names),
                ConditionExpression="attribute_exists(pk) AND "
                + " AND ".join(
                    f"(attribute_not_exists(sent.{k}) OR (sent.{k}.outcome = :sending AND sent.{k}.#at < :stale))"
                    for k in names
                ),
                ExpressionAttributeNames=names | {"#at": "at"},
                ExpressionAttributeValues={
                    ":claim": {"M": {"outcome": {"S": "sending"}, "at": {"S": sortable(at)}}},
                    ":sending": {"S": "sending"},
                    ":stale": {"S": sortable(stale_before)},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as err:
            if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return from_item(err.response.get("Item") or {})
        return None

    def finish(
        self, case_id: str, seq: int, outcomes: dict[Notice, str], failures: dict[Notice, str], at: datetime, done: bool
    ) -> None:
        """Record what became of claimed notices: ``sent``/``skipped`` for good, failures released
        for a retry. ``done``: nothing of the event is owed any more, it leaves the outbox index."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        sets, removes = [], []
        for i, (notice, outcome) in enumerate(outcomes.items()):
            names[f"#o{i}"] = str(notice)
            values[f":o{i}"] = {"M": {"outcome": {"S": outcome}, "at": {"S": sortable(at)}}}
            sets.append(f"sent.#o{i} = :o{i}")
            removes.append(f"failures.#o{i}")
        for i, (notice, error) in enumerate(failures.items()):
            names[f"#f{i}"] = str(notice)
            values[f":f{i}"] = {"M": {"error": {"S": error[:500]}, "at": {"S": sortable(at)}}}
            sets.append(f"failures.#f{i} = :f{i}")
            removes.append(f"sent.#f{i}")
        if done:
            removes += ["gsi_outbox_pk", "gsi_outbox_sk"]
        update = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        self.table.client.update_item(
            TableName=self.table.name,
            Key=event_key(case_id, seq),
            UpdateExpression=update,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
