"""Helpers of the hostile-input tests: a refused request answers a clear ``{"error": …}`` and
leaves the table exactly as it was."""

from __future__ import annotations

import base64
from typing import Any

from local.events import LambdaContext, rest_event
from tests.conftest import Answer, at, table_items


def refused(api, aws, method: str, path: str, *, status: int, code: str | None = None, **kwargs: Any) -> dict:
    """The request is refused with ``status`` and an error body; the table is unchanged."""
    before = table_items(aws)
    ans = api.call(method, path, **kwargs)
    assert ans.status == status, ans.body
    error = ans.json["error"]
    assert error["message"], error
    if code:
        assert error["code"] == code, error
    assert table_items(aws) == before, "a refused request changed the table"
    return error


def raw_call(api, method: str, path: str, body: bytes, content_type: str, **kwargs: Any) -> Answer:
    """A request whose body is bytes as API Gateway passes them (base64 when they are binary)."""
    from local.events import match

    resource = next((r.path for r in api.routes if r.method == method and match(r.path, path) is not None), path)
    event = rest_event(
        method,
        resource,
        path,
        at=at(kwargs.pop("when", "2026-04-10T09:12:00+07:00")),
        headers={"Content-Type": content_type},
        **kwargs,
    )
    event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    out = api.handler(event, LambdaContext(api.function))
    headers = dict(out.get("headers") or {}) | {k: v[-1] for k, v in (out.get("multiValueHeaders") or {}).items()}
    return Answer(out["statusCode"], headers, out.get("body") or "")
