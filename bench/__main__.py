"""``python -m bench [name ...]``: run the benchmarks (all, or those named), printing their figures.

- imports          cold-start import time of the intake handler; target a/b ≤ 1.3
- intake_dynamodb  DynamoDB calls and items per POST /complaints; target ≤ 3 items written, 0 Scans
- sla_sweep        DynamoDB items the SLA sweep reads at 20,000 and 2,000 open cases (200 late), vs a Scan;
                   target ≤ 1.1 × late + 50 and within 5% at both sizes; write requests per chased case
- reports          DynamoDB items per report read (month running, frozen; fiscal year) at 2,000 and 20,000 cases
                   in a month, target ≤ 3 × (agencies + categories + districts) per month and the same at both
                   sizes; the daily roll-up's items read and write requests

A new benchmark is a module of ``bench`` with a ``run()``, added to ``BENCHMARKS``.

The local stack under load is a benchmark of its own, ``python -m bench.load`` (``make bench-load``).
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("imports", "intake_dynamodb", "sla_sweep", "reports")


def main(names: list[str]) -> None:
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        sys.exit(f"unknown benchmark(s) {', '.join(sorted(unknown))}; choose from {', '.join(BENCHMARKS)}")
    for name in names or BENCHMARKS:
        print(f"\n=== {name} " + "=" * (60 - len(name)))
        importlib.import_module(f"bench.{name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])
