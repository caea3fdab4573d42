"""``GET /complaints``: the index that serves the most selective filter, and the cursor.

The plan is a list of Query requests (never a Scan) read one after another; a
cursor remembers which request and where in it, and the filters it was issued for.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import itertools
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ...domain.errors import BadRequest, InvalidInput
from ...domain.model import Case, State
from ...domain.queues import ListOrder
from ...ports import CaseQuery, Page
from .codec import (
    AGENCY_DUE_PREFIX,
    DUE_SHARDS,
    INDEX_BY_AGENCY,
    INDEX_BY_AGENCY_DUE,
    INDEX_BY_DISTRICT,
    INDEX_BY_PHONE,
    INDEX_BY_STATE,
    INDEX_DUE,
    PHONE_PREFIX,
    Table,
    sortable,
    to_case,
)


def list_page(table: Table, query: CaseQuery, limit: int, cursor: str | None) -> Page:
    """One page of cases; the plan picks the index that serves the most selective filter."""
    return _page(table, plan(query), query.fingerprint(), limit, cursor)


def phone_page(table: Table, phone_key: str, limit: int, cursor: str | None) -> Page:
    """One page of the cases of a caller, newest first: one Query of the ``PHONE#<keyed hash>``
    partition of the month index (overloaded, ``docs/data-model.md``). The cursor is bound to the
    hash, never to the number."""
    request = {
        "IndexName": INDEX_BY_PHONE,
        "KeyConditionExpression": "gsi_month_pk = :pk",
        "ExpressionAttributeValues": {":pk": {"S": PHONE_PREFIX + phone_key}},
        "ScanIndexForward": False,
    }
    return _page(table, [request], "phone:" + phone_key[:16], limit, cursor)


def count_agency_due(table: Table, agency: str, start: datetime | None, end: datetime) -> int:
    """How many of an agency's running duty deadlines fall in [start, end): ``Select=COUNT`` on
    its partition of the ``by_agency_due`` index, page after page (a Query reads at most 1 MB a
    page). The sort key is ``<deadline>#<id>``, so ``< end`` leaves a deadline at ``end`` out."""
    values = {":pk": {"S": AGENCY_DUE_PREFIX + agency}, ":end": {"S": sortable(end)}}
    condition = "gsi_agency_due_pk = :pk AND gsi_agency_due_sk < :end"
    if start is not None:
        condition = "gsi_agency_due_pk = :pk AND gsi_agency_due_sk BETWEEN :start AND :end"
        values[":start"] = {"S": sortable(start)}
    request: dict[str, Any] = {
        "TableName": table.name,
        "IndexName": INDEX_BY_AGENCY_DUE,
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": values,
        "Select": "COUNT",
    }
    count = 0
    while True:
        page = table.client.query(**request)
        count += page["Count"]
        if "LastEvaluatedKey" not in page:
            return count
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def received_between(
    table: Table, states: Sequence[State], start: datetime, end: datetime, categories: Sequence[str], limit: int
) -> list[Case]:
    """The newest ``limit`` cases in ``states`` received in [start, end] (of ``categories``, if any):
    a Query of each state's partition of ``by_state`` (sorted by receipt), newest first, merged."""
    values: dict[str, Any] = {":from": {"S": sortable(start)}, ":to": {"S": sortable(end) + "#~"}}
    request: dict[str, Any] = {
        "IndexName": INDEX_BY_STATE,
        "KeyConditionExpression": "gsi_state_pk = :pk AND gsi_state_sk BETWEEN :from AND :to",
        "ScanIndexForward": False,
    }
    if categories:
        names = [f":c{n}" for n in range(len(categories))]
        request |= {"FilterExpression": f"#c IN ({', '.join(names)})", "ExpressionAttributeNames": {"#c": "category"}}
        values |= {name: {"S": code} for name, code in zip(names, categories, strict=True)}
    runs = []
    for state in states:
        plan_ = request | {"ExpressionAttributeValues": values | {":pk": {"S": f"STATE#{state}"}}}
        runs.append(_read(table, plan_, None, [], limit)[0])
    newest = heapq.merge(*runs, key=lambda c: (c.received_at, c.id), reverse=True)
    return list(itertools.islice(newest, limit))


def _page(table: Table, plans: Sequence[dict[str, Any]], fingerprint: str, limit: int, cursor: str | None) -> Page:
    start, start_key = decode_cursor(cursor, fingerprint, len(plans))
    cases: list[Case] = []
    for index in range(start, len(plans)):
        key = start_key if index == start else None
        cases, key = _read(table, plans[index], key, cases, limit)
        if len(cases) >= limit:
            if key:
                return Page(cases, encode_cursor(fingerprint, index, key))
            if index + 1 < len(plans):
                return Page(cases, encode_cursor(fingerprint, index + 1, None))
            return Page(cases, None)
    return Page(cases, None)


