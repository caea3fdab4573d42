"""API Gateway REST (v1 proxy) events, as API Gateway would hand them to a function.

The local HTTP front and the tests build their events here; the shape is that of
``tests/events/api_gateway_rest.json`` (a test keeps the two alike).
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

STAGE = "v1"


def match(template_path: str, path: str) -> dict[str, str] | None:
    """The path parameters when ``path`` matches ``/complaints/{case_id}``-style ``template_path``."""
    pattern = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template_path)) + "$"
    found = re.match(pattern, path)
    return found.groupdict() if found else None


def rest_event(method: str, resource: str, path: str, *, at: datetime, body: bytes | str | None = None,
               query: str = "", headers: dict[str, str] | None = None,
               claims: dict[str, Any] | None = None, source_ip: str = "127.0.0.1") -> dict[str, Any]:
    """One REST API proxy event. ``at`` becomes ``requestContext.requestTimeEpoch``."""
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
        "accountId": "123456789012", "apiId": "local", "domainName": "127.0.0.1",
        "httpMethod": method, "path": f"/{STAGE}{path}", "protocol": "HTTP/1.1",
        "requestId": request_id, "extendedRequestId": request_id,
        "requestTime": at.strftime("%d/%b/%Y:%H:%M:%S %z"), "requestTimeEpoch": epoch_ms,
        "resourceId": "local", "resourcePath": resource, "stage": STAGE,
        "identity": {"sourceIp": source_ip, "userAgent": headers.get("User-Agent", "local")},
    }
    if claims:
        context["authorizer"] = {"claims": claims}
    return {
        "resource": resource, "path": path, "httpMethod": method,
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
