"""The single-table DynamoDB store (docs/data-model.md lists every access pattern).

Items:

- case        pk ``CASE#<id>``  sk ``META``            version, state, deadlines, index keys
- history     pk ``CASE#<id>``  sk ``EVT#<seq:06d>``   append-only; seq = the version it produced
- holiday     pk ``CONFIG``     sk ``HOLIDAY#<date>``  special holiday added or official one removed

A change writes the case and its new events in one ``TransactWriteItems``: the
case on the condition that its version is still the one read (or that it does
not exist yet), each event on the condition that it does not exist. A
concurrent writer therefore gets :class:`Conflict`, never a silent overwrite,
and state and history can never drift apart.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.lifecycle import Change
from ..domain.model import Case, HistoryEvent, State

DUE_SHARDS = 8  # write-sharding of the due index; the sweep reads each shard

INDEX_BY_AGENCY = "by_agency"
INDEX_BY_STATE = "by_state"
INDEX_BY_DISTRICT = "by_district"
INDEX_DUE = "due"
INDEX_BY_MONTH = "by_month"
INDEX_OUTBOX = "outbox"
OUTBOX_SHARDS = 4
#: Completed events waiting for the audit draw share the due index under this prefix
#: (index overloading: the sweep's and the list's queries name ``DUE#`` partitions only).
DRAW_PREFIX = "DRAW#"
DRAW_SHARDS = 4

_ser = TypeSerializer()
_de = TypeDeserializer()


def sortable(instant: datetime) -> str:
    """UTC, fixed width, so that string order is time order."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def due_shard(case_id: str) -> int:
    return zlib.crc32(case_id.encode()) % DUE_SHARDS


def case_key(case_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "META"}}


def _to_item(doc: dict[str, Any]) -> dict[str, Any]:
    plain = json.loads(json.dumps(doc), parse_float=Decimal)
    return {k: _ser.serialize(v) for k, v in plain.items() if v is not None}


def _from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(_de.deserialize(v)) for k, v in item.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_plain(v) for v in value]
    return value


def case_item(case: Case) -> dict[str, Any]:
    """The case item with the keys of every index it belongs to (sparse where absent)."""
    received = sortable(case.received_at)
    doc: dict[str, Any] = case.model_dump(mode="json") | {
        "pk": f"CASE#{case.id}", "sk": "META", "entity": "case",
        "gsi_state_pk": f"STATE#{case.state}", "gsi_state_sk": f"{received}#{case.id}",
    }
    if case.agency:
        doc |= {"gsi_agency_pk": f"AGENCY#{case.agency.id}",
                "gsi_agency_sk": f"{case.state}#{received}#{case.id}"}
    if case.district:
        doc |= {"gsi_district_pk": f"DISTRICT#{case.district}",
                "gsi_district_sk": f"{case.state}#{received}#{case.id}"}
    if case.due:
        doc |= {"gsi_due_pk": f"DUE#{due_shard(case.id)}",
                "gsi_due_sk": f"{sortable(case.due.at)}#{case.id}"}
    return _to_item(doc)


def event_key(case_id: str, seq: int) -> dict[str, Any]:
    return {"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": f"EVT#{seq:06d}"}}


def event_item(case_id: str, event: HistoryEvent) -> dict[str, Any]:
    """A history event; one that owes notices is also in the sparse outbox index until they are sent."""
    doc = event.model_dump(mode="json") | {
        "pk": f"CASE#{case_id}", "sk": f"EVT#{event.seq:06d}", "entity": "event", "case_id": case_id,
        "gsi_month_pk": "MONTH#" + sortable(event.at)[:7],
        "gsi_month_sk": f"{sortable(event.at)}#{case_id}#{event.seq:06d}",
    }
    if event.type == "completed":  # waits for the daily audit draw (the due index, overloaded)
        doc |= {"gsi_due_pk": f"{DRAW_PREFIX}{zlib.crc32(case_id.encode()) % DRAW_SHARDS}",
                "gsi_due_sk": f"{sortable(event.at)}#{case_id}#{event.seq:06d}"}
    if event.notices:
        doc |= {"gsi_outbox_pk": f"OUTBOX#{zlib.crc32(case_id.encode()) % OUTBOX_SHARDS}",
                "gsi_outbox_sk": f"{sortable(event.at)}#{case_id}#{event.seq:06d}", "sent": {}, "failures": {}}
    return _to_item(doc)


