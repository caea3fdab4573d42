"""API Gateway in front of a handler, in-process, behind a ``requests`` session.

Schemathesis sends each generated request through a ``requests.Session``; this
adapter turns it into the REST proxy event API Gateway would build
(``local.events.rest_event``, the resource matched against ``template.yaml``),
calls the handler, and turns its proxy answer into a ``requests.Response``.
The caller is chosen as on the local stack: ``X-Local-Role`` (and
``X-Local-Agency`` for an agency officer) become the Cognito claims the
authorizer would pass, and are not passed on as headers.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3 import HTTPHeaderDict, HTTPResponse

from local import infra
from local.events import ROLES, Answer, LambdaContext, claims_for, error_answer, json_answer, match, rest_event

BASE_URL = "http://intake.local"
AGENCY = "DIST-1039"
# Who calls: anonymous (a citizen) and each staff role, as the local stack's headers say it.
CALLERS: dict[str, dict[str, str]] = {"anonymous": {}} | {
    role: {"X-Local-Role": role} | ({"X-Local-Agency": AGENCY} if role == "agency" else {}) for role in ROLES
}


def claims_from(headers: CaseInsensitiveDict[str]) -> dict[str, Any] | None:
    role = (headers.get("X-Local-Role") or "").strip().lower()
    return claims_for(role, headers.get("X-Local-Agency") or None) if role else None


class ApiGatewayAdapter(HTTPAdapter):
    """Answers every request of a session with ``function``'s handler, at the instant ``at``."""

    def __init__(self, handler: Callable[..., Any], at: datetime, function: str = "IntakeFunction") -> None:
        super().__init__()
        self.handler = handler
        self.at = at
        self.function = function
        self.routes = [r for r in infra.routes() if r.function == function]

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        url = urlsplit(request.url or "")
        path = unquote(url.path) or "/"
        method = (request.method or "GET").upper()
        resource = next((r.path for r in self.routes if r.method == method and match(r.path, path) is not None), None)
        if resource is None:  # as the local stack's front answers a route the template does not have
            answer = error_answer(404, "not_found", f"no route {method} {path} in template.yaml")
        else:
            headers = {k: v for k, v in request.headers.items() if not k.lower().startswith("x-local-")}
            body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
            event = rest_event(
                method,
                resource,
                path,
                at=self.at,
                body=body,
                query=url.query,
                headers=headers,
                claims=claims_from(request.headers),
            )
            try:
                answer = Answer.of(self.handler(event, LambdaContext(self.function)))
            except Exception as exc:  # Lambda failed: API Gateway answers 502 (here with what was raised)
                answer = json_answer(
                    502, {"message": "Internal server error", "raised": f"{type(exc).__name__}: {exc}"}
                )
        raw = HTTPResponse(
            body=io.BytesIO(answer.body),
            headers=HTTPHeaderDict(answer.headers),
            status=answer.status,
            version=11,
            preload_content=False,
            decode_content=False,
        )
        return self.build_response(request, raw)


def session(handler: Callable[..., Any], at: datetime) -> requests.Session:
    """A session whose requests to ``BASE_URL`` the handler answers."""
    s = requests.Session()
    s.mount(BASE_URL, ApiGatewayAdapter(handler, at))
    return s
