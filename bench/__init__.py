"""Benchmarks, run by ``make bench`` (``python -m bench [name ...]``): figures printed, nothing asserted.

Each benchmark is a module of this package with a ``run()`` that prints its own
tables; ``bench.__main__`` lists them. Shared here: where the code is, the
environment a function gets, and a plain-text table.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from local import infra

ROOT = infra.ROOT
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


def code_paths(function: str) -> list[Path]:
    """What Lambda puts on ``sys.path`` for ``function``: its code directory and the shared layer."""
    code_dir, _, _ = infra.handler_of(function)
    return [code_dir, ROOT / "shared"]


def function_environment(function: str) -> dict[str, str]:
    """Region, fake credentials and the template's variables for ``function`` (as in tests/conftest.py)."""
    return {
        "AWS_DEFAULT_REGION": infra.REGION,
        "AWS_REGION": infra.REGION,
        **FAKE_CREDENTIALS,
        **infra.function_environment(function),
    }


def become(function: str) -> None:
    """Run in this process as ``function`` would in Lambda (under moto): its environment, no
    endpoint or profile of this machine, tracing off, and its code and the layer importable."""
    os.environ.update(function_environment(function) | {"POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_DEV": "0"})
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(name, None)
    sys.path[:0] = [str(p) for p in code_paths(function)]


def clean_environ() -> dict[str, str]:
    """This process's environment without anything that would change how AWS code or Python behaves."""
    dropped = ("AWS_", "POWERTOOLS_", "PYTHON", "LAMBDA_", "_X_AMZN", "_HANDLER")
    return {k: v for k, v in os.environ.items() if not k.startswith(dropped)}


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print ``rows`` under ``headers``: columns of figures right-aligned, of words left-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    words = [any(ch.isalpha() for r in cells[1:] for ch in r[i]) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        cols = zip(row, widths, words, strict=True)
        return "  ".join(c.ljust(w) if left else c.rjust(w) for c, w, left in cols).rstrip()

    print(f"\n{title}")
    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))
