"""``make report MONTH=2026-11``: a month's report as files, from the local stack.

``python -m local report [YYYY-MM]`` (no month: the previous one, Bangkok time)
writes, under ``reports/`` in the state directory (``.local/reports/``):

- ``<month>.json``, ``<month>.csv`` and ``<month>.html``: ``GET
  /reports/monthly/<month>`` (JSON, ``?format=csv``, ``?format=html``), read
  through the API as an executive would (the claims of ``X-Local-Role: executive``);
- ``<month>.eml``, for a month that has ended: the e-mail the report function
  sent the executives through SES (``send_raw_email``), the MIME message exactly
  as sent, taken from the outbox (``local.outbox``: moto's ``sent_messages``, or
  the archive of earlier runs).

For a month that has ended, the report function (``ReportFunction``) runs first,
as its schedule would at 09:00 Bangkok on the 1st of the next month (or now, if
that is still to come): it freezes the month and e-mails it, once — a second run
sends nothing new, and the ``.eml`` is the one sent the first time. For the
running month nothing runs and there is no e-mail: the files hold the figures so
far (``final: false``). Where it runs, as ``make sweep``: in the stack ``make
run`` started, when there is one (``local.remote``), otherwise in this process
on the saved state. The paths written are printed on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import urllib.error
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from complaints.domain.calendar import BANGKOK, local_month
from local import remote
from local.events import claims_for
from local.stack import DEFAULT_PORT, Stack, state_dir

FUNCTION = "ReportFunction"
EXECUTIVE = {"X-Local-Role": "executive"}
FORMATS = (("json", ""), ("csv", "?format=csv"), ("html", "?format=html"))
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def previous_month(now: datetime | None = None) -> str:
    """The local (Bangkok) month before the one of ``now``: ``2026-11`` on 2 December."""
    year, month = (int(p) for p in local_month(now or datetime.now(UTC)).split("-"))
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def report_instant(month: str) -> datetime:
    """When the schedule reports ``month``: 09:00 Bangkok on the 1st of the next month."""
    year, mm = (int(p) for p in month.split("-"))
    return datetime(year + mm // 12, mm % 12 + 1, 1, 9, tzinfo=BANGKOK)


def fiscal_year(month: str) -> int:
    """The Thai fiscal year (October to September) a month is in, by the CE year it ends in."""
    year, mm = (int(p) for p in month.split("-"))
    return year + 1 if mm >= 10 else year


def the_email(messages: list[dict[str, Any]], month: str) -> dict[str, Any] | None:
    """The newest e-mail of the outbox carrying the month's report (its CSV attached, sent raw)."""
    name = f"1555-report-{month}.csv"
    found = [
        m
        for m in messages
        if m.get("channel") == "email" and any(a.get("filename") == name for a in m.get("attachments") or [])
    ]
    return max(found, key=lambda m: m.get("sent_at") or "", default=None)


class Where(Protocol):
    def run(self, at: datetime) -> Any: ...
    def get(self, path: str) -> tuple[int, bytes]: ...
    def messages(self) -> list[dict[str, Any]]: ...
    def eml(self, entry_id: str) -> bytes | None: ...


class Running:
    """The stack ``make run`` started, over HTTP."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.where = f"in the running stack {url}"

    def run(self, at: datetime) -> Any:
        status, result = remote.invoke(self.url, FUNCTION, at)
        if status != 200:
            raise RuntimeError(json.dumps(result, ensure_ascii=False))
        return result

    def get(self, path: str) -> tuple[int, bytes]:
        return remote.get(self.url, path, EXECUTIVE)

    def messages(self) -> list[dict[str, Any]]:
        status, body = remote.get(self.url, "/_outbox.json")
        return json.loads(body)["messages"] if status == 200 else []

    def eml(self, entry_id: str) -> bytes | None:
        status, body = remote.get(self.url, f"/_outbox/{entry_id}.eml")
        return body if status == 200 else None


class InProcess:
    """A stack started in this process on the saved state (the function's run is saved with it)."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.where = f"against the state in {stack.state_dir}"

    def run(self, at: datetime) -> Any:
        return self.stack.scheduled(FUNCTION, at)

    def get(self, path: str) -> tuple[int, bytes]:
        route, _, query = path.partition("?")
        answer = self.stack.api("GET", route, query=query, claims=claims_for("executive", user="local-report"))
        return (404, b"") if answer is None else (answer.status, answer.body)

    def messages(self) -> list[dict[str, Any]]:
        return self.stack.outbox.entries()

    def eml(self, entry_id: str) -> bytes | None:
        return self.stack.outbox.raw(entry_id)


@contextlib.contextmanager
def connect(state: Path) -> Any:
    server = remote.running_server(state)
    if server:
        yield Running(server["url"])
        return
    stack = Stack(state, moto_port=0, public_base_url=f"http://127.0.0.1:{os.environ.get('PORT') or DEFAULT_PORT}")
    # powertools loggers write to the stdout they see at import: stdout keeps the paths only
    with contextlib.redirect_stdout(sys.stderr):
        stack.start()
        try:
            yield InProcess(stack)
        finally:
            stack.stop()


def fetch(where: Where, month: str, now: datetime) -> dict[str, bytes]:
    """The month's files (name suffix → bytes); the report function run first when the month has ended."""
    ended = month < local_month(now)
    if ended:
        at = min(report_instant(month), now)
        result = where.run(at)
        print(f"invoked {FUNCTION} at {at.isoformat()} {where.where}: {json.dumps(result)}", file=sys.stderr)
    files = {}
    for suffix, query in FORMATS:
        status, body = where.get(f"/reports/monthly/{month}{query}")
        if status != 200:
            detail = body.decode("utf-8", "replace")
            raise RuntimeError(f"GET /reports/monthly/{month}{query} answered {status}: {detail}")
        files[suffix] = body
    files["json"] = json.dumps(json.loads(files["json"]), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    if ended:
        found = the_email(where.messages(), month)
        raw = where.eml(found["id"]) if found else None
        if raw is None:
            print(f"note: no e-mail of the report of {month} in the outbox (no executives?)", file=sys.stderr)
        else:
            files["eml"] = raw
    return files


def write(month: str, out: Path, files: dict[str, bytes]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, data in files.items():
        path = out / f"{month}.{suffix}"
        path.write_bytes(data)
        written.append(path)
    return written


def main(parser: argparse.ArgumentParser, month: str, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    month = month.strip() or previous_month(now)
    if not MONTH.match(month):
        parser.error(f"'{month}' is not a month: use YYYY-MM, e.g. {previous_month(now)}")
    if month > local_month(now):
        parser.error(f"the month {month} has not begun (Bangkok time)")
    state = state_dir()
    try:
        with connect(state) as where:
            files = fetch(where, month, now)
    except (RuntimeError, urllib.error.URLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in write(month, state / "reports", files):
        print(path)
    return 0
