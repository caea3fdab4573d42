"""What the local stack (and the tests) hand to a function: its event and its context.

- API Gateway REST (v1 proxy) events, as API Gateway would build them from a
  request (``rest_event``; the shape is that of ``tests/events/api_gateway_rest.json``,
  a test keeps the two alike), with the caller's Cognito claims (``claims_for``)
  where the authorizer would put them;
- EventBridge scheduled events, as a function's schedule in ``template.yaml``
  would deliver them at an instant (``scheduled_event``). When the schedule
  declares an ``Input``, that input is sent, with EventBridge Scheduler's
  context attributes (``<aws.scheduler.scheduled-time>`` …) filled in. Without
  one, the event is the classic EventBridge scheduled event (``"detail-type":
  "Scheduled Event"``, ``time`` in UTC) — EventBridge Scheduler itself sends
  ``{}`` to a Lambda target that has no ``Input`` (``python -m local invoke``
  says so on stderr);
- the Lambda context object (``LambdaContext``);
- and back: a handler's proxy response as the front writes it (``Answer``).
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from complaints.domain.calendar import BANGKOK
from local import infra

STAGE = "v1"
ACCOUNT = infra.ACCOUNT
SCHEDULE_TYPES = ("ScheduleV2", "Schedule")
ROLES = ("callcenter", "agency", "auditor", "executive", "admin")


# ---------------------------------------------------------------- API Gateway


def match(template_path: str, path: str) -> dict[str, str] | None:
    """The path parameters when ``path`` matches ``/complaints/{case_id}``-style ``template_path``
    (a greedy ``{path+}`` takes the rest of the path, slashes and all, as in API Gateway)."""
    pattern = re.sub(r"\\\{(\w+)\\\+\\\}", r"(?P<\1>.+)", re.escape(template_path))
    pattern = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", pattern) + "$"
    found = re.match(pattern, path)
    return found.groupdict() if found else None


def claims_for(role: str, agency_id: str | None = None, user: str | None = None) -> dict[str, Any]:
    """The Cognito claims API Gateway would pass for a staff member of ``role``."""
    sub = user or f"local-{role}" + (f"-{agency_id.lower()}" if agency_id else "")
    claims: dict[str, Any] = {"sub": sub, "cognito:groups": role, "cognito:username": sub}
    if agency_id:
        claims["custom:agency_id"] = agency_id
    return claims


def rest_event(
    method: str,
    resource: str,
    path: str,
    *,
    at: datetime,
    body: bytes | str | None = None,
    query: str = "",
    headers: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
    source_ip: str = "127.0.0.1",
    lambda_authorizer: bool = False,
) -> dict[str, Any]:
    """One REST API proxy event. ``at`` becomes ``requestContext.requestTimeEpoch``. The claims go
    where the route's authorizer puts them: the Cognito authorizer's ``authorizer.claims``, or,
    with ``lambda_authorizer`` (``OptionalStaff``), its context flat in ``authorizer``, strings."""
    headers = dict(headers or {})
    is_binary = isinstance(body, bytes | bytearray)
    if is_binary:
        try:
            body = body.decode("utf-8")
            is_binary = False
        except UnicodeDecodeError:
            body = base64.b64encode(body).decode()
    pairs = parse_qsl(query, keep_blank_values=True)
    multi: dict[str, list[str]] = {}
    for k, v in pairs:
        multi.setdefault(k, []).append(v)
    request_id = str(uuid.uuid4())
    epoch_ms = int(at.timestamp() * 1000)
    context: dict[str, Any] = {
        "accountId": ACCOUNT,
        "apiId": "local",
        "domainName": "127.0.0.1",
        "httpMethod": method,
        "path": f"/{STAGE}{path}",
        "protocol": "HTTP/1.1",
        "requestId": request_id,
        "extendedRequestId": request_id,
        "requestTime": at.strftime("%d/%b/%Y:%H:%M:%S %z"),
        "requestTimeEpoch": epoch_ms,
        "resourceId": "local",
        "resourcePath": resource,
        "stage": STAGE,
        "identity": {"sourceIp": source_ip, "userAgent": headers.get("User-Agent", "local")},
    }
    if claims and lambda_authorizer:
        flat = {k: ",".join(v) if isinstance(v, list) else str(v) for k, v in claims.items()}
        context["authorizer"] = flat | {"principalId": flat.get("sub", "")}
    elif claims:
        context["authorizer"] = {"claims": claims}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers or None,
        "multiValueHeaders": {k: [v] for k, v in headers.items()} or None,
        "queryStringParameters": {k: v[-1] for k, v in multi.items()} or None,
        "multiValueQueryStringParameters": multi or None,
        "pathParameters": match(resource, path) or None,
        "stageVariables": None,
        "requestContext": context,
        "body": body if body is None or isinstance(body, str) else json.dumps(body),
        "isBase64Encoded": is_binary,
    }


# ---------------------------------------------------------------- EventBridge schedules


def schedules(function: str) -> list[dict[str, Any]]:
    """The schedule events of ``function`` in the template."""
    events = (infra.template()["Resources"][function]["Properties"].get("Events") or {}).values()
    return [e for e in events if e.get("Type") in SCHEDULE_TYPES]


def scheduled_functions() -> list[str]:
    return [name for name in infra.resources("AWS::Serverless::Function") if schedules(name)]


def has_input(function: str) -> bool:
    """Whether a schedule of ``function`` declares the ``Input`` it sends."""
    return any(isinstance((s.get("Properties") or {}).get("Input"), str) for s in schedules(function))


def parse_at(value: str | None) -> datetime:
    """An ISO instant; without an offset it is Bangkok time; empty is now."""
    if not value:
        return datetime.now(UTC).astimezone(BANGKOK).replace(microsecond=0)
    try:
        at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{value}' is not an ISO instant; use e.g. 2026-12-01T08:30:00+07:00") from None
    return at if at.tzinfo else at.replace(tzinfo=BANGKOK)


def scheduled_event(function: str, at: datetime) -> dict[str, Any]:
    """The event ``function``'s schedule in the template delivers at ``at``."""
    found = schedules(function)
    if not found:
        raise ValueError(f"'{function}' has no schedule in template.yaml")
    schedule = found[0]
    props = schedule.get("Properties") or {}
    name = str(infra.resolve(props.get("Name") or f"complaints-local-{function}", infra.local_values()))
    time = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    event_id = str(uuid.uuid4())
    if schedule["Type"] == "ScheduleV2":
        source, arn = "aws.scheduler", f"arn:aws:scheduler:{infra.REGION}:{ACCOUNT}:schedule/default/{name}"
    else:
        source, arn = "aws.events", f"arn:aws:events:{infra.REGION}:{ACCOUNT}:rule/{name}"
    given = props.get("Input")
    if isinstance(given, str):
        for key, value in {
            "schedule-arn": arn,
            "scheduled-time": time,
            "execution-id": event_id[:16],
            "attempt-number": "1",
        }.items():
            given = given.replace(f"<aws.scheduler.{key}>", value)
        return json.loads(given)
    return {
        "version": "0",
        "id": event_id,
        "detail-type": "Scheduled Event",
        "source": source,
        "account": ACCOUNT,
        "time": time,
        "region": infra.REGION,
        "resources": [arn],
        "detail": {},
    }


