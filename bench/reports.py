"""What serving the reports costs in DynamoDB, and what the daily roll-up that keeps them costs, under moto.

The table comes from template.yaml (``local.infra.create_resources``). A month of
history (April 2026) is made with the domain (``bench.report_history``: 2,000, then
20,000 cases, 60 agencies, the catalogue's categories, the 50 districts) and written
straight into the table with BatchWriteItem: each case's item and its events.

Then, counted from the boto3 calls (the handlers of ``bench.sla_sweep.SweepMeter``):

1. the daily roll-up, ``Rollup.day`` for each day of April (as the morning sweep
   runs it: at 08:30 the next day, the day complete): items read, write requests;
2. three reads through the intake handler (``GET`` as API Gateway sends it, an
   executive's claims): April before it is frozen (1 May 08:45), April frozen
   (after ``Reports.freeze`` at 09:00, as the report function does; the freeze is
   counted apart), and the fiscal year 2026 (October 2025 to May 2026, 09:10).

moto is made faster (``faster_moto``), its calls and answers the same. Targets: each month
read ≤ 3 × (agencies + categories + districts) items (the fiscal year: per month it reads);
the same items read at both sizes.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from local import infra
from local.quick import faster_moto

from . import become, table
from .intake_dynamodb import Intake, _avg_max
from .open_cases import load
from .report_history import DAYS, MONTH, SWEEP_AT, month_history
from .sla_sweep import SweepMeter

FUNCTION = "IntakeFunction"
SIZES = (2_000, 20_000)
FISCAL_YEAR = 2026
FIRST_DAY = date.fromisoformat(f"{MONTH}-01")
FREEZE_AT = datetime.fromisoformat("2026-05-01T09:00:00+07:00")
EXECUTIVE = {"sub": "bench-executive", "cognito:groups": "executive", "cognito:username": "bench-executive"}
READS = (  # the first at 08:45: the 08:30 roll-up done, not yet frozen
    ("running", f"{MONTH} not frozen", f"/reports/monthly/{MONTH}", FREEZE_AT - timedelta(minutes=15)),
    ("frozen", f"{MONTH} frozen", f"/reports/monthly/{MONTH}", FREEZE_AT + timedelta(minutes=5)),
    ("fiscal", f"fiscal year {FISCAL_YEAR}", f"/reports/fiscal-year/{FISCAL_YEAR}", FREEZE_AT + timedelta(minutes=10)),
)


def _rollup(client: Any, table_name: str, meter: SweepMeter) -> list[Counter[str]]:
    """``Rollup.day`` for each day of the month, at 08:30 the next morning: the tally of each day."""
    from complaints.adapters.dynamo.codec import Table
    from complaints.adapters.dynamo.reports import DynamoReports
    from complaints.domain.calendar import BANGKOK
    from complaints.usecases.reports import Rollup

    rollup, days = Rollup(DynamoReports(Table(client, table_name))), []
    for d in range(DAYS):
        day = FIRST_DAY + timedelta(days=d)
        meter.reset()
        events = rollup.day(day, complete=True, now=datetime.combine(day + timedelta(days=1), SWEEP_AT, BANGKOK))
        days.append(Counter(meter.tally))
        days[-1]["events"] = events
    return days


def _get(intake: Intake, path: str, at: datetime) -> dict[str, Any]:
    resource = next(r.path for r in intake.routes if r.method == "GET" and intake.match(r.path, path) is not None)
    event = intake.rest_event("GET", resource, path, at=at, headers={"Accept": "application/json"}, claims=EXECUTIVE)
    out = intake.handler(event, intake.context(FUNCTION))
    if int(out["statusCode"]) != 200:
        raise RuntimeError(f"GET {path} answered {out['statusCode']}: {out.get('body')}")
    return json.loads(out["body"])


def _serve(meter: SweepMeter) -> dict[str, Any]:
    """The three reads through the handler, and the freeze between the first two: tallies and documents."""
    from complaints import wiring

    out: dict[str, Any] = {}
    intake = Intake()
    for key, _, path, at in READS:
        if key == "frozen":
            meter.reset()
            wiring.usecases().reports.freeze(MONTH, FREEZE_AT)
            out["freeze"] = Counter(meter.tally)
        meter.reset()
        out[f"{key} doc"] = _get(intake, path, at)
        out[key] = Counter(meter.tally)
    return out


def _measure(n: int, meter: SweepMeter) -> dict[str, Any]:
    """A month of ``n`` cases, rolled up day by day, then served: the figures of this size."""
    import boto3
    from moto import mock_aws

    from complaints import wiring

    with mock_aws(), faster_moto():
        infra.create_resources(boto3.Session(region_name=infra.REGION))
        client, table_name = boto3.client("dynamodb", region_name=infra.REGION), os.environ["TABLE_NAME"]
        wiring.reset()
        started = time.perf_counter()
        history = month_history(n, wiring.settings().policy)
        built = time.perf_counter()
        load(client, table_name, history.items)
        loaded = time.perf_counter()
        days = _rollup(client, table_name, meter)
        rolled = time.perf_counter()
        # the handler's log lines and EMF metrics go to stdout: kept out of the tables
        with contextlib.redirect_stdout(io.StringIO()):
            served = _serve(meter)
        done = time.perf_counter()
        frozen = client.get_item(TableName=table_name, Key={"pk": {"S": f"REPORT#{MONTH}"}, "sk": {"S": "FINAL"}})
    return {
        "n": n,
        "history": history,
        "days": days,
        "frozen bytes": len(frozen["Item"]["doc"]["S"].encode()),
        "times": (built - started, loaded - built, rolled - loaded, done - rolled),
        **served,
    }


def _reads_table(results: list[dict[str, Any]]) -> None:
    rows = []
    for r in results:
        h = r["history"]
        per_month = 3 * (len(h.agencies) + len(h.categories) + len(h.districts))
        months = len(r["fiscal doc"].get("months") or []) or 1
        for key, label, _, _ in READS:
            target = per_month * (months if key == "fiscal" else 1)
            read = r[key]["read"]
            shape = f"{months} months × {per_month}" if key == "fiscal" else ""
            rows.append(
                [r["n"], len(h.agencies), len(h.categories), len(h.districts), label, read, r[key]["calls"],
                 f"≤ {target}", shape, "met" if read <= target else "NOT met"]
            )  # fmt: skip
    table(
        "DynamoDB items read per report read (GET through the intake handler), target 3 × (agencies + categories + "
        "districts) per month read",
        ["cases", "agencies", "categories", "districts", "read", "items read", "calls", "target", "", "met?"],
        rows,
    )
    sizes, same = " vs ".join(str(r["n"]) for r in results), []
    for key, label, *_ in READS:
        reads = [r[key]["read"] for r in results]
        same.append(f"{label} {' vs '.join(map(str, reads))}: {'met' if len(set(reads)) == 1 else 'NOT met'}")
    print(f"items read the same at {sizes} cases (target): " + "; ".join(same))
    print(
        "a month not frozen is one Query of its KPI# partition (at most one item per scope) and, back to\n"
        "MONTHS_BACK, a GetItem and a Query per earlier month not frozen (none is here: calls, not items); the\n"
        "fiscal year also reads May's partition: the deadlines falling due in May that April's events met"
    )


def _sources_table(results: list[dict[str, Any]]) -> None:
    keys = ("running", "freeze", "frozen", "fiscal")
    sources = sorted({k for r in results for key in keys for k in r[key] if k.startswith(("read ", "call "))})
    table(
        "Items read by source and calls by operation (each read; the freeze apart)",
        ["what", *(f"{key} {r['n']}" for r in results for key in keys)],
        [
            [k.replace("read ", "").replace("call ", "") + (" (items)" if k.startswith("read ") else " (calls)")]
            + [r[key][k] for r in results for key in keys]
            for k in sources
        ]
        + [["write requests", *(r[key]["write requests"] for r in results for key in keys)]],
    )
    for r in results:
        doc = r["running doc"]
        print(
            f"{r['n']} cases: the report counts {doc['call_centre']['received']} received, {len(doc['agencies'])} "
            f"agencies, {len(doc['by_category'])} categories, {len(doc['by_district'])} districts; frozen "
            f"document {r['frozen bytes'] / 1024:.0f} KiB (one item: "
            f"{-(-r['frozen bytes'] // 4096)} read units when strongly consistent)"
        )


def _rollup_table(results: list[dict[str, Any]]) -> None:
    rows = []
    for r in results:
        days = r["days"]
        total = sum(days, Counter())
        rows.append(
            [r["n"], len(days), total["events"], total["read"], _avg_max(days, "read"), total["write requests"],
             _avg_max(days, "write requests"), total["calls"], _avg_max(days, "call Query")]
        )  # fmt: skip
    table(
        f"The daily roll-up of {MONTH}: Rollup.day for each day, at 08:30 the next morning",
        ["cases", "days", "events", "items read", "per day avg / max", "write requests", "per day avg / max",
         "calls", "Query pages per day avg / max"],
        rows,
    )  # fmt: skip
    print(
        "items read: the day's events (the month index); write requests: one UpdateItem per (month, scope) the\n"
        "day's events touch, the day's roll-up mark (PutItem) and complete_through (UpdateItem)"
    )


def run() -> None:
    become(FUNCTION)
    meter = SweepMeter()
    meter.install()
    started = time.perf_counter()
    results = [_measure(n, meter) for n in SIZES]
    for r in results:
        build, load_s, roll, serve = r["times"]
        print(
            f"{r['n']:>6} cases: {len(r['history'].items)} items ({sum(r['history'].events.values())} events) built "
            f"in {build:.1f} s, loaded with BatchWriteItem in {load_s:.1f} s; roll-up {roll:.1f} s; "
            f"freeze and reads {serve:.1f} s (moto; information only)"
        )
    events = sum((r["history"].events for r in results[-1:]), Counter())
    print(f"events at {results[-1]['n']} cases: " + ", ".join(f"{k} {v}" for k, v in events.most_common()))
    _reads_table(results)
    _sources_table(results)
    _rollup_table(results)
    print(f"\nreports benchmark: {time.perf_counter() - started:.0f} s in all")
