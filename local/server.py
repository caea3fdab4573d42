"""The local stack of ``make run``: moto, the template's resources and the API on 127.0.0.1.

``python -m local.server`` (environment: ``PORT``, default 3000; ``MOTO_PORT``,
default 5055, ``0`` for any free port; ``LOCAL_STATE_DIR``, default ``.local/``
in the repository):

1. starts moto's ``ThreadedMotoServer`` in this process and points every boto3
   client at it (``AWS_ENDPOINT_URL``, fake credentials, no shared AWS config
   files), before any client exists;
2. makes the resources of ``template.yaml`` (``local.infra.create_resources``)
   and reloads the saved state;
3. on first start (an empty table) files demo complaints (``local.seed``);
4. serves HTTP on ``127.0.0.1:$PORT``, playing API Gateway: each request is
   matched against the template's ``Api`` events, turned into a REST proxy
   event (``local.events.rest_event``, stamped with the wall clock: API Gateway's
   ``requestTimeEpoch``) and handed to the handler the template names.

Who is calling: API Gateway's Cognito authorizer puts the caller's claims in
``requestContext.authorizer.claims``. Locally there is no Cognito; the front
turns ``X-Local-Role: callcenter|agency|auditor|executive|admin`` (with
``X-Local-Agency: DIST-1039`` for an agency officer, optional
``X-Local-User``) or the query parameter ``as=callcenter`` /
``as=agency:DIST-1039`` (for a browser) into those claims and strips them from
the request. The handlers read the claims only.

Local-only pages (not API routes): ``/`` (what to try), ``/_outbox`` and
``/_outbox.json`` (what the stack "sent", see ``local.outbox``), and
``POST /_local/invoke/<LogicalId>?at=<ISO instant>``, which ``local.invoke``
uses to run a scheduled function inside a running stack.

State that survives a restart — a dump, not moto's recorder. moto 5's
recorder (``MOTO_ENABLE_RECORDING``, ``/moto-api/recorder/...``) appends every
request, reads included, to a log that only grows and is replayed request by
request at start; a replay depends on the log's first requests creating the
resources, does not survive a change to ``template.yaml`` (a new index, say),
and the in-process SES/SNS history would come back only if every send were
replayed too. Instead, after every API request that is not a GET, after a
scheduled invocation and at shutdown, the stack writes ``state.json`` under the
state directory: every item of the table (a Scan — fine in this local tool, the
product never scans) and the outbox entries; the write is atomic (temporary
file, then rename). At start the items are written back with BatchWriteItem
into the freshly created table (so its indexes follow the current template)
and the outbox entries become the outbox's archive. A state file that cannot
be read is moved aside (kept, never deleted) and the stack starts empty.

One request at a time reaches the handlers (a lock), as in one Lambda
container: the powertools resolver keeps the current event on the app.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import os
import signal
import socket
import sys
import threading
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from local import infra
from local.events import (
    ROLES,
    LambdaContext,
    claims_for,
    match,
    parse_at,
    rest_event,
    scheduled_event,
    scheduled_functions,
)
from local.outbox import Outbox

STATE_FORMAT = 1
DEFAULT_PORT = 3000
DEFAULT_MOTO_PORT = 5055


def state_dir() -> Path:
    return Path(os.environ.get("LOCAL_STATE_DIR") or infra.ROOT / ".local")


class PortInUse(RuntimeError):
    pass


def _check_port_free(port: int, what: str, hint: str) -> None:
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            raise PortInUse(f"{what}: 127.0.0.1:{port} is in use ({exc.strerror}); {hint}") from None


def _aws_environment(endpoint: str) -> None:
    """Every boto3 client of this process talks to moto with fake credentials, never to AWS."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        os.environ.pop(name, None)
    os.environ.update({
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": infra.REGION, "AWS_REGION": infra.REGION,
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    })


def _encode_value(av: dict[str, Any]) -> dict[str, Any]:
    (kind, value), = av.items()
    if kind == "B":
        return {"B": base64.b64encode(value).decode("ascii")}
    if kind == "BS":
        return {"BS": [base64.b64encode(v).decode("ascii") for v in value]}
    if kind == "M":
        return {"M": {k: _encode_value(v) for k, v in value.items()}}
    if kind == "L":
        return {"L": [_encode_value(v) for v in value]}
    return av


