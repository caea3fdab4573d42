"""Fixtures of the integration tests (the shared helpers are in tests/conftest.py)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from local import infra
from tests.integration.completion_helpers import SEED
from tests.stack import Server


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Local stacks (``python -m local run``) started by the test, stopped at its end whatever happens."""
    started: list[Server] = []
    yield started
    for server in started:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()


@pytest.fixture
def moto_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """moto's server on a free port of this machine (real HTTP: a browser's presigned POST reaches
    it, as other processes do), the template's resources made in it, every boto3 client of this
    test pointed at it; yields a boto3 session."""
    import boto3
    from moto.core.base_backend import BackendDict
    from moto.server import ThreadedMotoServer

    from complaints import wiring

    BackendDict.reset()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://{host}:{port}")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    session = boto3.Session(region_name=infra.REGION)
    infra.create_resources(session)
    try:
        yield session
    finally:
        server.stop()
        BackendDict.reset()
        wiring.reset()


@pytest.fixture
def auditing(api, pages, monkeypatch):
    """A fresh Auditing bound to this test's service (the use cases are cached per process),
    with a seeded random source so that every run draws the same."""
    from complaints import wiring

    audit = wiring.auditing()
    monkeypatch.setattr(audit, "rng", lambda: random.Random(SEED))
    yield audit
    wiring.reset()
