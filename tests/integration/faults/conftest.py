"""The ``inject`` fixture: faults planted at botocore's door (``inject.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.client import BaseClient

from tests.integration.faults.inject import Injector


@pytest.fixture
def inject(monkeypatch: pytest.MonkeyPatch) -> Iterator[Injector]:
    injector = Injector()
    real = BaseClient._make_api_call

    def call(client: Any, operation: str, params: dict[str, Any]) -> Any:
        service = client.meta.service_model.service_name  # "dynamodb", "ses", "sns"…
        for fault in injector.faults:
            err = fault.hit(service, operation)
            if err is not None:
                raise err
        return real(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", call)
    yield injector
