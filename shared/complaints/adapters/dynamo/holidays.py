"""Special holidays in the table: ``pk = CONFIG``, ``sk = HOLIDAY#<date>`` (access pattern 9)."""

from __future__ import annotations

from datetime import date

from ...ports import SpecialHolidays
from .codec import Table, from_item, to_item


class DynamoHolidays:
    """:class:`~complaints.ports.HolidayStore` on the table."""

    def __init__(self, table: Table):
        self.table = table

    def special_holidays(self, since: date, until: date) -> SpecialHolidays:
        """Special holidays from ``since`` to ``until``: added with their names, official ones removed."""
        found = SpecialHolidays()
        for item in self.table.query_all(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :from AND :to",
            ExpressionAttributeValues={
                ":pk": {"S": "CONFIG"},
                ":from": {"S": f"HOLIDAY#{since.isoformat()}"},
                ":to": {"S": f"HOLIDAY#{until.isoformat()}"},
            },
        ):
            doc = from_item(item)
            day = date.fromisoformat(doc["sk"].removeprefix("HOLIDAY#"))
            if doc.get("removed"):
                found.removed.add(day)
            else:
                found.added[day] = doc.get("name") or ""
        return found

    def put(self, day: date, name: str | None, removed: bool, by: str) -> None:
        self.table.client.put_item(
            TableName=self.table.name,
            Item=to_item(
                {
                    "pk": "CONFIG",
                    "sk": f"HOLIDAY#{day.isoformat()}",
                    "entity": "holiday",
                    "name": name,
                    "removed": removed,
                    "by": by,
                }
            ),
        )

    def delete(self, day: date) -> bool:
        out = self.table.client.delete_item(
            TableName=self.table.name,
            ReturnValues="ALL_OLD",
            Key={"pk": {"S": "CONFIG"}, "sk": {"S": f"HOLIDAY#{day.isoformat()}"}},
        )
        return "Attributes" in out
