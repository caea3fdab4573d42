"""Personal data in the table (access patterns 24 and 25 of ``docs/data-model.md``).

- Closed cases that still hold a complainant's data sit in the due index (overloaded) under
  ``RETAIN#<shard>``, sorted by the local day they closed (``codec.case_item`` writes the key;
  an anonymised case loses it). The retention job reads the days whose period has ended.
- The per-recipient notice limit: one counter item per keyed hash of the phone or address and
  local day, ``pk = NOTIFIED#<key>``, ``sk = DAY#<date>``, raised on a condition, gone by TTL.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from ...domain.calendar import BANGKOK
from ...domain.model import Case
from .codec import INDEX_DUE, RETAIN_PREFIX, RETAIN_SHARDS, Table, to_case
from .counters import count_under

#: A day's counter is kept a little after the day ends (the TTL deletes it within a day or two after).
COUNTER_KEPT = timedelta(days=2)


class DynamoPrivacy:
    """:class:`~complaints.ports.PrivacyStore` on the table."""

    def __init__(self, table: Table):
        self.table = table

    def closed_through(self, day: date) -> Iterator[Case]:
        """The ``RETAIN#`` shards of the due index up to the end of ``day``, merged oldest first."""
        shards = [self._shard(n, day) for n in range(RETAIN_SHARDS)]
        for _, case in heapq.merge(*shards, key=lambda pair: pair[0]):
            yield case

    def _shard(self, n: int, day: date) -> Iterator[tuple[str, Case]]:
        for item in self.table.query_all(
            IndexName=INDEX_DUE,
            KeyConditionExpression="gsi_due_pk = :pk AND gsi_due_sk < :after",
            ExpressionAttributeValues={
                ":pk": {"S": f"{RETAIN_PREFIX}{n}"},
                ":after": {"S": (day + timedelta(days=1)).isoformat()},
            },
        ):
            yield item["gsi_due_sk"]["S"], to_case(item)

    def count_notified(self, recipient: str, day: date, limit: int) -> bool:
        expires = datetime.combine(day, time(), BANGKOK) + timedelta(days=1) + COUNTER_KEPT
        key = {"pk": {"S": f"NOTIFIED#{recipient}"}, "sk": {"S": f"DAY#{day.isoformat()}"}}
        return count_under(self.table, key, "cases", limit, expires)
