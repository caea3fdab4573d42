"""Writers at the same instant, each in a process of its own as each Lambda invocation is,
against one moto server in this process (its backends are the same that the helpers read).

moto's in-process backend is not made for parallel requests (a transaction copies and restores
whole tables), so its server answers one request at a time (a lock around moto's application
only): the code under test runs in parallel, DynamoDB's answers are serial, as a real table's
are for one item. The processes are forked at the same moment and released together by a barrier.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Callable
from typing import Any

import pytest

TIMEOUT_S = 120


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, moto_server: Any) -> Any:
    """moto's server (``moto_server``) answering one request at a time; a boto3 session."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    lock = threading.Lock()
    real = DomainDispatcherApplication.__call__

    def one_at_a_time(app: Any, environ: dict[str, Any], start_response: Any) -> Any:
        with lock:
            return real(app, environ, start_response)

    monkeypatch.setattr(DomainDispatcherApplication, "__call__", one_at_a_time)
    return moto_server


def at_once(n: int, call: Callable[[], Any]) -> list[Any]:
    """``call`` made by ``n`` processes at the same moment; what each returned (or the traceback
    of what it raised, as text), in no particular order."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(n)
    results = ctx.Queue()

    def child() -> None:
        from complaints import wiring

        wiring.reset()  # clients of its own (a Lambda of its own)
        barrier.wait(timeout=TIMEOUT_S)
        try:
            results.put(call())
        except BaseException:  # reported to the test, which fails on it
            results.put(traceback.format_exc())

    procs = [ctx.Process(target=child, daemon=True) for _ in range(n)]
    for p in procs:
        p.start()
    out = [results.get(timeout=TIMEOUT_S) for _ in procs]
    for p in procs:
        p.join(timeout=TIMEOUT_S)
    return out
