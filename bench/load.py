"""``make bench-load`` (``python -m bench.load``): the local stack under 50 concurrent clients.

Starts ``python -m local run --no-seed`` (an empty table, a fresh state
directory in a temporary folder, free ports; its access log goes to a file
there), then fires ``UNIQUE`` ``POST /complaints`` with unique Idempotency-Keys
and ``REPEATS`` repeats of one more key, shuffled, from ``CLIENTS`` threads
(``http.client``, one kept-alive connection each). A connection error is
counted and retried on a new connection; a 409 ``in_progress`` (the same key
still being filed) is retried after a moment, as the API asks.

Then it checks through the API, paginating every list: exactly ``UNIQUE`` + 1
cases, unique ids, every answered id listed, the repeats all answered with one
case, each case's history complete (received, routed) and each notice (the
agency's e-mail, the citizen's SMS) in the outbox once. It prints throughput,
latency percentiles, connection errors and the server's peak memory (VmHWM).
Nothing is asserted: the exit status says only whether the checks held.
Targets on the development machine: ≥ 50 requests/s, p95 < 1 s, 0 lost,
0 duplicated, 0 connection errors.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from . import ROOT, clean_environ, table

# a smaller or larger run: LOAD_CLIENTS=1 LOAD_UNIQUE=100 LOAD_REPEATS=10 make bench-load
CLIENTS = int(os.environ.get("LOAD_CLIENTS") or 50)
UNIQUE = int(os.environ.get("LOAD_UNIQUE") or 1000)
REPEATS = int(os.environ.get("LOAD_REPEATS") or 100)
REPEATED_KEY = "bench-load-repeated"
CALLCENTER = {"X-Local-Role": "callcenter"}
TRIES = 10


def complaint(n: int) -> bytes:
    return json.dumps(
        {
            "category": "road",
            "description": f"ถนนเป็นหลุม (bench-load {n})",
            "location": {"address": f"ซอยสุขุมวิท {n % 70 + 1}", "district": "1039"},
            "complainant": {"name": "ผู้ทดสอบ", "phone": f"08{n:08d}"},
            "notify": True,
        },
        ensure_ascii=False,
    ).encode("utf-8")


class Server:
    """``python -m local run --no-seed`` on a fresh state directory."""

    def __init__(self, state_dir: Path) -> None:
        env = clean_environ() | {
            "PORT": "0",
            "MOTO_PORT": "0",
            "LOCAL_STATE_DIR": str(state_dir),
            "PYTHONUNBUFFERED": "1",
        }
        self.log = (state_dir / "access.log").open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "local", "run", "--no-seed"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            encoding="utf-8",
        )
        assert self.proc.stdout is not None
        self.port = 0
        for line in self.proc.stdout:
            if line.startswith("Ready: "):
                self.port = int(line.split()[1].rsplit(":", 1)[1])
                break
        if not self.port:
            raise SystemExit(f"the local stack did not start (see {self.log.name})")
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def cpu_seconds(self) -> float:
        """User and system CPU time the server has used."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory(self) -> dict[str, int]:
        """VmRSS and VmHWM (peak) of the server, in MiB."""
        lines = Path(f"/proc/{self.proc.pid}/status").read_text().splitlines()
        fields = dict(line.split(":", 1) for line in lines if ":" in line)
        return {k: int(fields[k].split()[0]) // 1024 for k in ("VmRSS", "VmHWM")}

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=60)
        self.log.close()
        return code


