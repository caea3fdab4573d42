"""Run a scheduled function of ``template.yaml`` at a chosen instant against the local stack.

    python -m local.invoke SlaCheckFunction --at 2026-12-01T08:30:00+07:00
    make sweep AT=2026-12-01T08:30:00+07:00        make report AT=2026-12-01T09:00:00+07:00

The event is the one the function's schedule would deliver at that instant
(``local.events.scheduled_event``; an instant without an offset is Bangkok
time; no ``--at`` means now).

Where it runs — one writer of the local state at a time:

- a stack started by ``make run`` is running (``server.json`` in the state
  directory names its process and URL, and the URL answers): the invocation is
  asked of that stack (``POST /_local/invoke/<LogicalId>?at=...``), so it sees
  the live data, its e-mails land in that stack's outbox page, and that stack
  saves the state;
- otherwise: the stack is started in this process (moto on a free port, the
  template's resources, the saved state), the function is invoked, the state
  (with what it sent) is saved, and moto stops. Handler logs go to stderr.

The handler's return value is printed on stdout as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from local.events import has_input, parse_at, scheduled_functions


def _running_server(state: Path) -> dict[str, Any] | None:
    """The stack ``make run`` started on this state directory, if its process is alive."""
    try:
        info = json.loads((state / "server.json").read_text(encoding="utf-8"))
        os.kill(int(info["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return info


def _via_server(url: str, function: str, at: datetime) -> tuple[int, Any]:
    request = urllib.request.Request(  # noqa: S310 - our own local URL
        f"{url}/_local/invoke/{quote(function)}?at={quote(at.isoformat())}", method="POST", data=b"")
    try:
        with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def _in_process(state: Path, function: str, at: datetime) -> Any:
    from local.server import DEFAULT_PORT, Stack

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.invoke", description=__doc__.split("\n\n")[0])
    parser.add_argument("function", help=f"logical id in template.yaml: {', '.join(scheduled_functions())}")
    parser.add_argument("--at", default="", help="ISO instant, e.g. 2026-12-01T08:30:00+07:00 (default: now)")
    args = parser.parse_args(argv)
    if args.function not in scheduled_functions():
        parser.error(f"'{args.function}' is not a scheduled function of template.yaml "
                     f"(those are: {', '.join(scheduled_functions())})")
    try:
        at = parse_at(args.at)
    except ValueError as exc:
        parser.error(str(exc))
    if not has_input(args.function):
        print(f"note: the schedule of {args.function} has no Input in template.yaml; EventBridge Scheduler "
              "would send {} — the classic scheduled event is sent here", file=sys.stderr)
    from local.server import state_dir

    state = state_dir()
    server = _running_server(state)
    result: Any
    if server:
        try:
            status, result = _via_server(server["url"], args.function, at)
        except urllib.error.URLError as exc:
            if not isinstance(exc.reason, ConnectionRefusedError):
                print(f"error: the local stack at {server['url']} (pid {server['pid']}) did not answer: "
                      f"{exc.reason}", file=sys.stderr)
                return 1
            server = None  # nothing listens there: the server file is stale
        else:
            if status != 200:
                print(json.dumps(result, ensure_ascii=False, indent=2), file=sys.stderr)
                return 1
            print(f"invoked {args.function} at {at.isoformat()} in the running stack {server['url']}",
                  file=sys.stderr)
    if not server:
        result = _in_process(state, args.function, at)
        print(f"invoked {args.function} at {at.isoformat()} against the state in {state}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
