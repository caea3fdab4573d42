"""Fixtures of the Open311 conformance tests: GeoReport v2 over the handlers, against moto
(``geo``, the client of ``conform.py``), and an API key an admin issued (``key``)."""

from __future__ import annotations

from typing import Any

import pytest

from local import infra
from tests.integration.open311.conform import BASE, Open311, function_serving, issue_key


@pytest.fixture
def geo(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Open311:
    """The Open311 function(s), with the environment the template gives them."""
    for method, path in (("GET", f"{BASE}/discovery.json"), ("POST", f"{BASE}/requests.json")):
        for name, value in infra.function_environment(function_serving(method, path)).items():
            monkeypatch.setenv(name, value)
    return Open311()


@pytest.fixture
def key(geo: Open311) -> str:
    """A key an admin issued for this test."""
    return issue_key()[1]