def _read(
    table: Table, plan_: dict[str, Any], key: dict[str, Any] | None, cases: list[Case], limit: int
) -> tuple[list[Case], dict[str, Any] | None]:
    """Read one request of the plan from ``key`` until the page is full or the request is done."""
    request = dict(plan_, TableName=table.name)
    while len(cases) < limit:
        if key:
            request["ExclusiveStartKey"] = key
        request["Limit"] = limit - len(cases)
        try:
            page = table.client.query(**request)
        except ClientError as err:
            if err.response["Error"]["Code"] == "ValidationException" and key:
                raise InvalidInput("the cursor does not belong to this list; start again without it") from err
            raise
        cases = cases + [to_case(i) for i in page.get("Items", [])]
        key = page.get("LastEvaluatedKey")
        if not key:
            break
    return cases, key


#: Indexes sorted by a deadline: read earliest first, whatever the order asked (``overdue`` alone
#: reads the due index, whose order is the deadline's).
_BY_DEADLINE = (INDEX_DUE, INDEX_BY_AGENCY_DUE)


def _index(q: CaseQuery) -> tuple[str, str, list[str]]:
    """(index, sort key attribute, partitions) of the order asked and the most selective filter."""
    if q.order is ListOrder.DEADLINE:
        if not q.agency:
            raise BadRequest("order=deadline lists an agency's queue: name the agency (agency=…)")
        return INDEX_BY_AGENCY_DUE, "gsi_agency_due_sk", [AGENCY_DUE_PREFIX + q.agency]
    if q.agency:
        return INDEX_BY_AGENCY, "gsi_agency_sk", [f"AGENCY#{q.agency}"]
    if q.district:
        return INDEX_BY_DISTRICT, "gsi_district_sk", [f"DISTRICT#{q.district}"]
    if q.overdue:
        return INDEX_DUE, "gsi_due_sk", [f"DUE#{n}" for n in range(DUE_SHARDS)]
    states = [q.state] if q.state else list(State)
    return INDEX_BY_STATE, "gsi_state_sk", [f"STATE#{s}" for s in states]


def _key(q: CaseQuery, index: str, sk_attr: str) -> tuple[str, dict[str, Any]]:
    """The key condition on the chosen index, and its values (``:pk`` is set per partition)."""
    key = f"{sk_attr.removesuffix('_sk')}_pk = :pk"
    if index == INDEX_DUE or (index == INDEX_BY_AGENCY_DUE and q.overdue):
        return f"{key} AND {sk_attr} < :now", {":now": {"S": sortable(q.now)}}
    if q.state and index in (INDEX_BY_AGENCY, INDEX_BY_DISTRICT):
        return f"{key} AND begins_with({sk_attr}, :state)", {":state": {"S": f"{q.state}#"}}
    return key, {}


def _filters(q: CaseQuery, index: str) -> tuple[list[str], dict[str, str], dict[str, Any]]:
    """What no key serves: filters on the pages read (never on the whole table)."""
    filters: list[str] = []
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    equal = [
        ("#d", "district", q.district if q.agency else None),
        ("#s", "state", q.state if index in _BY_DEADLINE else None),
        ("#c", "category", q.category),
    ]
    for name, attr, value in equal:
        if value:
            filters.append(f"{name} = :{name[1]}")
            names[name] = attr
            values[f":{name[1]}"] = {"S": value}
    if q.overdue and index not in _BY_DEADLINE:
        filters.append("gsi_due_sk < :now")  # absent (no deadline running) compares false
        values[":now"] = {"S": sortable(q.now)}
    if q.overdue:  # the citizen's feedback window is not a duty anyone can be late for
        filters.append("#due.#kind <> :feedback")
        names |= {"#due": "due", "#kind": "kind"}
        values[":feedback"] = {"S": "feedback"}
    return filters, names, values


def plan(q: CaseQuery) -> Sequence[dict[str, Any]]:
    """The Query requests (in order) that list the cases matching ``q``. Never a Scan."""
    index, sk_attr, partitions = _index(q)
    key, key_values = _key(q, index, sk_attr)
    filters, names, values = _filters(q, index)
    requests = []
    for pk in partitions:
        request: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": key,
            "ExpressionAttributeValues": key_values | values | {":pk": {"S": pk}},
            # a deadline index: most overdue first; otherwise by receipt, newest first unless asked
            "ScanIndexForward": index in _BY_DEADLINE or q.order is ListOrder.OLDEST,
        }
        if filters:
            request["FilterExpression"] = " AND ".join(filters)
        if names:
            request["ExpressionAttributeNames"] = names
        requests.append(request)
    return requests


def encode_cursor(fingerprint: str, index: int, key: dict[str, Any] | None) -> str:
    raw = json.dumps({"f": fingerprint, "i": index, "k": key}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, fingerprint: str, plans: int) -> tuple[int, dict[str, Any] | None]:
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
