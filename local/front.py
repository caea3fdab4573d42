"""The HTTP front of the local stack on ``127.0.0.1:$PORT``, playing API Gateway.

Each request that is not a local page goes to ``Stack.api``, which matches it
against the template's ``Api`` events and hands the handler a REST proxy event.

Who is calling: API Gateway's Cognito authorizer puts the caller's claims in
``requestContext.authorizer.claims``. Locally there is no Cognito; the front
turns ``X-Local-Role: callcenter|agency|auditor|executive|admin`` (with
``X-Local-Agency: DIST-1039`` for an agency officer, optional
``X-Local-User``) or the query parameter ``as=callcenter`` /
``as=agency:DIST-1039`` (for a browser) into those claims
(``local.events.claims_for``) and strips them from the request. The handlers
read the claims only.

Local-only pages (not API routes, ``local.pages``): ``/docs`` (the contract, ``docs/openapi.json``,
in Swagger UI: ``local.docs``), ``/_local`` (what to try,
``templates/index.html``; also ``/`` while the template routes no ``GET /``),
``/_outbox`` and ``/_outbox.json`` (what the stack "sent", see ``local.outbox``),
``/_outbox/<id>`` (a message's HTML as sent), ``/_outbox/<id>/<n>`` (its attachments) and
``/_outbox/<id>.eml`` (an e-mail sent raw, the MIME message as sent: the monthly report), and ``POST
/_local/invoke/<LogicalId>?at=<ISO instant>``, which ``python -m local invoke``
uses to run a scheduled function inside a running stack.

Under load: a thread per connection (HTTP/1.1, kept alive), a listen backlog of
``BACKLOG`` connections (the standard library's 5 refused clients at once),
and a stopping stack answers 503. The access log (stderr) never shows a
tracking token, an agency link's token or a caller's phone: the query's ``token`` and
``phone`` (the call centre's search), the path
after ``/a/`` and the token of a short tracking link (``/t/<id>/<token>``) are
redacted (``redact``).
"""

from __future__ import annotations

import base64
import re
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from local import docs, outbox, pages
from local.events import ROLES, Answer, claims_for, error_answer, json_answer, parse_at, scheduled_functions
from local.stack import Stack, Stopping

HTML = ("Content-Type", "text/html; charset=utf-8")
BACKLOG = 1024  # the kernel caps it at net.core.somaxconn
_SECRET_QUERY = re.compile(r"(?i)(\b(?:token|phone)=)[^&\s\"']*")
_AGENCY_LINK = re.compile(r"(/a/)[^?\s\"'/]+")
_SHORT_LINK = re.compile(r"(/t/[^/?\s\"']+/)[^?\s\"'/]+")


def redact(line: str) -> str:
    """An access-log line without the tokens it may carry (the citizen's tracking token, an agency
    link's signed token) or a caller's phone number, percent-encoded or not."""
    line = _SECRET_QUERY.sub(r"\1[redacted]", line)
    return _SHORT_LINK.sub(r"\1[redacted]", _AGENCY_LINK.sub(r"\1[redacted]", line))


