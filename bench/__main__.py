"""``python -m bench [name ...]``: run the benchmarks (all, or those named), printing their figures.

- imports          cold-start import time of the intake handler; target a/b ≤ 1.3
- intake_dynamodb  DynamoDB calls and items per POST /complaints; target ≤ 3 items written, 0 Scans

A new benchmark is a module of ``bench`` with a ``run()``, added to ``BENCHMARKS``.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("imports", "intake_dynamodb")


def main(names: list[str]) -> None:
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        sys.exit(f"unknown benchmark(s) {', '.join(sorted(unknown))}; choose from {', '.join(BENCHMARKS)}")
    for name in names or BENCHMARKS:
        print(f"\n=== {name} " + "=" * (60 - len(name)))
        importlib.import_module(f"bench.{name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])
