"""The intake handler under moto for a module of fuzzing, with a few real cases to aim at."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from local import infra
from tests.conftest import Api, at, complaint
from tests.fuzz import transport

FILED_AT = "2026-04-10T09:12:00+07:00"  # a Friday
FUZZ_AT = "2026-04-20T10:00:00+07:00"  # the fuzzing happens ten days later


@dataclass
class Target:
    """Where the requests go, and the cases (ids and tracking tokens) that exist there."""

    base_url: str
    session: requests.Session
    tokens: dict[str, str] = field(default_factory=dict)  # case id → tracking token

    def call(self, method: str, path: str, body: Any = None, caller: str = "anonymous") -> requests.Response:
        return self.session.request(method, self.base_url + path, json=body, headers=transport.CALLERS[caller])


def seed_cases(target: Target) -> None:
    """A case for each agency action to find: routed to the fuzzing officer's agency (three, one of them
    acknowledged, one completed), routed to another agency, and one in triage (no district)."""
    bodies = [
        complaint(),
        complaint(),
        complaint(),
        complaint(category="cleanliness", location={"district": "1001"}),
        complaint(location={}),
    ]
    for body in bodies:
        answer = target.call("POST", "/complaints", body)
        assert answer.status_code == 201, answer.text
        target.tokens[answer.json()["id"]] = answer.json()["tracking_token"]
    first, second, *_ = target.tokens
    for case_id, action, body in [
        (first, "acknowledge", {}),
        (second, "complete", {"note": "ซ่อมแล้ว", "evidence_urls": ["https://photos.example/fixed.jpg"]}),
    ]:
        answer = target.call("POST", f"/complaints/{case_id}/{action}", body, caller="agency")
        assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def intake() -> Iterator[Target]:
    """The intake handler in-process, behind API Gateway's events, against a fresh moto account."""
    import boto3
    from moto import mock_aws

    from complaints import wiring

    with mock_aws(), pytest.MonkeyPatch.context() as patch:
        # Reports look back 2 unfrozen months for opening balances, not 24: the same answers' shape, less cost.
        patch.setattr("complaints.usecases.reports.MONTHS_BACK", 2)
        infra.create_resources(boto3.Session(region_name=infra.REGION))
        api = Api()
        filing = Target(transport.BASE_URL, transport.session(api.handler, at(FILED_AT)))
        seed_cases(filing)
        target = Target(transport.BASE_URL, transport.session(api.handler, at(FUZZ_AT)), filing.tokens)
        yield target
    wiring.reset()


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """``make run``'s stack in a subprocess (its demo data seeded), over real HTTP."""
    from tests.stack import Server

    server = Server(tmp_path_factory.mktemp("fuzz-state"))
    try:
        target = Target(server.base, requests.Session())
        seed_cases(target)
        yield target
        target.session.close()
    finally:
        assert server.stop() == 0, server.output