class Front(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, FrontHandler)
        self.stack: Stack | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class FrontHandler(BaseHTTPRequestHandler):
    server: Front
    server_version = "1555-local"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    def log_message(self, format: str, *args: Any) -> None:
        super().log_message("%s", redact(format % args))

    def _handle(self, method: str) -> None:
        try:
            answer = self._answer(method)
        except Stopping:
            answer = json_answer(503, {"message": "the local stack is stopping; retry once it runs again"})
        except Exception:
            traceback.print_exc()
            answer = json_answer(502, {"message": "Internal server error"})  # what API Gateway says
        self._write(answer)

    def _answer(self, method: str) -> Answer:
        stack = self.server.stack
        assert stack is not None
        url = urlsplit(self.path)
        path = unquote(url.path) or "/"
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        local = self._local_page(method, path, url.query)
        if local is not None:
            return local
        pairs = parse_qsl(url.query, keep_blank_values=True)
        claims, problem = self._claims(pairs)
        if problem:
            return error_answer(400, "bad_local_role", problem)
        query = urlencode([(k, v) for k, v in pairs if k != "as"]) if any(k == "as" for k, _ in pairs) else url.query
        headers = {k: v for k, v in self.headers.items() if not k.lower().startswith("x-local-")}
        answer = stack.api(method, path, query=query, headers=headers, body=body, claims=claims)
        if answer is None:
            return error_answer(
                404,
                "not_found",
                f"no route {method} {path} in template.yaml (see {self.server.base_url}/ for what to try)",
            )
        return answer

    def _claims(self, pairs: list[tuple[str, str]]) -> tuple[dict[str, Any] | None, str | None]:
        role = (self.headers.get("X-Local-Role") or "").strip()
        agency = (self.headers.get("X-Local-Agency") or "").strip() or None
        user = (self.headers.get("X-Local-User") or "").strip() or None
        as_values = [v for k, v in pairs if k == "as"]
        if not role and as_values:
            role, _, from_query = as_values[-1].partition(":")
            agency = agency or from_query.strip() or None
        role = role.strip().lower()
        if not role or role == "citizen":
            return None, None
        if role not in ROLES:
            return None, f"unknown local role '{role}': use one of {', '.join(ROLES)} (or none for a citizen)"
        return claims_for(role, agency, user), None

    def _local_page(self, method: str, path: str, query: str) -> Answer | None:
        stack = self.server.stack
        assert stack is not None
        if method == "GET" and (path == "/_local" or (path == "/" and stack.route("GET", "/") is None)):
            return Answer(200, [HTML], pages.index_page(self.server.base_url, stack).encode("utf-8"))
        if method == "GET" and docs.is_docs(path):
            return docs.answer(path)
        if not path.startswith("/_"):
            return None
        if method == "GET" and path == "/_outbox":
            return Answer(200, [HTML], pages.outbox_page(stack.outbox).encode("utf-8"))
        if method == "GET" and path == "/_outbox.json":
            box = pages.outbox_json(stack.outbox).encode("utf-8")
            return Answer(200, [("Content-Type", "application/json")], box)
        parts = path.split("/")
        if method == "GET" and len(parts) == 3 and parts[1] == "_outbox" and parts[2].endswith(".eml"):
            return _eml(stack.outbox, parts[2].removesuffix(".eml"))
        if method == "GET" and len(parts) in (3, 4) and parts[1] == "_outbox":
            return _outbox_part(stack.outbox, parts[2], parts[3] if len(parts) == 4 else None)
        if method == "POST" and len(parts) == 4 and parts[1:3] == ["_local", "invoke"]:
            return _invoke_page(stack, parts[3], dict(parse_qsl(query)).get("at"))
        return None

    def _write(self, answer: Answer) -> None:
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)


def _outbox_part(box: outbox.Outbox, entry_id: str, part: str | None) -> Answer:
    entry = box.find(entry_id)
    if entry is None:
        return error_answer(404, "not_found", f"no message '{entry_id}' in the outbox")
    if part is None:
        if not entry.get("html"):
            return error_answer(404, "not_found", "this message has no HTML part")
        # The HTML exactly as sent, in a sandbox: no scripts, an origin of its own.
        return Answer(
            200,
            [HTML, ("Content-Security-Policy", "sandbox allow-popups allow-popups-to-escape-sandbox")],
            entry["html"].encode("utf-8"),
        )
    attachments = entry.get("attachments") or []
    if not part.isdigit() or int(part) >= len(attachments):
        return error_answer(404, "not_found", f"no attachment {part} on message '{entry_id}'")
    att = attachments[int(part)]
    name = att["filename"].replace('"', "")
    return Answer(
        200,
        [("Content-Type", att["content_type"]), ("Content-Disposition", f'attachment; filename="{name}"')],
        base64.b64decode(att["data"]),
    )


def _eml(box: outbox.Outbox, entry_id: str) -> Answer:
    raw = box.raw(entry_id)
    if raw is None:
        return error_answer(404, "not_found", f"no e-mail sent raw '{entry_id}' in the outbox")
    disposition = f'attachment; filename="{entry_id.replace(chr(34), "")}.eml"'
    return Answer(200, [("Content-Type", "message/rfc822"), ("Content-Disposition", disposition)], raw)


def _invoke_page(stack: Stack, function: str, at: str | None) -> Answer:
    if function not in scheduled_functions():
        return error_answer(
            404,
            "not_found",
            f"'{function}' is not a scheduled function of template.yaml "
            f"(those are: {', '.join(scheduled_functions())})",
        )
    try:
        instant = parse_at(at)
    except ValueError as exc:
        return error_answer(400, "bad_instant", str(exc))
    return json_answer(200, stack.scheduled(function, instant))
