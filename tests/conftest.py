"""Shared fixtures: moto with the resources of template.yaml, and an API client that
drives the real handler with API Gateway REST events."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from local import infra

# Before any handler module is imported: powertools reads these at import time.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": infra.REGION,
        "AWS_REGION": infra.REGION,
        "POWERTOOLS_TRACE_DISABLED": "1",
        "POWERTOOLS_DEV": "0",
        **infra.function_environment("IntakeFunction"),
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)

from local.events import LambdaContext, rest_event

# moto and boto3 are imported by the fixtures that use them, so that the unit tests
# (domain, use cases on fakes) never pay for them.

BANGKOK_NOON = "T12:00:00+07:00"


def at(value: str) -> datetime:
    """``2026-04-10`` (noon in Bangkok) or a full ISO instant."""
    return datetime.fromisoformat(value if "T" in value else value + BANGKOK_NOON)


@pytest.fixture
def aws() -> Iterator[Any]:
    """A fresh moto account with the template's resources; yields a boto3 session."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        session = boto3.Session(region_name=infra.REGION)
        infra.create_resources(session)
        yield session


def staff(role: str, agency_id: str | None = None, sub: str = "user-1") -> dict[str, Any]:
    claims: dict[str, Any] = {"sub": sub, "cognito:groups": role, "cognito:username": f"{role}-{sub}"}
    if agency_id:
        claims["custom:agency_id"] = agency_id
    return claims


CALLCENTER = staff("callcenter")
ADMIN = staff("admin")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Api:
    """Calls a function's handler the way API Gateway would, the resource picked from the template."""

    def __init__(self, function: str = "IntakeFunction") -> None:
        import importlib

        from aws_lambda_powertools.utilities import parameters

        from complaints import wiring

        wiring.reset()
        parameters.clear_caches()
        _, module, attr = infra.handler_of(function)  # imported once moto is running
        self.handler = getattr(importlib.import_module(module), attr)
        if function == "IntakeFunction":
            from api_routes import complaints

            complaints._idempotent_filer.cache_clear()
        self.function = function
        self.routes = [r for r in infra.routes() if r.function == function]

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw: str | None = None,
        claims: dict[str, Any] | None = None,
        query: str = "",
        headers: dict[str, str] | None = None,
        when: str = "2026-04-10T09:12:00+07:00",
    ) -> Answer:
        from local.events import match

        route = next((r for r in self.routes if r.method == method and match(r.path, path) is not None), None)
        resource = route.path if route else path
        payload = raw if raw is not None else (json.dumps(body, ensure_ascii=False) if body is not None else None)
        hdrs = {"Content-Type": "application/json"} | (headers or {})
        event = rest_event(
            method,
            resource,
            path,
            at=at(when),
            body=payload,
            query=query,
            headers=hdrs,
            claims=claims,
            # the claims where the route's authorizer puts them (OptionalStaff: flat, strings)
            lambda_authorizer=route is not None and route.authorizer == "OptionalStaff",
        )
        out = self.handler(event, LambdaContext(self.function))
        headers = dict(out.get("headers") or {}) | {k: v[-1] for k, v in (out.get("multiValueHeaders") or {}).items()}
        return Answer(out["statusCode"], headers, out.get("body") or "")

    def form(self, path: str, fields: dict[str, str], when: str) -> Answer:
        """A browser's form post (application/x-www-form-urlencoded)."""
        from urllib.parse import urlencode

        return self.call(
            "POST",
            path,
            raw=urlencode(fields),
            when=when,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


@pytest.fixture
def api(aws: Any) -> Api:
    return Api()


@pytest.fixture
def pages(api: Api) -> Api:
    """The HTML pages function, beside the intake API (same moto account)."""
    return Api("PagesFunction")


def sent_emails(to: str | None = None) -> list[Any]:
    """E-mails SES accepted, read back from moto (oldest first)."""
    from moto.ses.models import ses_backends

    messages = ses_backends["123456789012"][infra.REGION].sent_messages
    return [m for m in messages if to is None or to in m.destinations.get("ToAddresses", [])]


def agency_link(email: Any) -> str:
    """The agency action page's path from a dispatch e-mail (its text body)."""
    import re

    found = re.search(r"https?://[^/\s]+(/a/[^\s\"<]+)", email.body)
    assert found, "no agency link in the e-mail"
    return found.group(1)


def table_items(session: Any) -> list[dict[str, Any]]:
    """Every item of the local table (a test may Scan; the product never does)."""
    ddb = session.client("dynamodb")
    items, kwargs = [], {"TableName": infra.LOCAL_TABLE}
    while True:
        page = ddb.scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def complaint(**overrides: Any) -> dict[str, Any]:
    """The SPEC's example body, with overrides."""
    body: dict[str, Any] = {
        "category": "road",
        "description": "ถนนเป็นหลุมลึกหน้าปากซอย อันตรายมาก",
        "location": {"lat": 13.7563, "lon": 100.5018, "address": "ซอยสุขุมวิท 31", "district": "1039"},
        "complainant": {"name": "สมชาย ใจดี", "phone": "0812345678", "email": "somchai@example.com"},
        "notify": True,
        "channel": "web",
        "photos": ["https://photos.example/1.jpg"],
        "urgent": False,
    }
    body.update(overrides)
    return body


OFFICER = staff("agency", "DIST-1039", sub="officer-1039")


def act(
    api: Api,
    case_id: str,
    action: str,
    when: str,
    body: dict[str, Any] | None = None,
    claims: dict[str, Any] | None = OFFICER,
) -> Answer:
    """An agency action through the JSON API (``acknowledge``, ``progress``, ``complete``, ``handback``)."""
    return api.call(
        "POST", f"/complaints/{case_id}/{action}", body=body if body is not None else {}, claims=claims, when=when
    )


def ok(answer: Answer) -> Any:
    assert answer.status == 200, answer.body
    return answer.json


def sweep(when: str) -> dict[str, Any]:
    """The daily sweep for a local instant, with EventBridge Scheduler's event (tests/events)."""
    import sla_check

    event = json.loads((infra.ROOT / "tests" / "events" / "scheduled_event.json").read_text(encoding="utf-8"))
    event["time"] = at(when).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return sla_check.lambda_handler(event, LambdaContext("SlaCheckFunction"))
