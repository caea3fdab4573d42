"""The report's aggregates in the table (access patterns 19–23 of ``docs/data-model.md``).

Items:

- day counters  pk ``KPI#<month>``     sk ``<scope>``  one attribute ``d<YYYY-MM-DD>`` per local day: the map of
                counters that day's events add to the scope in that month; a day is rewritten whole, so a
                re-run or a retry never counts twice
- roll-up mark  pk ``ROLLUP``          sk ``DAY#<date>`` when and whether after the day ended; ``sk = LAST``
                holds ``complete_through``, the last day rolled up after it ended (moves forward only)
- frozen month  pk ``REPORT#<month>``  sk ``FINAL``    the report document kept on the 1st (first freeze wins)
- e-mail        pk ``REPORT#<month>``  sk ``EMAIL``    claimed before sending, then sent: once
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from botocore.exceptions import ClientError

from ...domain.calendar import BANGKOK, local_month
from ...domain.events import HistoryEvent
from .codec import INDEX_BY_MONTH, Table, sortable, to_event, to_item

DAY_PREFIX = "d"


def _conditional_failed(err: ClientError) -> bool:
    return err.response["Error"]["Code"] == "ConditionalCheckFailedException"


class DynamoReports:
    """:class:`~complaints.ports.ReportStore` on the table."""

    def __init__(self, table: Table):
        self.table = table
        self.client = table.client

    def events_of_day(self, day: date) -> Iterator[HistoryEvent]:
        start = datetime.combine(day, time.min, tzinfo=BANGKOK)
        end = start + timedelta(days=1) - timedelta(milliseconds=1)
        for item in self.table.query_all(
            IndexName=INDEX_BY_MONTH,
            KeyConditionExpression="gsi_month_pk = :pk AND gsi_month_sk BETWEEN :from AND :to",
            ExpressionAttributeValues={
                ":pk": {"S": f"MONTH#{local_month(start)}"},
                ":from": {"S": sortable(start)},
                ":to": {"S": sortable(end) + "~"},
            },
        ):
            yield to_event(item)

    def put_day(self, month: str, scope: str, day: date, counters: Mapping[str, int]) -> None:
        self.client.update_item(
            TableName=self.table.name,
            Key={"pk": {"S": f"KPI#{month}"}, "sk": {"S": scope}},
            UpdateExpression="SET #day = :counters, entity = :kpi",
            ExpressionAttributeNames={"#day": f"{DAY_PREFIX}{day.isoformat()}"},
            ExpressionAttributeValues={
                ":counters": {"M": {k: {"N": str(n)} for k, n in counters.items()}},
                ":kpi": {"S": "kpi"},
            },
        )

    def month(self, month: str) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for item in self.table.query_all(
            KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": f"KPI#{month}"}}
        ):
            total: Counter[str] = Counter()
            for name, value in item.items():
                if name.startswith(DAY_PREFIX) and "M" in value:
                    total.update({k: int(v["N"]) for k, v in value["M"].items()})
            out[item["sk"]["S"]] = dict(total)
        return out

    def rolled_up(self, day: date, complete: bool, at: datetime) -> None:
        self.client.put_item(
            TableName=self.table.name,
            Item=to_item({"pk": "ROLLUP", "sk": f"DAY#{day.isoformat()}", "at": at.isoformat(), "complete": complete}),
        )
        if not complete:
            return
        try:
            self.client.update_item(
                TableName=self.table.name,
                Key={"pk": {"S": "ROLLUP"}, "sk": {"S": "LAST"}},
                UpdateExpression="SET complete_through = :d",
                ConditionExpression="attribute_not_exists(complete_through) OR complete_through < :d",
                ExpressionAttributeValues={":d": {"S": day.isoformat()}},
            )
        except ClientError as err:
            if not _conditional_failed(err):
                raise

    def complete_through(self) -> date | None:
        item = self.client.get_item(
            TableName=self.table.name, Key={"pk": {"S": "ROLLUP"}, "sk": {"S": "LAST"}}, ConsistentRead=True
        ).get("Item")
        return date.fromisoformat(item["complete_through"]["S"]) if item else None

    def frozen(self, month: str) -> dict[str, Any] | None:
        item = self.client.get_item(
            TableName=self.table.name, Key={"pk": {"S": f"REPORT#{month}"}, "sk": {"S": "FINAL"}}, ConsistentRead=True
        ).get("Item")
        return json.loads(item["doc"]["S"]) if item else None

    def freeze(self, month: str, doc: Mapping[str, Any]) -> dict[str, Any]:
        item = {"pk": f"REPORT#{month}", "sk": "FINAL", "entity": "report", "doc": json.dumps(doc, ensure_ascii=False)}
        try:
            self.client.put_item(
                TableName=self.table.name, Item=to_item(item), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as err:
            if not _conditional_failed(err):
                raise
            return self.frozen(month) or dict(doc)
        return dict(doc)

    def claim_email(self, month: str, at: datetime, stale_before: datetime) -> bool:
        try:
            self.client.put_item(
                TableName=self.table.name,
                Item=to_item({"pk": f"REPORT#{month}", "sk": "EMAIL", "status": "sending", "at": sortable(at)}),
                ConditionExpression="attribute_not_exists(pk) OR (#s = :sending AND #at < :stale)",
                ExpressionAttributeNames={"#s": "status", "#at": "at"},
                ExpressionAttributeValues={":sending": {"S": "sending"}, ":stale": {"S": sortable(stale_before)}},
            )
        except ClientError as err:
            if _conditional_failed(err):
                return False
            raise
        return True

    def email_done(self, month: str, at: datetime, sent: bool) -> None:
        key = {"pk": {"S": f"REPORT#{month}"}, "sk": {"S": "EMAIL"}}
        if not sent:
            self.client.delete_item(TableName=self.table.name, Key=key)
            return
        self.client.update_item(
            TableName=self.table.name,
            Key=key,
            UpdateExpression="SET #s = :sent, #at = :at",
            ExpressionAttributeNames={"#s": "status", "#at": "at"},
            ExpressionAttributeValues={":sent": {"S": "sent"}, ":at": {"S": sortable(at)}},
        )