def _decode_value(av: dict[str, Any]) -> dict[str, Any]:
    (kind, value), = av.items()
    if kind == "B":
        return {"B": base64.b64decode(value)}
    if kind == "BS":
        return {"BS": [base64.b64decode(v) for v in value]}
    if kind == "M":
        return {"M": {k: _decode_value(v) for k, v in value.items()}}
    if kind == "L":
        return {"L": [_decode_value(v) for v in value]}
    return av


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
        headers = [(name, v) for key, (name, values) in merged.items()
                   if key not in ("content-length", "connection", "transfer-encoding") for v in values]
        raw = out.get("body") or ""
        body = base64.b64decode(raw) if out.get("isBase64Encoded") else str(raw).encode("utf-8")
        return cls(int(out["statusCode"]), headers, body)


def json_answer(status: int, payload: Any) -> Answer:
    return Answer(status, [("Content-Type", "application/json")],
                  json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode("utf-8"))


def error_answer(status: int, code: str, message: str) -> Answer:
    return json_answer(status, {"error": {"code": code, "message": message}})


@dataclass
class Stack:
    """moto, the template's resources, the handlers and the saved state of one local stack."""

    state_dir: Path
    moto_port: int = DEFAULT_MOTO_PORT
    public_base_url: str = f"http://127.0.0.1:{DEFAULT_PORT}"
    lock: threading.RLock = field(default_factory=threading.RLock)
    outbox: Outbox = field(default_factory=Outbox)
    demo: dict[str, Any] = field(default_factory=dict)  # a seeded case and its token, for the banner
    endpoint: str = ""
    autosave: bool = True  # save after each API request that is not a GET
    _moto: Any = None
    _handlers: dict[str, Callable[..., Any]] = field(default_factory=dict)
    _warned: set[str] = field(default_factory=set)

    @property
    def state_file(self) -> Path:
        return self.state_dir / "state.json"

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server: no line per AWS call
        warnings.filterwarnings("ignore", "No application metrics to publish")  # a GET adds no metric
        _check_port_free(self.moto_port, "moto", "set MOTO_PORT to another port, or 0 for any free one")
        from moto.server import ThreadedMotoServer

        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.moto_port, verbose=False)
        self._moto.start()
        _, port = self._moto.get_host_and_port()
        self.endpoint = f"http://127.0.0.1:{port}"
        _aws_environment(self.endpoint)

        import boto3

        session = boto3.Session(region_name=infra.REGION)
        infra.create_resources(session)
        self.ddb = session.client("dynamodb")
        self.load()

    def stop(self) -> None:
        if self._moto is not None:
            self._moto.stop()
            self._moto = None

    # ------------------------------------------------------------ state

    def items(self) -> list[dict[str, Any]]:
        """Every item of the local table (a Scan: this local tool only; the product never scans)."""
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"TableName": infra.LOCAL_TABLE}
        while True:
            page = self.ddb.scan(**kwargs)
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def is_empty(self) -> bool:
        return not self.ddb.scan(TableName=infra.LOCAL_TABLE, Limit=1)["Items"]

    def save(self) -> None:
        with self.lock:
            state = {
                "format": STATE_FORMAT, "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "table": infra.LOCAL_TABLE,
                "items": [{k: _encode_value(v) for k, v in item.items()} for item in self.items()],
                "outbox": self.outbox.entries(),
                "demo": self.demo,
            }
            self.state_dir.mkdir(parents=True, exist_ok=True)
            tmp = self.state_file.with_name(f".state.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.state_file)

    def load(self) -> None:
        if not self.state_file.exists():
            return
        try:
            state = json.loads(self.state_file.read_text(encoding="utf-8"))
            if state.get("format") != STATE_FORMAT:
                raise ValueError(f"state format {state.get('format')!r}, expected {STATE_FORMAT}")
            items = [{k: _decode_value(v) for k, v in item.items()} for item in state.get("items") or []]
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            aside = self.state_file.with_name(f"state.unreadable-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json")
            os.replace(self.state_file, aside)
            print(f"warning: could not read {self.state_file} ({exc}); moved it to {aside.name} "
                  "and started empty", file=sys.stderr)
            return
        for start in range(0, len(items), 25):
            requests = {infra.LOCAL_TABLE: [{"PutRequest": {"Item": i}} for i in items[start:start + 25]]}
            for _ in range(10):
                requests = self.ddb.batch_write_item(RequestItems=requests).get("UnprocessedItems") or {}
                if not requests:
                    break
            else:
                raise RuntimeError("moto left items unprocessed while reloading the state")
        self.outbox = Outbox(state.get("outbox") or [])
        self.demo = state.get("demo") or {}

    # ------------------------------------------------------------ functions

    def function_environment(self, function: str) -> dict[str, str]:
        env = infra.function_environment(function, {"PublicBaseUrl": self.public_base_url})
        return env | {"POWERTOOLS_TRACE_DISABLED": "1"}

    def handler(self, function: str) -> Callable[..., Any]:
        if function not in self._handlers:
            module, attr = infra.handler_module(function)
            self._handlers[function] = getattr(module, attr)
        return self._handlers[function]

    def prepare(self, function: str) -> Callable[..., Any]:
        """``function``'s handler, imported (once) under its template environment."""
        with self.lock:
            os.environ.update(self.function_environment(function))
            return self.handler(function)

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        """One invocation of ``function`` with its template environment, one at a time."""
        with self.lock:
            return self.prepare(function)(event, LambdaContext(function))

    def route(self, method: str, path: str) -> infra.Route | None:
        return next((r for r in infra.routes() if r.method == method and match(r.path, path) is not None), None)

    def api(self, method: str, path: str, *, query: str = "", headers: dict[str, str] | None = None,
            body: bytes | str | None = None, claims: dict[str, Any] | None = None,
            at: datetime | None = None) -> Answer | None:
        """What API Gateway would answer (``None``: no such route in the template)."""
        route = self.route(method, path)
        if route is None:
            return None
        if claims and not route.authorizer and route.path not in self._warned:
            self._warned.add(route.path)
            print(f"note: {method} {route.path} has no authorizer in template.yaml; in AWS the claims of "
                  "X-Local-Role would not reach the handler", file=sys.stderr)
        event = rest_event(method, route.path, path, at=at or datetime.now(UTC), body=body or None,
                           query=query, headers=headers, claims=claims)
        try:
            return Answer.of(self.invoke(route.function, event))
        finally:
            if method != "GET" and self.autosave:
                self.save()

    def scheduled(self, function: str, at: datetime) -> Any:
        """Run a scheduled function as its schedule would at ``at``, then save."""
        with self.lock:
            try:
                return self.invoke(function, scheduled_event(function, at))
            finally:
                self.save()


# ---------------------------------------------------------------- HTTP front

class Front(ThreadingHTTPServer):
    daemon_threads = True

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

    def _handle(self, method: str) -> None:
        try:
            answer = self._answer(method)
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
        query = urlencode([(k, v) for k, v in pairs if k != "as"]) if any(k == "as" for k, _ in pairs) \
            else url.query
        headers = {k: v for k, v in self.headers.items() if not k.lower().startswith("x-local-")}
        answer = stack.api(method, path, query=query, headers=headers, body=body, claims=claims)
        if answer is None:
            return error_answer(404, "not_found", f"no route {method} {path} in template.yaml "
                                                  f"(see {self.server.base_url}/ for what to try)")
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
        if method == "GET" and path == "/" and stack.route("GET", "/") is None:
            return Answer(200, [("Content-Type", "text/html; charset=utf-8")],
                          index_page(self.server.base_url, stack).encode("utf-8"))
        if not path.startswith("/_"):
            return None
        if method == "GET" and path == "/_outbox":
            from local.outbox import page

            return Answer(200, [("Content-Type", "text/html; charset=utf-8")], page(stack.outbox).encode("utf-8"))
        if method == "GET" and path == "/_outbox.json":
            from local.outbox import as_json

            return Answer(200, [("Content-Type", "application/json")], as_json(stack.outbox).encode("utf-8"))
        parts = path.split("/")
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


def _outbox_part(outbox: Outbox, entry_id: str, part: str | None) -> Answer:
    entry = outbox.find(entry_id)
    if entry is None:
        return error_answer(404, "not_found", f"no message '{entry_id}' in the outbox")
    if part is None:
        if not entry.get("html"):
            return error_answer(404, "not_found", "this message has no HTML part")
        # The HTML exactly as sent, in a sandbox: no scripts, an origin of its own.
        return Answer(200, [("Content-Type", "text/html; charset=utf-8"),
                            ("Content-Security-Policy", "sandbox allow-popups allow-popups-to-escape-sandbox")],
                      entry["html"].encode("utf-8"))
    attachments = entry.get("attachments") or []
    if not part.isdigit() or int(part) >= len(attachments):
        return error_answer(404, "not_found", f"no attachment {part} on message '{entry_id}'")
    att = attachments[int(part)]
    name = att["filename"].replace('"', "")
    return Answer(200, [("Content-Type", att["content_type"]),
                        ("Content-Disposition", f'attachment; filename="{name}"')],
                  base64.b64decode(att["data"]))


def _invoke_page(stack: Stack, function: str, at: str | None) -> Answer:
    if function not in scheduled_functions():
        return error_answer(404, "not_found", f"'{function}' is not a scheduled function of template.yaml "
                                              f"(those are: {', '.join(scheduled_functions())})")
    try:
        instant = parse_at(at)
    except ValueError as exc:
        return error_answer(400, "bad_instant", str(exc))
    return json_answer(200, stack.scheduled(function, instant))


def curl_examples(base: str, demo: dict[str, Any]) -> list[tuple[str, str]]:
    case_id, token = demo.get("id") or "<id>", demo.get("token") or "<token>"
    body = ('{"category":"road","description":"ถนนเป็นหลุม","location":{"district":"1039"},'
            '"complainant":{"phone":"0812345678"},"notify":true}')
    return [
        ("file a complaint (as a citizen)",
         f"curl -s -X POST {base}/complaints -H 'Content-Type: application/json' -d '{body}'"),
        ("read a case as its citizen (token from the 201 answer)",
         f"curl -s '{base}/complaints/{case_id}?token={token}'"),
        ("list cases as the call centre", f"curl -s {base}/complaints -H 'X-Local-Role: callcenter'"),
        ("list cases as an agency officer",
         f"curl -s {base}/complaints -H 'X-Local-Role: agency' -H 'X-Local-Agency: DIST-1039'"),
        ("route a case (call centre)",
         f"curl -s -X POST {base}/complaints/{case_id}/route -H 'X-Local-Role: callcenter' "
         "-H 'Content-Type: application/json' -d '{\"agency_id\":\"DIST-1001\"}'"),
    ]


ROLE_HELP = [
    ("citizen", "no header (the default)", ""),
    ("callcenter", "-H 'X-Local-Role: callcenter'", "as=callcenter"),
    ("agency", "-H 'X-Local-Role: agency' -H 'X-Local-Agency: DIST-1039'", "as=agency:DIST-1039"),
    ("auditor", "-H 'X-Local-Role: auditor'", "as=auditor"),
    ("executive", "-H 'X-Local-Role: executive'", "as=executive"),
    ("admin", "-H 'X-Local-Role: admin'", "as=admin"),
]


def banner(base: str, stack: Stack) -> str:
    lines = ["", "1555 complaint centre — local stack", "",
             f"  API         {base}", f"  what to try {base}/", f"  outbox      {base}/_outbox",
             f"  moto        {stack.endpoint}  (aws --endpoint-url {stack.endpoint} --region {infra.REGION} ...)",
             f"  state       {stack.state_dir}", ""]
    for title, cmd in curl_examples(base, stack.demo):
        lines += [f"  # {title}", f"  {cmd}"]
    lines += ["", "  Act as a role: a header for curl, or ?as=... in a browser:"]
    for role, header, query in ROLE_HELP:
        lines.append(f"    {role:<10} {header}" + (f"   or ?{query}" if query else ""))
    lines += ["", "  Scheduled jobs (against this stack while it runs):",
              "    make sweep AT=2026-12-01T08:30:00+07:00", "    make report AT=2026-12-01T09:00:00+07:00",
              "", "Ctrl-C stops (the state is saved)."]
    return "\n".join(lines)


def index_page(base: str, stack: Stack) -> str:
    e = html.escape
    routes = "".join(
        f"<tr><td>{e(r.method)}</td><td>"
        + (f'<a href="{e(r.path)}">{e(r.path)}</a>' if r.method == "GET" and "{" not in r.path else e(r.path))
        + f"</td><td>{e(r.function)}</td><td>{'staff (Cognito)' if r.authorizer else 'anyone'}</td></tr>"
        for r in infra.routes())
    links = [("/agencies", "agencies (public)"), ("/categories", "categories (public)"),
             ("/complaints?as=callcenter", "all cases, as the call centre"),
             ("/complaints?as=agency:DIST-1039", "the cases of Watthana district office, as its officer"),
             ("/complaints?as=callcenter&state=triage", "cases waiting for triage"),
             ("/_outbox", "the outbox: e-mails and SMS the stack sent")]
    if stack.demo.get("id") and stack.demo.get("token"):
        links.insert(2, (f"/complaints/{stack.demo['id']}?token={stack.demo['token']}",
                         f"case {stack.demo['id']} as its citizen (tracking token)"))
        links.insert(3, (f"/complaints/{stack.demo['id']}?as=callcenter",
                         f"case {stack.demo['id']} as the call centre"))
    items = "".join(f'<li><a href="{e(href)}">{e(href)}</a> — {e(text)}</li>' for href, text in links)
    roles = "".join(f"<tr><td>{e(role)}</td><td><code>{e(header)}</code></td>"
                    f"<td>{'<code>?' + e(query) + '</code>' if query else ''}</td></tr>"
                    for role, header, query in ROLE_HELP)
    curls = "".join(f"<p>{e(title)}</p><pre>{e(cmd)}</pre>" for title, cmd in curl_examples(base, stack.demo))
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>1555 local stack</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
            "td{padding:.2rem .6rem;border-bottom:1px solid #eee}pre{background:#f6f6f6;padding:.5rem;"
            "white-space:pre-wrap}</style></head><body>"
            f"<h1>1555 complaint centre — local stack</h1><p>API base URL: <code>{e(base)}</code> "
            f"(moto at <code>{e(stack.endpoint)}</code>, region <code>{e(infra.REGION)}</code>)</p>"
            f"<h2>Try</h2><ul>{items}</ul>"
            "<h2>Acting as a role</h2><p>There is no Cognito locally: the local front turns a header (or, in a "
            "browser, the query parameter <code>as</code>) into the claims API Gateway's authorizer would "
            "pass.</p><table><tr><th>role</th><th>curl</th><th>browser</th></tr>"
            f"{roles}</table><h2>curl</h2>{curls}"
            f"<h2>Routes of template.yaml</h2><table><tr><th>method</th><th>path</th><th>function</th>"
            f"<th>who</th></tr>{routes}</table>"
            "<h2>Scheduled jobs</h2><pre>make sweep AT=2026-12-01T08:30:00+07:00\n"
            "make report AT=2026-12-01T09:00:00+07:00</pre></body></html>")


