"""The local stack of ``make run`` in a subprocess, for tests that talk to it over real HTTP.

The server runs as ``python -m local run`` — as ``make run`` starts it — with a
clean environment (``tests/conftest.py`` fills this process's environment for
moto's in-process mock, which the server must not see), any free ports
(``PORT=0``, ``MOTO_PORT=0``) and the state directory it is given. It is ready
when it prints ``Ready: <url>``; a watchdog kills it if it never does.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from local import infra

STARTUP_LIMIT_S = 180  # the first start seeds two months of demo history (about 30 s on an idle machine)
CALLCENTER = {"X-Local-Role": "callcenter"}


def clean_env(state_dir: Path) -> dict[str, str]:
    inherited = set(infra.function_environment("IntakeFunction"))
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_", "MOTO_")) and k not in inherited
    }
    return env | {"PORT": "0", "MOTO_PORT": "0", "LOCAL_STATE_DIR": str(state_dir), "PYTHONUNBUFFERED": "1"}


class Server:
    """One run of ``python -m local run`` (``*args``: ``--no-seed`` for an empty stack; ``env``:
    more variables, e.g. ``LOCAL_PARAMETERS``)."""

    def __init__(self, state_dir: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.state_dir = state_dir
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "local", "run", *args],
            cwd=infra.ROOT,
            env=clean_env(state_dir) | (env or {}),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
        )
        self.watchdog = threading.Timer(STARTUP_LIMIT_S, self.proc.kill)
        self.watchdog.start()
        assert self.proc.stdout is not None
        self.base = ""
        for line in self.proc.stdout:
            self.lines.append(line)
            if line.startswith("Ready: "):
                self.base = line.split()[1]
                break
        self.watchdog.cancel()
        if not self.base:
            self.proc.wait()
            raise AssertionError("the local stack did not start:\n" + self.output)
        threading.Thread(target=self._drain, daemon=True).start()
        self.moto = json.loads((state_dir / "server.json").read_text(encoding="utf-8"))["moto"]

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def stop(self, how: signal.Signals = signal.SIGINT) -> int:
        """Stop the server with ``how`` (Ctrl-C by default); its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(how)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, Any]:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        headers = {"Content-Type": "application/json", **(headers or {})}
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode("utf-8"), response.headers
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8"), exc.headers

    def all_cases(self, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
        """Every case the call centre lists, page by page; and the number of pages."""
        cases, cursor, pages = [], None, 0
        while True:
            query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
            status, text, _ = self.call("GET", "/complaints" + query, headers=CALLCENTER)
            assert status == 200, text
            page = json.loads(text)
            cases += page["complaints"]
            pages += 1
            cursor = page.get("next_cursor")
            if not cursor or pages > 100:
                return cases, pages


class Restartable:
    """A state directory and the server running on it (``args``: e.g. ``--no-seed``), restartable on
    the same state."""

    def __init__(self, state_dir: Path, *args: str) -> None:
        self.state_dir = state_dir
        self.args = args
        self.server = Server(state_dir, *args)

    def restart(self) -> Server:
        assert self.server.stop() == 0, self.server.output
        self.server = Server(self.state_dir, *self.args)
        return self.server
