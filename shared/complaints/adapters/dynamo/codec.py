"""Items of the single table ⇄ domain objects, and the keys of every index.

Items:

- case        pk ``CASE#<id>``  sk ``META``            version, state, deadlines, index keys
- history     pk ``CASE#<id>``  sk ``EVT#<seq:06d>``   append-only; seq = the version it produced
- holiday     pk ``CONFIG``     sk ``HOLIDAY#<date>``  special holiday added or official one removed
- audit items: ``audits.py``

Instants in sort keys are UTC with a fixed width, so that string order is time order.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from ...domain.calendar import local_date, local_month
from ...domain.events import EventType, HistoryEvent
from ...domain.model import Case, State
from ...domain.privacy import personal_fields
from ...domain.queues import queue_deadline
from .errors import Guarded

INDEX_BY_AGENCY = "by_agency"
INDEX_BY_STATE = "by_state"
INDEX_BY_DISTRICT = "by_district"
INDEX_DUE = "due"
#: An agency's cases with a running duty deadline (``domain.queues.queue_deadline``), sorted by it:
#: the agency's queue, overdue first, and its due counts.
INDEX_BY_AGENCY_DUE = "by_agency_due"
AGENCY_DUE_PREFIX = "AGENCYDUE#"
INDEX_BY_MONTH = "by_month"
INDEX_OUTBOX = "outbox"

DUE_SHARDS = 8  # write-sharding of the due index; the sweep reads each shard
OUTBOX_SHARDS = 4
#: Completed events waiting for the audit draw share the due index under this prefix
#: (index overloading: the sweep's and the list's queries name ``DUE#`` partitions only).
DRAW_PREFIX = "DRAW#"
DRAW_SHARDS = 4
#: Closed cases that still hold a complainant's data share the due index under this prefix too,
#: sorted by the local day they closed: the retention job reads the days whose period has ended.
RETAIN_PREFIX = "RETAIN#"
RETAIN_SHARDS = 4
#: Cases with a complainant's phone share the month index (which otherwise holds history events
#: only) under this prefix and a keyed hash of the number: the call centre's search by phone.
PHONE_PREFIX = "PHONE#"
INDEX_BY_PHONE = INDEX_BY_MONTH

_ser = TypeSerializer()
_de = TypeDeserializer()


def sortable(instant: datetime) -> str:
    """UTC, fixed width, so that string order is time order."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def shard(case_id: str, shards: int) -> int:
    """The write shard of a case's items in a sharded index (the same hash for every index)."""
    return zlib.crc32(case_id.encode()) % shards


def case_key(case_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "META"}}


def event_key(case_id: str, seq: int) -> dict[str, Any]:
    return {"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": f"EVT#{seq:06d}"}}


def to_item(doc: dict[str, Any]) -> dict[str, Any]:
    plain = json.loads(json.dumps(doc), parse_float=Decimal)
    return {k: _ser.serialize(v) for k, v in plain.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(_de.deserialize(v)) for k, v in item.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_plain(v) for v in value]
    return value


#: E.164 phone → its keyed hash (``domain.privacy.phone_search_key`` with the link-signing key).
PhoneKey = Callable[[str], str]


def case_item(case: Case, phone_key: PhoneKey | None = None) -> dict[str, Any]:
    """The case item with the keys of every index it belongs to (sparse where absent); with
    ``phone_key``, a case whose complainant gave a phone is found by its hash (erased: it leaves)."""
    received = sortable(case.received_at)
    doc: dict[str, Any] = case.model_dump(mode="json") | {
        "pk": f"CASE#{case.id}",
        "sk": "META",
        "entity": "case",
        "gsi_state_pk": f"STATE#{case.state}",
        "gsi_state_sk": f"{received}#{case.id}",
    }
    if case.agency:
        doc |= {"gsi_agency_pk": f"AGENCY#{case.agency.id}", "gsi_agency_sk": f"{case.state}#{received}#{case.id}"}
    if case.agency and (deadline := queue_deadline(case)):  # leaves with the deadline or the agency
        doc |= {
            "gsi_agency_due_pk": AGENCY_DUE_PREFIX + case.agency.id,
            "gsi_agency_due_sk": f"{sortable(deadline)}#{case.id}",
        }
    if case.district:
        doc |= {"gsi_district_pk": f"DISTRICT#{case.district}", "gsi_district_sk": f"{case.state}#{received}#{case.id}"}
    if case.due:
        doc |= {"gsi_due_pk": f"DUE#{shard(case.id, DUE_SHARDS)}", "gsi_due_sk": f"{sortable(case.due.at)}#{case.id}"}
    elif case.state is State.CLOSED and case.closed_at and personal_fields(case):
        closed = f"{local_date(case.closed_at).isoformat()}#{sortable(case.closed_at)}#{case.id}"
        doc |= {"gsi_due_pk": f"{RETAIN_PREFIX}{shard(case.id, RETAIN_SHARDS)}", "gsi_due_sk": closed}
    if phone_key and case.complainant.phone:
        doc |= {
            "gsi_month_pk": PHONE_PREFIX + phone_key(case.complainant.phone),
            "gsi_month_sk": f"{received}#{case.id}",
        }
    return to_item(doc)


def event_item(case_id: str, event: HistoryEvent) -> dict[str, Any]:
    """A history event; one that owes notices is also in the sparse outbox index until they are sent."""
    position = f"{sortable(event.at)}#{case_id}#{event.seq:06d}"
    doc = event.model_dump(mode="json") | {
        "pk": f"CASE#{case_id}",
        "sk": f"EVT#{event.seq:06d}",
        "entity": "event",
        "case_id": case_id,
        "gsi_month_pk": "MONTH#" + local_month(event.at),
        "gsi_month_sk": position,
    }
    if event.type is EventType.COMPLETED:  # waits for the daily audit draw (the due index, overloaded)
        doc |= {"gsi_due_pk": f"{DRAW_PREFIX}{shard(case_id, DRAW_SHARDS)}", "gsi_due_sk": position}
    if event.notices:
        doc |= {
            "gsi_outbox_pk": f"OUTBOX#{shard(case_id, OUTBOX_SHARDS)}",
            "gsi_outbox_sk": position,
            "sent": {},
            "failures": {},
        }
    return to_item(doc)


def to_case(item: dict[str, Any]) -> Case:
    doc = from_item(item)
    return Case.model_validate({k: v for k, v in doc.items() if k in Case.model_fields})


def to_event(item: dict[str, Any]) -> HistoryEvent:
    doc = from_item(item)
    return HistoryEvent.model_validate({k: v for k, v in doc.items() if k in HistoryEvent.model_fields})


class Table:
    """The table, through the low-level client: what every adapter of it shares."""

    def __init__(self, client: Any, name: str):
        self.client = Guarded(client)  # throttling after botocore's retries: Busy (503), not a 500
        self.name = name

    def query_all(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every item a Query returns, page after page."""
        kwargs["TableName"] = self.name
        while True:
            page = self.client.query(**kwargs)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
