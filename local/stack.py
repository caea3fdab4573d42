"""One local stack: moto, the template's resources, the handlers and the saved state.

``Stack.start`` (1) starts moto's ``ThreadedMotoServer`` in this process and points every
boto3 client at it (``AWS_ENDPOINT_URL``, fake credentials, no shared AWS config files) before
any client exists — the clients of this process reach moto's application without a socket
(``local.transport``; browsers reach the server's port with the photos' presigned URLs), and
moto is made faster where its speed grows with the table (``local.quick``: speed only, the
same answers); (2) makes the resources of ``template.yaml`` (``local.infra.create_resources``)
and reloads the saved state, the link-signing secret and the photo bucket's objects included
(links and photos from before a restart still open after it).

``Stack.api`` plays API Gateway for one request: it is matched against the
template's ``Api`` events, turned into a REST proxy event
(``local.events.rest_event``, stamped with the wall clock: API Gateway's
``requestTimeEpoch``) and handed to the handler the template names.
``Stack.scheduled`` runs a scheduled function as its schedule would
(``local.events.scheduled_event``). ``autosave`` off (the seed) leaves the
saving to the caller.

State that survives a restart — a dump, not moto's recorder. moto 5's
recorder (``MOTO_ENABLE_RECORDING``, ``/moto-api/recorder/...``) appends every
request, reads included, to a log that only grows and is replayed request by
request at start; a replay depends on the log's first requests creating the
resources, does not survive a change to ``template.yaml`` (a new index, say),
and the in-process SES/SNS history would come back only if every send were
replayed too. Instead the stack keeps ``state.json`` under the state directory
(``local.state``): every item of the table (read from moto's backend in this
process; the product never scans), the outbox entries and the link-signing
secret, written behind (``local.persist``: at most once a second after API
requests that are not GETs and scheduled invocations, and at stop), with the
photo bucket's objects as files beside it (``local.photos``). At start the items
are written back with BatchWriteItem into the freshly created table (so its
indexes follow the current template) and the outbox entries become the outbox's
archive. A state file that cannot be read is moved aside, never deleted.

One request at a time reaches the handlers (a lock, first come first served:
``local.fifo``), as in one Lambda container: the powertools resolver keeps the
current event on the app, and the handlers' work is Python's (one core at a time
anyway). Once the stack is stopping (``close``), requests are refused
(``Stopping``: 503), so that nothing is answered that the last save misses.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from local import infra, persist, photos, quick, state, transport
from local.events import Answer, LambdaContext, match, rest_event, scheduled_event
from local.fifo import FifoLock
from local.outbox import Outbox

DEFAULT_PORT = 3000
DEFAULT_MOTO_PORT = 5055


def state_dir() -> Path:
    return Path(os.environ.get("LOCAL_STATE_DIR") or infra.ROOT / ".local")


class PortInUse(RuntimeError):
    pass


class Stopping(RuntimeError):
    """The stack is stopping: no more requests reach the handlers."""


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
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": infra.REGION,
            "AWS_REGION": infra.REGION,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )


@dataclass
class Stack:
    """moto, the template's resources, the handlers and the saved state of one local stack."""

    state_dir: Path
    moto_port: int = DEFAULT_MOTO_PORT
    public_base_url: str = f"http://127.0.0.1:{DEFAULT_PORT}"
    lock: FifoLock = field(default_factory=FifoLock)
    outbox: Outbox = field(default_factory=Outbox)
    demo: dict[str, Any] = field(default_factory=dict)  # a seeded case and its token, for the banner
    endpoint: str = ""
    autosave: bool = True  # save (behind) after each API request that is not a GET, and each scheduled run
    link_secret: str | None = None
    closing: bool = False
    _moto: Any = None
    _saver: persist.WriteBehind | None = None
    _speedup: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
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
        # moto's server is imported only when a stack starts (it pulls in every moto backend),
        # and boto3 only once the environment points at moto: no session can exist before.
        from moto.server import ThreadedMotoServer

        self._speedup.enter_context(quick.faster_moto())
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.moto_port, verbose=False)
        self._moto.start()
        _, port = self._moto.get_host_and_port()
        self.endpoint = f"http://127.0.0.1:{port}"
        _aws_environment(self.endpoint)
        self._speedup.enter_context(transport.in_process_transport(self.endpoint))

        import boto3

        session = boto3.Session(region_name=infra.REGION)
        infra.create_resources(session, public_base_url=self.public_base_url)
        self.ddb = session.client("dynamodb")
        self.load(session.client("secretsmanager"))
        mirror = photos.Mirror(self.state_dir)
        mirror.reload(session.client("s3"))
        self._saver = persist.WriteBehind(self.state_file, self.lock, self._saved_extras, mirror)
        self._speedup.enter_context(persist.marked_writes(self._saver.mark))
        self._saver.start()

    def close(self) -> None:
        """Refuse requests from now on (``Stopping``); the one being served finishes first."""
        self.lock.acquire(first=True)
        self.closing = True
        self.lock.release()

    def stop(self) -> None:
        """Write what is not saved yet, then stop moto."""
        try:
            if self._saver is not None:
                self._saver.close()
                self._saver = None
        finally:
            if self._moto is not None:
                self._moto.stop()
                self._moto = None
            self._speedup.close()

    # ------------------------------------------------------------ state

    def is_empty(self) -> bool:
        return not self.ddb.scan(TableName=infra.LOCAL_TABLE, Limit=1)["Items"]

    def changed(self) -> None:
        """Something may have changed: saved within a second (``local.persist``), unless ``autosave`` is off."""
        if self.autosave and self._saver is not None:
            self._saver.touch()

    def save(self) -> None:
        """Save now."""
        if self._saver is not None:
            self._saver.flush()

    def _saved_extras(self) -> dict[str, Any]:
        return {"outbox": self.outbox.entries(), "demo": self.demo, "link_secret": self.link_secret}

    def load(self, secrets: Any) -> None:
        """The saved items, outbox, demo case and link-signing secret, if a state was saved."""
        saved = self._read_state()
        if saved.get("link_secret"):
            secrets.put_secret_value(SecretId=infra.LOCAL_SECRET, SecretString=saved["link_secret"])
        self.link_secret = secrets.get_secret_value(SecretId=infra.LOCAL_SECRET)["SecretString"]

    def _read_state(self) -> dict[str, Any]:
        if not self.state_file.exists():
            return {}
        try:
            items, saved = state.read(self.state_file)
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            aside = state.move_aside(self.state_file)
            print(
                f"warning: could not read {self.state_file} ({exc}); moved it to {aside.name} and started empty",
                file=sys.stderr,
            )
            return {}
        for start in range(0, len(items), 25):
            requests = {infra.LOCAL_TABLE: [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]}
            for _ in range(10):
                requests = self.ddb.batch_write_item(RequestItems=requests).get("UnprocessedItems") or {}
                if not requests:
                    break
            else:
                raise RuntimeError("moto left items unprocessed while reloading the state")
        self.outbox = Outbox(saved.get("outbox") or [])
        self.demo = saved.get("demo") or {}
        return saved

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
            if self.closing:
                raise Stopping("the local stack is stopping")
            return self.prepare(function)(event, LambdaContext(function))

    def route(self, method: str, path: str) -> infra.Route | None:
        return next((r for r in infra.routes() if r.method == method and match(r.path, path) is not None), None)

    def api(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        headers: dict[str, str] | None = None,
        body: bytes | str | None = None,
        claims: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> Answer | None:
        """What API Gateway would answer (``None``: no such route in the template)."""
        route = self.route(method, path)
        if route is None:
            return None
        if claims and not route.authorizer and route.path not in self._warned:
            self._warned.add(route.path)
            print(
                f"note: {method} {route.path} has no authorizer in template.yaml; in AWS the claims of "
                "X-Local-Role would not reach the handler",
                file=sys.stderr,
            )
        event = rest_event(
            method,
            route.path,
            path,
            at=at or datetime.now(UTC),
            body=body or None,
            query=query,
            headers=headers,
            claims=claims,
            lambda_authorizer=route.authorizer == "OptionalStaff",
        )
        try:
            return Answer.of(self.invoke(route.function, event))
        finally:
            if method != "GET":
                self.changed()

    def scheduled(self, function: str, at: datetime) -> Any:
        """Run a scheduled function as its schedule would at ``at`` (saved behind, unless ``autosave`` is off)."""
        try:
            return self.invoke(function, scheduled_event(function, at))
        finally:
            self.changed()