# ---------------------------------------------------------------- main

def _write_server_file(stack: Stack, base: str) -> Path:
    path = stack.state_dir / "server.json"
    stack.state_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"pid": os.getpid(), "url": base, "moto": stack.endpoint}), encoding="utf-8")
    return path


def _stop_on_signals() -> None:
    """Ctrl-C (SIGINT) and SIGTERM stop the stack cleanly — SIGINT even when the shell that
    started it in the background set it to be ignored."""
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)


def main() -> int:
    port = int(os.environ.get("PORT") or DEFAULT_PORT)
    moto_port = int(os.environ.get("MOTO_PORT") or DEFAULT_MOTO_PORT)
    try:
        front = Front(("127.0.0.1", port))
    except OSError as exc:
        print(f"error: cannot listen on 127.0.0.1:{port} ({exc.strerror}); stop what uses it, or run with "
              "another PORT (make run PORT=3001)", file=sys.stderr)
        return 1
    base = front.base_url
    stack = Stack(state_dir(), moto_port, base)
    try:
        stack.start()
    except PortInUse as exc:
        front.server_close()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    front.stack = stack
    server_file: Path | None = None
    _stop_on_signals()
    try:
        if stack.is_empty():
            from local import seed

            seed.run(stack)
        server_file = _write_server_file(stack, base)
        print(banner(base, stack), flush=True)
        print(f"Ready: {base}", flush=True)
        front.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        front.server_close()
        try:
            stack.save()
            print(f"\nstopped; state saved to {stack.state_file}", flush=True)
        except Exception:
            traceback.print_exc()
            print(f"\nstopped; the state could NOT be saved to {stack.state_file}", file=sys.stderr)
        if server_file is not None:
            server_file.unlink(missing_ok=True)
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
