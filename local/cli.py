"""The command line of the local stack: ``python -m local run|invoke|report|openapi``.

``python -m local run`` (``make run``; environment: ``PORT``, default 3000;
``MOTO_PORT``, default 5055, ``0`` for any free port; ``LOCAL_STATE_DIR``,
default ``.local/`` in the repository) starts the stack (``local.stack``:
moto, the template's resources, the saved state), files demo complaints on
first start (an empty table, ``local.seed``; not with ``--no-seed``), makes sure of its
Open311 API key (``local.demo_key``: kept across restarts), serves
the HTTP front (``local.front``) on ``127.0.0.1:$PORT``, prints a banner and
``Ready: <url>``, saves the state behind (at most once a second,
``local.persist``) and when stopped (Ctrl-C or SIGTERM: requests still
arriving are refused with 503, then the last changes are written).

``python -m local invoke SlaCheckFunction --at 2026-12-01T08:30:00+07:00``
(``make sweep AT=...``, ``make report AT=...``) runs a scheduled function of
``template.yaml`` with the event its schedule would deliver at that instant
(``local.events.scheduled_event``; an instant without an offset is Bangkok
time, no ``--at`` means now). Where it runs — one writer of the local state at
a time:

- a stack started by ``make run`` is running (``server.json`` in the state
  directory names its process and URL, and the URL answers): the invocation is
  asked of that stack (``POST /_local/invoke/<LogicalId>?at=...``), so it sees
  the live data, its e-mails land in that stack's outbox page, and that stack
  saves the state;
- otherwise: the stack is started in this process (moto on a free port, the
  template's resources, the saved state), the function is invoked, the state
  (with what it sent) is saved, and moto stops. Handler logs go to stderr.

The handler's return value is printed on stdout as JSON.

``python -m local report 2026-11`` (``make report MONTH=2026-11``) writes the
month's report as files (``local.reports``), in the same two places.

``python -m local openapi`` (``make openapi``) prints the OpenAPI document
(``local.openapi``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import traceback
import urllib.error
from datetime import datetime
from pathlib import Path
from typing import Any

from local import demo_key, openapi, remote, reports, seed
from local.events import has_input, parse_at, scheduled_functions
from local.front import Front
from local.pages import banner
from local.stack import DEFAULT_MOTO_PORT, DEFAULT_PORT, PortInUse, Stack, state_dir

INVOKE = "Run a scheduled function of ``template.yaml`` at a chosen instant against the local stack."


# ---------------------------------------------------------------- run


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


def run(seed_demo: bool = True) -> int:
    port = int(os.environ.get("PORT") or DEFAULT_PORT)
    moto_port = int(os.environ.get("MOTO_PORT") or DEFAULT_MOTO_PORT)
    try:
        front = Front(("127.0.0.1", port))
    except OSError as exc:
        print(
            f"error: cannot listen on 127.0.0.1:{port} ({exc.strerror}); stop what uses it, or run with "
            "another PORT (make run PORT=3001)",
            file=sys.stderr,
        )
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
        if seed_demo and stack.is_empty():
            seed.run(stack)
        demo_key.ensure(stack)
        server_file = _write_server_file(stack, base)
        print(banner(base, stack), flush=True)
        print(f"Ready: {base}", flush=True)
        front.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        front.server_close()
        stack.close()
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


# ---------------------------------------------------------------- invoke


def _in_process(state: Path, function: str, at: datetime) -> Any:
    base = f"http://127.0.0.1:{os.environ.get('PORT') or DEFAULT_PORT}"
    stack = Stack(state, moto_port=0, public_base_url=base)
    # powertools loggers write to the stdout they see at import: send them to stderr,
    # so that stdout holds the result only.
    with contextlib.redirect_stdout(sys.stderr):
        stack.start()
        try:
            return stack.scheduled(function, at)
        finally:
            stack.stop()


def invoke(parser: argparse.ArgumentParser, function: str, when: str) -> int:
    if function not in scheduled_functions():
        parser.error(
            f"'{function}' is not a scheduled function of template.yaml (those are: {', '.join(scheduled_functions())})"
        )
    try:
        at = parse_at(when)
    except ValueError as exc:
        parser.error(str(exc))
    if not has_input(function):
        print(
            f"note: the schedule of {function} has no Input in template.yaml; EventBridge Scheduler "
            "would send {} — the classic scheduled event is sent here",
            file=sys.stderr,
        )
    state = state_dir()
    server = remote.running_server(state)
    result: Any
    if server:
        try:
            status, result = remote.invoke(server["url"], function, at)
        except urllib.error.URLError as exc:
            if not isinstance(exc.reason, ConnectionRefusedError):
                print(
                    f"error: the local stack at {server['url']} (pid {server['pid']}) did not answer: {exc.reason}",
                    file=sys.stderr,
                )
                return 1
            server = None  # nothing listens there: the server file is stale
        else:
            if status != 200:
                print(json.dumps(result, ensure_ascii=False, indent=2), file=sys.stderr)
                return 1
            print(f"invoked {function} at {at.isoformat()} in the running stack {server['url']}", file=sys.stderr)
    if not server:
        result = _in_process(state, function, at)
        print(f"invoked {function} at {at.isoformat()} against the state in {state}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="{run,invoke,report,openapi}")
    runner = commands.add_parser("run", help="the local stack on 127.0.0.1:$PORT, with demo data (make run)")
    runner.add_argument("--no-seed", action="store_true", help="start empty: no demo data (make bench-load)")
    invoker = commands.add_parser(
        "invoke", help="run a scheduled function (make sweep, make report)", description=INVOKE
    )
    invoker.add_argument("function", help=f"logical id in template.yaml: {', '.join(scheduled_functions())}")
    invoker.add_argument("--at", default="", help="ISO instant, e.g. 2026-12-01T08:30:00+07:00 (default: now)")
    reporter = commands.add_parser("report", help="a month's report as files (make report MONTH=...)")
    reporter.add_argument("month", nargs="?", default="", help="YYYY-MM (default: the previous month, Bangkok)")
    commands.add_parser("openapi", help="print the OpenAPI document of the API (make openapi)")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(seed_demo=not args.no_seed)
    if args.command == "invoke":
        return invoke(invoker, args.function, args.at)
    if args.command == "report":
        return reports.main(reporter, args.month)
    print(openapi.document())
    return 0
