"""Fixtures of the integration tests (the shared helpers are in tests/conftest.py)."""

from __future__ import annotations

import random

import pytest

from tests.integration.completion_helpers import SEED


@pytest.fixture
def auditing(api, pages, monkeypatch):
    """A fresh Auditing bound to this test's service (the use cases are cached per process),
    with a seeded random source so that every run draws the same."""
    from complaints import wiring

    audit = wiring.auditing()
    monkeypatch.setattr(audit, "rng", lambda: random.Random(SEED))
    yield audit
    wiring.reset()
