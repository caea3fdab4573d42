"""Fixtures of the Open311 conformance tests: GeoReport v2 over the handlers, against moto."""

from __future__ import annotations

from typing import Any

import pytest

from local import infra
from tests.integration.open311.conform import BASE, Open311, function_serving, issue_key


@pytest.fixture
def open311(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Open311:
    """The Open311 function(s), with the environment the template gives them."""
    for method, path in (("GET", f"{BASE}/discovery.json"), ("POST", f"{BASE}/requests.json")):
        for name, value in infra.function_environment(function_serving(method, path)).items():
            monkeypatch.setenv(name, value)
    return Open311()


@pytest.fixture
def api_key(open311: Open311) -> str:
    """A key an admin issued for this test."""
    return issue_key()[1]
