"""DynamoDB calls and items per ``POST /complaints``, through the real intake handler under moto.

The table comes from template.yaml (``local.infra.create_resources``); two
special holidays are stored first (the intake reads them). Then N complaints
are filed as API Gateway would send them, categories cycling through the
district, department, external and triage ones, every third with an
``Idempotency-Key``; then a few keyed requests are sent again (a client's
retry). Every DynamoDB call of every boto3 client is seen through botocore's
events (``provide-client-params`` for the request, ``after-call`` for the
answer), handlers added to every session botocore makes.

Items written count requested writes, failed conditions included (PutItem,
UpdateItem, DeleteItem = 1, TransactWriteItems = its Put/Update/Delete items,
BatchWriteItem = its requests); the idempotency record (pk ``IDEMPOTENCY#…``)
apart. Items read are the items the answers carry: GetItem, Query, Scan,
batch and transactional gets, and the old item a failed condition sends back
(``ReturnValuesOnConditionCheckFailure``, how an idempotent replay gets its answer).

Targets: ≤ 3 items written per complaint (idempotency apart), 0 Scans.
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import warnings
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from local import infra

from . import become, table

FUNCTION = "IntakeFunction"
N = 50
REPLAYS = 5
KEY_EVERY = 3
TARGET_WRITTEN = 3
START = datetime.fromisoformat("2026-04-07T09:00:00+07:00")
SPECIAL_HOLIDAYS = {"2026-04-20": "bench special holiday", "2026-05-15": "bench special holiday 2"}
CATEGORIES = {  # unit kind → categories (shared/complaints/data/categories.csv)
    "district": ["road", "lighting", "safety", "cleanliness", "noise"],
    "department": ["flooding", "bridge", "traffic", "pm25"],
    "external": ["water_main", "power_service", "expressway"],
    "triage": ["complaint", "inquiry", "other"],
}
DISTRICTS = ["1001", "1004", "1039", "Dusit"]
ADMIN = {"sub": "bench-admin", "cognito:groups": "admin", "cognito:username": "bench-admin"}
IDEMPOTENCY_PREFIX = "IDEMPOTENCY#"


class Meter:
    """Counts the DynamoDB calls, items written and items read into ``self.tally``."""

    def __init__(self) -> None:
        self.tally: Counter[str] = Counter()
        self.seen: set[tuple[str, str]] = set()  # items written in this request: "written" counts each once

    def reset(self) -> None:
        self.tally = Counter()
        self.seen = set()

    def install(self) -> None:
        """Add the handlers to every botocore session made from now on (moto adds its own the same way)."""
        from botocore.handlers import BUILTIN_HANDLERS

        BUILTIN_HANDLERS.append(("provide-client-params.dynamodb", self.request))
        BUILTIN_HANDLERS.append(("after-call.dynamodb", self.answer))

    def request(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        op = model.name
        self.tally["calls"] += 1
        self.tally[f"call {op}"] += 1
        for key in _written_keys(op, params):
            kind = "written idempotency" if key[0].startswith(IDEMPOTENCY_PREFIX) else "written"
            self.tally[f"{kind} requests"] += 1
            if key not in self.seen:
                self.seen.add(key)
                self.tally[kind] += 1

    def answer(self, parsed: dict[str, Any], **_: Any) -> None:
        self.tally["read"] += _items_read(parsed)


def _pk(item_or_key: dict[str, Any]) -> tuple[str, str]:
    return str((item_or_key.get("pk") or {}).get("S", "")), str((item_or_key.get("sk") or {}).get("S", ""))


def _written_keys(op: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    """The key (pk, sk) of each item ``op`` writes."""
    if op == "PutItem":
        return [_pk(params["Item"])]
    if op in ("UpdateItem", "DeleteItem"):
        return [_pk(params["Key"])]
    if op == "TransactWriteItems":
        return [
            _pk(body.get("Item") or body.get("Key") or {})
            for t in params["TransactItems"]
            for kind, body in t.items()
            if kind in ("Put", "Update", "Delete")
        ]
    if op == "BatchWriteItem":
        return [
            _pk((r.get("PutRequest") or {}).get("Item") or (r.get("DeleteRequest") or {}).get("Key") or {})
            for requests in params["RequestItems"].values()
            for r in requests
        ]
    return []


def _items_read(parsed: dict[str, Any]) -> int:
    """The items an answer carries, whatever the operation."""
    responses = parsed.get("Responses") or []
    if isinstance(responses, dict):  # BatchGetItem: per table
        responses = [{"Item": i} for items in responses.values() for i in items]
    return (
        int("Item" in parsed)  # GetItem, or the old item a failed condition returns (ALL_OLD)
        + int(parsed.get("Count", len(parsed.get("Items", []))))  # Query, Scan
        + sum(1 for r in [*responses, *parsed.get("CancellationReasons", [])] if r.get("Item"))
    )


def _requests() -> list[tuple[str, str, dict[str, Any], str | None]]:
    """(group, unit kind, body, Idempotency-Key) for the N filings, then the replays."""
    cycle = [(kind, code) for kind, codes in CATEGORIES.items() for code in codes]
    out = []
    for i in range(N):
        kind, code = cycle[i % len(cycle)]
        body = {
            "category": code,
            "description": f"bench complaint {i}: หลุมบนถนน",
            "location": {
                "lat": 13.75 + i / 1000,
                "lon": 100.5,
                "address": f"ซอย {i}",
                "district": DISTRICTS[i % len(DISTRICTS)] if i % 5 else None,
            },
            "complainant": {"name": "สมชาย ใจดี", "phone": "0812345678"},
            "notify": i % 2 == 0,
            "channel": ["web", "phone", "line", "mobile"][i % 4],
        }
        out.append(("filing", kind, body, f"bench-key-{i}" if i % KEY_EVERY == 0 else None))
    keyed = [r for r in out if r[3]][:REPLAYS]
    return out + [("replay", kind, body, key) for _, kind, body, key in keyed]


class Intake:
    """The intake handler, called as API Gateway would (cf. tests/conftest.py ``Api``)."""

    def __init__(self) -> None:
        import api
        from aws_lambda_powertools.utilities import parameters

        from api_routes import complaints
        from complaints import wiring
        from local.events import LambdaContext, match, rest_event

        wiring.reset()
        parameters.clear_caches()
        complaints._idempotent_filer.cache_clear()
        self.handler, self.match, self.rest_event, self.context = api.lambda_handler, match, rest_event, LambdaContext
        self.routes = [r for r in infra.routes() if r.function == FUNCTION]

    def call(
        self,
        method: str,
        path: str,
        body: Any,
        at: datetime,
        claims: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        resource = next(r.path for r in self.routes if r.method == method and self.match(r.path, path) is not None)
        event = self.rest_event(
            method,
            resource,
            path,
            at=at,
            body=json.dumps(body, ensure_ascii=False),
            headers={"Content-Type": "application/json"} | (headers or {}),
            claims=claims,
        )
        out = self.handler(event, self.context(FUNCTION))
        return int(out["statusCode"]), json.loads(out.get("body") or "{}")


def _measure() -> list[tuple[str, str, str, bool, Counter[str]]]:
    """(group, category's unit kind, state filed in, with an Idempotency-Key, tally) per intake request."""
    become(FUNCTION)
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    meter = Meter()
    meter.install()

    import boto3
    from moto import mock_aws

    results = []
    # powertools' Logger and Metrics print a line per request on stdout: kept out of the table
    with mock_aws(), contextlib.redirect_stdout(io.StringIO()):
        infra.create_resources(boto3.Session(region_name=infra.REGION))
        intake = Intake()
        for day, name in SPECIAL_HOLIDAYS.items():
            _expect(200, intake.call("PUT", f"/holidays/{day}", {"name": name}, START, claims=ADMIN), "PUT /holidays")
        for i, (group, kind, body, key) in enumerate(_requests()):
            meter.reset()
            answer = _expect(
                201,
                intake.call(
                    "POST",
                    "/complaints",
                    body,
                    START + timedelta(minutes=7 * i),
                    headers={"Idempotency-Key": key} if key else None,
                ),
                f"POST /complaints ({body['category']})",
            )
            results.append((group, kind, answer["state"], key is not None, meter.tally))
    return results


def _expect(wanted: int, answer: tuple[int, dict[str, Any]], what: str) -> dict[str, Any]:
    status, body = answer
    if status != wanted:
        raise RuntimeError(f"{what} answered {status}, not {wanted}: the benchmark's requests need fixing")
    return body


def _avg_max(tallies: list[Counter[str]], key: str) -> str:
    values = [t[key] for t in tallies]
    return f"{statistics.fmean(values):.2f} / {max(values)}"


def run() -> None:
    results = _measure()
    filings = [(state, keyed, t) for group, _, state, keyed, t in results if group == "filing"]
    replays = [t for group, *_, t in results if group == "replay"]
    groups = [("all filings", [t for *_, t in filings])]
    groups += [
        (f"  filed {state}", [t for s, _, t in filings if s == state]) for state in sorted({s for s, _, _ in filings})
    ]
    groups += [
        ("  with Idempotency-Key", [t for _, keyed, t in filings if keyed]),
        ("  without", [t for _, keyed, t in filings if not keyed]),
        ("replays (same key and body)", replays),
    ]
    mix = Counter(kind for group, kind, *_ in results if group == "filing")
    print(
        "\ncategories filed: "
        + ", ".join(f"{kind} {mix[kind]}" for kind in CATEGORIES)
        + f"; {len(SPECIAL_HOLIDAYS)} special holidays stored"
    )
    table(
        f"DynamoDB per POST /complaints (avg / max per request; {N} filings, {REPLAYS} replays)",
        ["requests", "n", "items written", "write requests", "idempotency written", "read", "calls", "Scans"],
        [
            [
                label,
                len(ts),
                _avg_max(ts, "written"),
                _avg_max(ts, "written requests"),
                _avg_max(ts, "written idempotency"),
                _avg_max(ts, "read"),
                _avg_max(ts, "calls"),
                sum(t["call Scan"] for t in ts),
            ]
            for label, ts in groups
            if ts
        ]
        + [["target", "", f"≤ {TARGET_WRITTEN}", "", "", "", "", "0"]],
    )
    print(
        "items written: distinct items (case, its events); write requests also count the outbox's two\n"
        "updates of an event that owes notices (claim, then the outcome)"
    )

    all_filings = groups[0][1]
    ops = sorted({k for t in all_filings + replays for k in t if k.startswith("call ")})
    table(
        "DynamoDB calls by operation (avg / max per request)",
        ["operation", "filings", "replays"],
        [[op.removeprefix("call "), _avg_max(all_filings, op), _avg_max(replays, op)] for op in ops],
    )

    written = max(t["written"] for t in all_filings)
    scans = sum(t["call Scan"] for t in all_filings + replays)
    print(
        f"items written per complaint: max {written}, target ≤ {TARGET_WRITTEN}: "
        f"{'met' if written <= TARGET_WRITTEN else 'NOT met'};   Scans: {scans}, target 0: "
        f"{'met' if scans == 0 else 'NOT met'}"
    )
