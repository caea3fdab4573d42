"""DynamoDB items the daily SLA sweep reads, against what a Scan-based sweep would read, under moto.

The table comes from template.yaml (``local.infra.create_resources``). Open
cases are made with the domain (``lifecycle.receive``: received, then routed
to a district office at once) and written straight into the table with
BatchWriteItem: each case's item and its two events, their notices marked
sent (nothing owed in the outbox). 200 of them were received on 1-3 April,
so their acknowledgement was due before the sweep at 2026-04-21 08:30
Bangkok time; the rest were received on 20 April, due at the end of the 21st.
Then ``sla_check.lambda_handler`` gets the scheduled event for that instant,
once with 20,000 open cases and once with 2,000, the same 200 late.

Counted during the sweep alone, from the boto3 calls (the handlers of
``bench.intake_dynamodb.Meter``): items read, by operation and index, from
the answers; write requests (each item of a TransactWriteItems, each
PutItem/UpdateItem); Scans. A Scan-based sweep would read every item in the
table: counted once before the sweep with a paginated Scan (Select=COUNT),
outside the measured window. moto's backup of the table before each
transaction is made cheaper (``local.quick.cheap_transaction_backups``): without it one
20,000-case run takes hours.

Targets: items read ≤ 1.1 × late cases + 50, the same within 5% at both
sizes, 0 Scans. The write requests per chased case are printed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from local import infra
from local.quick import cheap_transaction_backups

from . import ROOT, become, table
from .intake_dynamodb import Meter, _items_read, _written_keys
from .open_cases import load, open_case_items

FUNCTION = "SlaCheckFunction"
SIZES = (20_000, 2_000)
LATE = 200
SWEEP_AT = datetime.fromisoformat("2026-04-21T08:30:00+07:00")


class SweepMeter(Meter):
    """Also sorts the items read by where they came from: the operation, and for a Query its
    index and partition (``Query due DUE#``: the late cases; ``Query due DRAW#``: the audit draw)."""

    def request(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        op = model.name
        self.source = op
        if op == "Query":
            partition = ((params.get("ExpressionAttributeValues") or {}).get(":pk") or {}).get("S", "")
            self.source += f" {params.get('IndexName', 'table')} {partition.split('#')[0]}{'#' * ('#' in partition)}"
        self.tally["calls"] += 1
        self.tally[f"call {op}"] += 1
        self.tally["write requests"] += len(_written_keys(op, params))

    def answer(self, parsed: dict[str, Any], **_: Any) -> None:
        items = _items_read(parsed)
        self.tally["read"] += items
        self.tally[f"read {self.source}"] += items


def _table_items(client: Any, table_name: str) -> int:
    """Every item a Scan must read (ScannedCount, page by page)."""
    total, kwargs = 0, {"TableName": table_name, "Select": "COUNT"}
    while True:
        page = client.scan(**kwargs)
        total += page["ScannedCount"]
        if "LastEvaluatedKey" not in page:
            return total
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _measure(n: int, meter: SweepMeter) -> dict[str, Any]:
    """Load ``n`` open cases, then sweep: the figures of this size."""
    import boto3
    from aws_lambda_powertools.utilities import parameters
    from moto import mock_aws

    from complaints import wiring
    from local.events import LambdaContext

    event = json.loads((ROOT / "tests" / "events" / "scheduled_event.json").read_text("utf-8"))
    event["time"] = SWEEP_AT.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with mock_aws(), cheap_transaction_backups():
        infra.create_resources(boto3.Session(region_name=infra.REGION))
        client, table_name = boto3.client("dynamodb", region_name=infra.REGION), os.environ["TABLE_NAME"]
        started = time.perf_counter()
        items = open_case_items(n, LATE)
        built = time.perf_counter()
        load(client, table_name, items)
        loaded = time.perf_counter()
        scan_reads = _table_items(client, table_name)
        scanned = time.perf_counter()
        wiring.reset()
        parameters.clear_caches()
        # the handler's log lines and EMF metrics go to stdout: kept out of the tables
        with contextlib.redirect_stdout(io.StringIO()):
            import sla_check

            meter.reset()
            report = sla_check.lambda_handler(event, LambdaContext(FUNCTION))
            tally = Counter(meter.tally)
        swept = time.perf_counter()
    return {
        "n": n,
        "tally": tally,
        "report": report,
        "scan_reads": scan_reads,
        "items": len(items),
        "times": (built - started, loaded - built, scanned - loaded, swept - scanned),
    }


def run() -> None:
    become(FUNCTION)
    meter = SweepMeter()
    meter.install()
    results = [_measure(n, meter) for n in SIZES]

    for r in results:
        build, load, scan, sweep = r["times"]
        print(
            f"{r['n']:>6} open cases: {r['items']} items built in {build:.1f} s, loaded with BatchWriteItem "
            f"in {load:.1f} s, counted with Scan in {scan:.1f} s; sweep {sweep:.1f} s (moto; information only)"
        )
    target = 1.1 * LATE + 50
    rows = []
    for r in results:
        t, read = r["tally"], r["tally"]["read"]
        rows.append(
            [
                r["n"],
                LATE,
                sum(r["report"]["late"].values()),
                r["report"]["chased"],
                read,
                r["scan_reads"],
                f"{read / r['scan_reads']:.4f}",
                f"≤ {target:g}",
                "met" if read <= target else "NOT met",
                t["call Scan"],
            ]
        )
    table(
        f"DynamoDB items read by one SLA sweep at {SWEEP_AT.isoformat()}",
        [
            "open cases",
            "late",
            "late reported",
            "chased",
            "items read",
            "Scan-based read",
            "ratio",
            "target",
            "met?",
            "Scans",
        ],
        rows,
    )

    sources = sorted({k for r in results for k in r["tally"] if k.startswith("read ")})
    calls = sorted({k for r in results for k in r["tally"] if k.startswith("call ")})
    table(
        "Items read by source and calls by operation",
        ["what", *(f"{r['n']} open" for r in results)],
        [
            [
                k.removeprefix("read ")
                .replace("Query due", "Query due index")
                .replace("Query outbox", "Query outbox index")
                + " (items)",
                *(r["tally"][k] for r in results),
            ]
            for k in sources
        ]
        + [[k.removeprefix("call ") + " (calls)", *(r["tally"][k] for r in results)] for k in calls],
    )

    big, small = (r["tally"]["read"] for r in results)
    spread = abs(big - small) / max(big, small, 1)
    print(
        f"\nitems read at {SIZES[0]} vs {SIZES[1]} open cases: {big} vs {small}, {spread:.1%} apart; "
        f"target within 5%: {'met' if spread <= 0.05 else 'NOT met'}"
    )

    table(
        "Write requests per chased case (TransactWriteItems items + UpdateItem/PutItem)",
        [
            "open cases",
            "chased",
            "write requests",
            "in transactions",
            "UpdateItem",
            "per chased case",
            "overdue",
            "escalated",
            "notices sent",
            "failed",
        ],
        [
            [
                r["n"],
                r["report"]["chased"],
                r["tally"]["write requests"],
                r["tally"]["write requests"] - r["tally"]["call UpdateItem"] - r["tally"]["call PutItem"],
                r["tally"]["call UpdateItem"],
                f"{r['tally']['write requests'] / max(r['report']['chased'], 1):.2f}",
                sum(Counter(r["report"]["overdue"]).values()),
                r["report"]["escalated"],
                r["report"]["notices_sent"],
                r["report"]["notices_failed"],
            ]
            for r in results
        ],
    )
    print(
        "a chased case here: one transaction (the case, its overdue, chased and escalated events), then a claim\n"
        "and a finish UpdateItem for each event that owes notices (chased, escalated)"
    )