def _case(doc: dict[str, Any]) -> Case:
    return Case.model_validate({k: v for k, v in doc.items() if k in Case.model_fields})


def _event(doc: dict[str, Any]) -> HistoryEvent:
    return HistoryEvent.model_validate({k: v for k, v in doc.items() if k in HistoryEvent.model_fields})


@dataclass(frozen=True)
class CaseQuery:
    """The filters of ``GET /complaints``; ``now`` decides what is overdue."""

    now: datetime
    agency: str | None = None
    state: State | None = None
    district: str | None = None
    category: str | None = None
    overdue: bool = False

    def fingerprint(self) -> str:
        parts = [self.agency, self.state, self.district, self.category, str(self.overdue)]
        return hashlib.sha256("|".join(p or "" for p in parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Page:
    cases: list[Case]
    cursor: str | None


class CaseStore(Protocol):
    """What the domain services need from storage."""

    def create(self, change: Change) -> None: ...
    def save(self, change: Change, also: Sequence[dict[str, Any]] = ()) -> None: ...
    def get(self, case_id: str) -> tuple[Case, list[HistoryEvent]]: ...
    def list(self, query: CaseQuery, limit: int, cursor: str | None) -> Page: ...
    def special_holidays(self, since: date, until: date) -> tuple[dict[date, str], set[date]]: ...
    def cases_due_between(self, start: datetime, end: datetime) -> Iterator[Case]: ...
    def cases_due_before(self, now: datetime) -> Iterator[Case]: ...
    def get_case(self, case_id: str) -> Case: ...
    def get_event(self, case_id: str, seq: int) -> HistoryEvent: ...
    def owed_events(self) -> Iterator[tuple[str, int]]: ...
    def claim_notices(self, case_id: str, seq: int, notices: Sequence[str], at: datetime,
                      stale_before: datetime) -> tuple[list[str], list[str]]: ...
    def finish_notices(self, case_id: str, seq: int, outcomes: dict[str, str], failures: dict[str, str],
                       at: datetime, done: bool) -> None: ...
    def put_special_holiday(self, day: date, name: str | None, removed: bool, by: str) -> None: ...
    def delete_special_holiday(self, day: date) -> bool: ...


class DynamoCaseStore:
    """:class:`CaseStore` on one DynamoDB table, through the low-level client."""

    def __init__(self, client: Any, table_name: str):
        self.client = client
        self.table = table_name

    # --- writes -------------------------------------------------------------------

    def create(self, change: Change) -> None:
        """Store a new case; :class:`Conflict` when the id is taken (caller draws another)."""
        self._write(change, {"ConditionExpression": "attribute_not_exists(pk)"})

    def save(self, change: Change, also: Sequence[dict[str, Any]] = ()) -> None:
        """Store a change on the condition that the case is still at the version it was read at;
        ``also``: more transaction items that must succeed or fail with it (an audit's verdict)."""
        self._write(change, {"ConditionExpression": "#v = :expected",
                             "ExpressionAttributeNames": {"#v": "version"},
                             "ExpressionAttributeValues": {":expected": {"N": str(change.expected_version)}}},
                    also)

    def _write(self, change: Change, condition: dict[str, Any], also: Sequence[dict[str, Any]] = ()) -> None:
        items: list[dict[str, Any]] = [{"Put": {
            "TableName": self.table, "Item": case_item(change.case),
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD", **condition}}]
        items += [{"Put": {"TableName": self.table, "Item": event_item(change.case.id, e),
                           "ConditionExpression": "attribute_not_exists(pk)"}} for e in change.events]
        items += list(also)
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as err:
            if err.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = err.response.get("CancellationReasons") or []
            if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons):
                old = reasons[0].get("Item") if reasons else None
                state = _from_item(old).get("state") if old else None
                suffix = f"; it is now '{state}'" if state else ""
                raise Conflict(f"case {change.case.id} was changed by someone else{suffix}; "
                               "reload it and try again") from err
            raise

    # --- reads --------------------------------------------------------------------

    def get(self, case_id: str) -> tuple[Case, list[HistoryEvent]]:
        """The case and its history in one Query (they share a partition)."""
        docs = [_from_item(i) for i in self._query_all(
            TableName=self.table, KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"CASE#{case_id}"}}, ConsistentRead=True)]
        meta = next((d for d in docs if d["sk"] == "META"), None)
        if meta is None:
            raise NotFound(f"no complaint '{case_id}'")
        history = [_event(d) for d in docs if d["sk"].startswith("EVT#")]
        return _case(meta), history

    def _query_all(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        while True:
            page = self.client.query(**kwargs)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def list(self, query: CaseQuery, limit: int, cursor: str | None) -> Page:
        """One page of cases; the plan picks the index that serves the most selective filter."""
        plans = _plan(query)
        start, start_key = _decode_cursor(cursor, query.fingerprint(), len(plans))
        cases: list[Case] = []
        for index in range(start, len(plans)):
            request = dict(plans[index], TableName=self.table)
            key = start_key if index == start else None
            while len(cases) < limit:
                if key:
                    request["ExclusiveStartKey"] = key
                request["Limit"] = limit - len(cases)
                try:
                    page = self.client.query(**request)
                except ClientError as err:
                    if err.response["Error"]["Code"] == "ValidationException" and key:
                        raise InvalidInput("the cursor does not belong to this list; start again "
                                           "without it") from err
                    raise
                cases += [_case(_from_item(i)) for i in page.get("Items", [])]
                key = page.get("LastEvaluatedKey")
                if not key:
                    break
            if len(cases) >= limit:
                if key:
                    return Page(cases, _encode_cursor(query.fingerprint(), index, key))
                if index + 1 < len(plans):
                    return Page(cases, _encode_cursor(query.fingerprint(), index + 1, None))
                return Page(cases, None)
        return Page(cases, None)

    def cases_due_between(self, start: datetime, end: datetime) -> Iterator[Case]:
        """Cases whose running deadline falls in [start, end], from the sparse due index, shard by shard."""
        for shard in range(DUE_SHARDS):
            for item in self._query_all(
                    TableName=self.table, IndexName=INDEX_DUE,
                    KeyConditionExpression="gsi_due_pk = :pk AND gsi_due_sk BETWEEN :from AND :to",
                    ExpressionAttributeValues={":pk": {"S": f"DUE#{shard}"}, ":from": {"S": sortable(start)},
                                               ":to": {"S": sortable(end) + "~"}}):
                yield _case(_from_item(item))

    def cases_due_before(self, now: datetime) -> Iterator[Case]:
        """Every case whose running deadline has passed: the due index up to ``now``, shard by
        shard, page by page. It reads the late cases and nothing else."""
        for shard in range(DUE_SHARDS):
            for item in self._query_all(
                    TableName=self.table, IndexName=INDEX_DUE,
                    KeyConditionExpression="gsi_due_pk = :pk AND gsi_due_sk < :now",
                    ExpressionAttributeValues={":pk": {"S": f"DUE#{shard}"}, ":now": {"S": sortable(now)}}):
                yield _case(_from_item(item))

    def get_case(self, case_id: str) -> Case:
        """The case item alone (no history), strongly consistent."""
        item = self.client.get_item(TableName=self.table, Key=case_key(case_id), ConsistentRead=True).get("Item")
        if not item:
            raise NotFound(f"no complaint '{case_id}'")
        return _case(_from_item(item))

    def get_event(self, case_id: str, seq: int) -> HistoryEvent:
        item = self.client.get_item(TableName=self.table, Key=event_key(case_id, seq), ConsistentRead=True)["Item"]
        return _event(_from_item(item))

    def owed_events(self) -> Iterator[tuple[str, int]]:
        """(case id, seq) of every event that still owes a notice: the sparse outbox index."""
        for shard in range(OUTBOX_SHARDS):
            for item in self._query_all(
                    TableName=self.table, IndexName=INDEX_OUTBOX, KeyConditionExpression="gsi_outbox_pk = :pk",
                    ExpressionAttributeValues={":pk": {"S": f"OUTBOX#{shard}"}}):
                yield item["pk"]["S"].removeprefix("CASE#"), int(item["sk"]["S"].removeprefix("EVT#"))

    # --- the outbox: notices owed by history events ----------------------------------

    def claim_notices(self, case_id: str, seq: int, notices: Sequence[str], at: datetime,
                      stale_before: datetime) -> tuple[list[str], list[str]]:
        """Claim an event's owed notices for sending, in one conditional write.

        Returns (claimed, done): the notices this caller may now send, and those
        already sent or skipped. A notice another sender claimed is neither, unless
        its claim is older than ``stale_before`` (that sender died): it is claimed again.
        """
        old = self._claim(case_id, seq, notices, at, stale_before)
        if old is None:
            return list(notices), []
        sent = old.get("sent") or {}
        done = [n for n in notices if sent.get(n, {}).get("outcome") in ("sent", "skipped")]
        stale = sortable(stale_before)
        claimable = [n for n in notices if n not in sent
                     or (sent[n].get("outcome") == "sending" and sent[n].get("at", "") < stale)]
        if claimable and self._claim(case_id, seq, claimable, at, stale_before) is None:
            return claimable, done
        return [], done  # nothing left, or another sender was quicker

    def _claim(self, case_id: str, seq: int, notices: Sequence[str], at: datetime,
               stale_before: datetime) -> dict[str, Any] | None:
        """None when every notice was claimed; else the event as it was (nothing claimed)."""
        names = {f"#n{i}": n for i, n in enumerate(notices)}
        try:
            self.client.update_item(
                TableName=self.table, Key=event_key(case_id, seq),
                UpdateExpression="SET " + ", ".join(f"sent.{k} = :claim" for k in names),
                ConditionExpression="attribute_exists(pk) AND " + " AND ".join(
                    f"(attribute_not_exists(sent.{k}) OR (sent.{k}.outcome = :sending AND sent.{k}.#at < :stale))"
                    for k in names),
                ExpressionAttributeNames=names | {"#at": "at"},
                ExpressionAttributeValues={
                    ":claim": {"M": {"outcome": {"S": "sending"}, "at": {"S": sortable(at)}}},
                    ":sending": {"S": "sending"}, ":stale": {"S": sortable(stale_before)}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD")
        except ClientError as err:
            if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return _from_item(err.response.get("Item") or {})
        return None

    def finish_notices(self, case_id: str, seq: int, outcomes: dict[str, str], failures: dict[str, str],
                       at: datetime, done: bool) -> None:
        """Record what became of claimed notices: ``sent``/``skipped`` for good, failures released
        for a retry. ``done``: nothing of the event is owed any more, it leaves the outbox index."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        sets, removes = [], []
        for i, (notice, outcome) in enumerate(outcomes.items()):
            names[f"#o{i}"] = notice
            values[f":o{i}"] = {"M": {"outcome": {"S": outcome}, "at": {"S": sortable(at)}}}
            sets.append(f"sent.#o{i} = :o{i}")
            removes.append(f"failures.#o{i}")
        for i, (notice, error) in enumerate(failures.items()):
            names[f"#f{i}"] = notice
            values[f":f{i}"] = {"M": {"error": {"S": error[:500]}, "at": {"S": sortable(at)}}}
            sets.append(f"failures.#f{i} = :f{i}")
            removes.append(f"sent.#f{i}")
        if done:
            removes += ["gsi_outbox_pk", "gsi_outbox_sk"]
        update = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        self.client.update_item(TableName=self.table, Key=event_key(case_id, seq), UpdateExpression=update,
                                ExpressionAttributeNames=names, ExpressionAttributeValues=values)

    # --- special holidays ---------------------------------------------------------

    def special_holidays(self, since: date, until: date) -> tuple[dict[date, str], set[date]]:
        """Special holidays from ``since`` to ``until``: (added with their names, official ones removed)."""
        added: dict[date, str] = {}
        removed: set[date] = set()
        for item in self._query_all(
                TableName=self.table, KeyConditionExpression="pk = :pk AND sk BETWEEN :from AND :to",
                ExpressionAttributeValues={":pk": {"S": "CONFIG"},
                                           ":from": {"S": f"HOLIDAY#{since.isoformat()}"},
                                           ":to": {"S": f"HOLIDAY#{until.isoformat()}"}}):
            doc = _from_item(item)
            day = date.fromisoformat(doc["sk"].removeprefix("HOLIDAY#"))
            if doc.get("removed"):
                removed.add(day)
            else:
                added[day] = doc.get("name") or ""
        return added, removed

    def put_special_holiday(self, day: date, name: str | None, removed: bool, by: str) -> None:
        self.client.put_item(TableName=self.table, Item=_to_item(
            {"pk": "CONFIG", "sk": f"HOLIDAY#{day.isoformat()}", "entity": "holiday",
             "name": name, "removed": removed, "by": by}))

    def delete_special_holiday(self, day: date) -> bool:
        out = self.client.delete_item(TableName=self.table, ReturnValues="ALL_OLD",
                                      Key={"pk": {"S": "CONFIG"}, "sk": {"S": f"HOLIDAY#{day.isoformat()}"}})
        return "Attributes" in out


def _plan(q: CaseQuery) -> Sequence[dict[str, Any]]:
    """The Query requests (in order) that list the cases matching ``q``. Never a Scan."""
    values: dict[str, Any] = {}
    filters: list[str] = []
    names: dict[str, str] = {}

    def f(expr: str, name: str, attr: str, placeholder: str, value: str) -> None:
        filters.append(expr)
        names[name] = attr
        values[placeholder] = {"S": value}

    now = sortable(q.now)
    if q.agency:
        index, pk, sk_attr = INDEX_BY_AGENCY, f"AGENCY#{q.agency}", "gsi_agency_sk"
        partitions = [pk]
        if q.district:
            f("#d = :d", "#d", "district", ":d", q.district)
    elif q.district:
        index, sk_attr = INDEX_BY_DISTRICT, "gsi_district_sk"
        partitions = [f"DISTRICT#{q.district}"]
    elif q.overdue:
        index, sk_attr = INDEX_DUE, "gsi_due_sk"
        partitions = [f"DUE#{n}" for n in range(DUE_SHARDS)]
    else:
        index, sk_attr = INDEX_BY_STATE, "gsi_state_sk"
        states = [q.state] if q.state else list(State)
        partitions = [f"STATE#{s}" for s in states]
    pk_attr = sk_attr.removesuffix("_sk") + "_pk"
    key = f"{pk_attr} = :pk"
    if index == INDEX_DUE:
        key += f" AND {sk_attr} < :now"
        values[":now"] = {"S": now}
        if q.state:
            f("#s = :s", "#s", "state", ":s", q.state)
    elif q.state and index != INDEX_BY_STATE:
        key += f" AND begins_with({sk_attr}, :state)"
        values[":state"] = {"S": f"{q.state}#"}
    if q.overdue and index != INDEX_DUE:
        filters.append("gsi_due_sk < :now")  # absent (no deadline running) compares false
        values[":now"] = {"S": now}
    if q.overdue:  # the citizen's feedback window is not a duty anyone can be late for
        filters.append("#due.#kind <> :feedback")
        names |= {"#due": "due", "#kind": "kind"}
        values[":feedback"] = {"S": "feedback"}
    if q.category:
        f("#c = :c", "#c", "category", ":c", q.category)
    requests = []
    for pk in partitions:
        request: dict[str, Any] = {
            "IndexName": index, "KeyConditionExpression": key,
            "ExpressionAttributeValues": values | {":pk": {"S": pk}},
            "ScanIndexForward": index == INDEX_DUE,  # most overdue first; otherwise newest first
        }
        if filters:
            request["FilterExpression"] = " AND ".join(filters)
        if names:
            request["ExpressionAttributeNames"] = names
        requests.append(request)
    return requests


def _encode_cursor(fingerprint: str, index: int, key: dict[str, Any] | None) -> str:
    raw = json.dumps({"f": fingerprint, "i": index, "k": key}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None, fingerprint: str, plans: int) -> tuple[int, dict[str, Any] | None]:
    if not cursor:
        return 0, None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        index, key = int(data["i"]), data["k"]
        ok = data["f"] == fingerprint and 0 <= index < plans and (key is None or isinstance(key, dict))
    except (ValueError, KeyError, TypeError, binascii.Error):
        ok = False
    if not ok:
        raise InvalidInput("the cursor is not valid for this list; start again without it")
    return index, key