# ---------------------------------------------------------------- Lambda context


@dataclass
class LambdaContext:
    """A Lambda context object for local invocations and tests."""

    function_name: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    remaining_ms: int = 10_000

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:ap-southeast-1:123456789012:function:{self.function_name}"

    @property
    def function_version(self) -> str:
        return "$LATEST"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "local"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


# ---------------------------------------------------------------- what a handler answers


@dataclass
class Answer:
    """A handler's proxy response, as the front writes it back."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @classmethod
    def of(cls, out: Any) -> Answer:
        if not isinstance(out, dict) or "statusCode" not in out:
            raise TypeError(f"the handler answered {type(out).__name__}, not an API Gateway proxy response")
        merged: dict[str, tuple[str, list[str]]] = {}
        for k, v in (out.get("headers") or {}).items():
            merged[k.lower()] = (k, [str(v)])
        for k, values in (out.get("multiValueHeaders") or {}).items():
            merged[k.lower()] = (k, [str(v) for v in values])  # API Gateway: these win for their key
        headers = [
            (name, v)
            for key, (name, values) in merged.items()
            if key not in ("content-length", "connection", "transfer-encoding")
            for v in values
        ]
        raw = out.get("body") or ""
        body = base64.b64decode(raw) if out.get("isBase64Encoded") else str(raw).encode("utf-8")
        return cls(int(out["statusCode"]), headers, body)


def json_answer(status: int, payload: Any) -> Answer:
    return Answer(
        status,
        [("Content-Type", "application/json")],
        json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode("utf-8"),
    )


def error_answer(status: int, code: str, message: str) -> Answer:
    return json_answer(status, {"error": {"code": code, "message": message}})