class Client:
    """One kept-alive connection, reopened after a connection error."""

    def __init__(self, port: int, errors: Counter[str]) -> None:
        self.port, self.errors, self.conn = port, errors, None

    def call(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
        headers = {"Content-Type": "application/json", **(headers or {})}
        for _ in range(TRIES):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8")
                return response.status, json.loads(text) if text else None
            except (OSError, http.client.HTTPException) as exc:
                self.errors[type(exc).__name__] += 1
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
        raise SystemExit(f"{method} {path}: no answer after {TRIES} tries ({dict(self.errors)})")


def fire(port: int) -> tuple[list[tuple[str, int, Any]], list[float], Counter[str], float]:
    """Every POST, from ``CLIENTS`` threads: (key, status, answer) each, latencies, errors, seconds."""
    jobs = [(f"bench-load-{n:04d}", n) for n in range(UNIQUE)] + [(REPEATED_KEY, UNIQUE)] * REPEATS
    random.Random(1555).shuffle(jobs)
    work: queue.Queue[tuple[str, int]] = queue.Queue()
    for job in jobs:
        work.put(job)
    answers: list[tuple[str, int, Any]] = []
    latencies: list[float] = []
    errors: Counter[str] = Counter()

    def client() -> None:
        me = Client(port, errors)
        while True:
            try:
                key, n = work.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            while True:
                status, answer = me.call("POST", "/complaints", complaint(n), {"Idempotency-Key": key})
                if status != 409 or (answer or {}).get("error", {}).get("code") != "in_progress":
                    break
                errors["409 in_progress (retried)"] += 1
                time.sleep(0.05)
            latencies.append(time.perf_counter() - started)
            answers.append((key, status, answer))

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers, latencies, errors, time.perf_counter() - started


def listed_cases(client: Client) -> tuple[list[dict[str, Any]], int]:
    cases, cursor, pages = [], None, 0
    while True:
        path = "/complaints?limit=100" + (f"&cursor={cursor}" if cursor else "")
        status, page = client.call("GET", path, headers=CALLCENTER)
        if status != 200:
            raise SystemExit(f"GET {path}: {status} {page}")
        cases, pages, cursor = cases + page["complaints"], pages + 1, page.get("next_cursor")
        if not cursor:
            return cases, pages


def check(port: int, answers: list[tuple[str, int, Any]]) -> dict[str, Any]:
    """What the API shows after the load, against what was answered."""
    client = Client(port, Counter())
    by_key: dict[str, set[str]] = {}
    for key, status, answer in answers:
        if status == 201:
            by_key.setdefault(key, set()).add(answer["id"])
    cases, pages = listed_cases(client)
    ids = [c["id"] for c in cases]
    answered = set().union(*by_key.values()) if by_key else set()
    incomplete = 0
    for case_id in ids:
        status, doc = client.call("GET", f"/complaints/{case_id}", headers=CALLCENTER)
        types = [e["type"] for e in (doc or {}).get("history") or []] if status == 200 else []
        incomplete += types[:2] != ["received", "routed"] or doc["state"] != "dispatched"
    status, box = client.call("GET", "/_outbox.json")
    notices = Counter(
        (m["channel"], case_id)
        for m in box["messages"]
        for case_id in {w.strip(":") for w in f"{m.get('subject') or ''} {m['text']}".split()} & set(ids)
    )
    return {
        "statuses": dict(Counter(status for _, status, _ in answers)),
        "cases listed": len(ids),
        "pages": pages,
        "duplicated ids": len(ids) - len(set(ids)),
        "lost (answered, not listed)": len(answered - set(ids)),
        "keys with more than one case": sum(len(v) > 1 for v in by_key.values()),
        "incomplete histories": incomplete,
        "cases without e-mail once": sum(notices[("email", i)] != 1 for i in ids),
        "cases without SMS once": sum(notices[("sms", i)] != 1 for i in ids),
        "outbox messages": box["count"],
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        server = Server(Path(tmp))
        try:
            before, cpu = server.memory(), server.cpu_seconds()
            answers, latencies, errors, seconds = fire(server.port)
            after, cpu = server.memory(), server.cpu_seconds() - cpu
            found = check(server.port, answers)
        finally:
            code = server.stop()
        log = (Path(tmp) / "access.log").read_text(encoding="utf-8")
    connection_errors = sum(v for k, v in errors.items() if not k.startswith("409"))
    table(
        f"{len(answers)} POST /complaints from {CLIENTS} clients ({UNIQUE} keys + {REPEATS} repeats of one)",
        ["figure", "value"],
        [
            ["requests/s", f"{len(answers) / seconds:.1f}"],
            ["seconds", f"{seconds:.1f}"],
            ["server CPU per request (ms)", f"{cpu / len(answers) * 1000:.0f}"],
            ["server CPU used (cores)", f"{cpu / seconds:.2f}"],
            ["p50 latency (s)", f"{percentile(latencies, 50):.3f}"],
            ["p95 latency (s)", f"{percentile(latencies, 95):.3f}"],
            ["p99 latency (s)", f"{percentile(latencies, 99):.3f}"],
            ["connection errors (retried)", connection_errors],
            *[[k, v] for k, v in sorted(errors.items()) if k.startswith("409")],
            ["server RSS before (MiB)", before["VmRSS"]],
            ["server RSS after (MiB)", after["VmRSS"]],
            ["server peak RSS, VmHWM (MiB)", after["VmHWM"]],
            ["5xx in the access log", len(re.findall(r'" 5\d\d ', log))],
            ["server exit status (SIGINT)", code],
        ],
    )
    table("Checked through the API", ["check", "value"], [[k, v] for k, v in found.items()])
    ok = (
        found["cases listed"] == UNIQUE + 1
        and found["statuses"] == {201: UNIQUE + REPEATS}
        and not any(found[k] for k in list(found)[3:9])
    )
    print(f"\n{'OK' if ok else 'NOT OK'}: {UNIQUE + 1} cases expected, {found['cases listed']} listed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(run())
