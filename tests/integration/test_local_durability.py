"""The local stack of ``make run`` kept across stops, crashes and concurrent clients, over real HTTP.

Each test starts ``python -m local run --no-seed`` (``tests/stack.py``: an empty
table, a fresh state directory, free ports) and restarts it on the same state.
"""

from __future__ import annotations

import json
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.stack import CALLCENTER, Server

STATE_WRITE_LIMIT_S = 30  # the write-behind saves within a second; a busy machine may take longer


def complaint(description: str, email: str | None = None) -> dict[str, Any]:
    """A complaint whose filing tells the citizen by SMS, or by e-mail (with the tracking link) if ``email``."""
    contact = {"email": email} if email else {"phone": "0812345678"}
    return {
        "category": "road",
        "description": description,
        "location": {"address": "ซอยสุขุมวิท 31", "district": "1039"},
        "complainant": {"name": "สมชาย ใจดี", **contact},
        "notify": True,
    }


def file(server: Server, description: str, email: str | None = None) -> dict[str, Any]:
    status, text, _ = server.call("POST", "/complaints", complaint(description, email))
    assert status == 201, text
    return json.loads(text)


def links(server: Server, case_id: str) -> tuple[str, str]:
    """The agency's link and the citizen's tracking link that the outbox holds for a case (paths)."""
    messages = json.loads(server.call("GET", "/_outbox.json")[1])["messages"]
    texts = " ".join(m["text"] for m in messages if case_id in (m.get("subject") or "") + m["text"])
    (agency,) = set(re.findall(rf"{re.escape(server.base)}(/a/{case_id}\.[^\s)]+)", texts))
    (track,) = set(re.findall(rf"{re.escape(server.base)}(/track/{case_id}\?token=[^\s)]+)", texts))
    return agency, track


def start(servers: list[Server], state_dir: Path) -> Server:
    server = Server(state_dir, "--no-seed")
    servers.append(server)
    return server


def test_agency_and_tracking_links_still_open_after_a_restart(servers: list[Server], tmp_path: Path) -> None:
    server = start(servers, tmp_path)
    filed = file(server, "ไฟทางดับ (links across a restart)", email="somchai@example.com")
    agency, track = links(server, filed["id"])
    assert server.call("GET", agency)[0] == 200
    assert server.call("GET", track)[0] == 200

    assert server.stop(signal.SIGTERM) == 0, server.output
    assert (tmp_path / "state.json").stat().st_mode & 0o077 == 0  # it holds the secret: its owner's only
    server = start(servers, tmp_path)

    status, page, _ = server.call("GET", agency)
    assert status == 200, page
    assert filed["id"] in page
    status, page, _ = server.call("GET", track)
    assert status == 200, page
    assert filed["id"] in page
    status, text, _ = server.call("GET", f"/complaints/{filed['id']}?token={filed['tracking_token']}")
    assert status == 200, text


def test_the_access_log_shows_no_tracking_or_agency_link_token(servers: list[Server], tmp_path: Path) -> None:
    server = start(servers, tmp_path)
    filed = file(server, "ท่อระบายน้ำอุดตัน (access log)", email="somchai@example.com")
    agency, track = links(server, filed["id"])
    tokens = [filed["tracking_token"], agency.removeprefix("/a/"), track.split("token=", 1)[1]]
    server.call("GET", agency)
    server.call("GET", track)
    texted = file(server, "ทางเท้าชำรุด (the SMS's short link)")  # told by SMS: the short link
    messages = json.loads(server.call("GET", "/_outbox.json")[1])["messages"]
    (short,) = {p for m in messages for p in re.findall(rf"{re.escape(server.base)}(/t/{texted['id']}/\S+)", m["text"])}
    status, page, _ = server.call("GET", short)  # the redirect, followed to the tracking page
    assert status == 200 and texted["id"] in page and 'id="next-step"' in page
    tokens.append(short.rsplit("/", 1)[1])
    server.call("GET", f"/complaints/{filed['id']}?token={filed['tracking_token']}")
    server.call("GET", f"/complaints/{filed['id']}?token=not-the-token")
    assert server.stop() == 0

    log = server.output
    assert f"GET /complaints/{filed['id']}?token=" in log  # the requests were logged
    assert "GET /a/" in log and f"GET /track/{filed['id']}" in log
    assert f"GET /t/{texted['id']}/[redacted]" in log
    for token in tokens:
        assert token not in log
    assert "not-the-token" not in log


def test_a_stop_by_ctrl_c_or_sigterm_loses_nothing(servers: list[Server], tmp_path: Path) -> None:
    server = start(servers, tmp_path)
    first = [file(server, f"ทางเท้าทรุด {n} (stopped at once)")["id"] for n in range(5)]
    assert server.stop(signal.SIGINT) == 0, server.output  # at once: within the write-behind's second

    server = start(servers, tmp_path)
    second = [file(server, f"ทางเท้าทรุด {n} (terminated at once)")["id"] for n in range(5)]
    assert server.stop(signal.SIGTERM) == 0, server.output

    server = start(servers, tmp_path)
    listed = {c["id"] for c in server.all_cases()[0]}
    assert listed == set(first + second)
    for case_id in first + second:
        status, text, _ = server.call("GET", f"/complaints/{case_id}", headers=CALLCENTER)
        assert status == 200, text
        assert [e["type"] for e in json.loads(text)["history"]] == ["received", "routed"]


def test_a_crash_after_the_write_behind_saved_loses_nothing(servers: list[Server], tmp_path: Path) -> None:
    server = start(servers, tmp_path)
    filed = file(server, "น้ำท่วมขัง (crash)")
    state = tmp_path / "state.json"
    deadline = time.monotonic() + STATE_WRITE_LIMIT_S
    while not (state.exists() and filed["id"] in state.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline, "the state was not written behind the request"
        time.sleep(0.05)
    server.proc.kill()  # no clean stop: what the write-behind wrote is all there is
    server.proc.wait()

    server = start(servers, tmp_path)
    status, text, _ = server.call("GET", f"/complaints/{filed['id']}?token={filed['tracking_token']}")
    assert status == 200, text


def test_twenty_concurrent_citizens_are_all_filed(servers: list[Server], tmp_path: Path) -> None:
    server = start(servers, tmp_path)
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda n: server.call("POST", "/complaints", complaint(f"หลุม {n}")), range(20)))
    assert [status for status, _, _ in answers] == [201] * 20, [text for _, text, _ in answers]
    ids = {json.loads(text)["id"] for _, text, _ in answers}
    assert len(ids) == 20
    assert {c["id"] for c in server.all_cases()[0]} == ids
