"""The local stack over HTTP (#13): the contract in Swagger UI at ``/docs`` (vendored, no CDN,
``docs/openapi.json`` as committed) and the Open311 API key ``make run`` prints, kept across
restarts until it is revoked. An empty stack (``--no-seed``): neither needs demo data."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.request
from collections.abc import Iterator

import pytest

from local import docs, infra
from tests.stack import Restartable, Server

ADMIN = {"X-Local-Role": "admin"}
VENDORED = infra.ROOT / "local" / "static" / docs.VENDOR


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Restartable]:
    stack = Restartable(tmp_path_factory.mktemp("local-docs"), "--no-seed")
    yield stack
    stack.server.stop()


def fetch(server: Server, path: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(server.base + path, timeout=30) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def printed_key(server: Server) -> str:
    found = re.search(r"Open311 API key: (\S+)", server.output)
    assert found, server.output
    return found.group(1)


def listed(server: Server) -> dict[str, dict]:
    status, text, _ = server.call("GET", "/api-keys", headers=ADMIN)
    assert status == 200, text
    return {k["id"]: k for k in json.loads(text)["api_keys"]}


def test_the_docs_page_shows_the_contract_with_the_vendored_swagger_ui(stack: Restartable) -> None:
    status, headers, page = fetch(stack.server, "/docs")

    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    html = page.decode("utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == [f"/docs/{docs.VENDOR}/swagger-ui-bundle.js", "/docs/docs.js"]
    assert "<script>" not in html and "//" not in html.replace("http://127.0.0.1", "")  # no inline script, no CDN
    vendor_md = (VENDORED / "VENDOR.md").read_text(encoding="utf-8")
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        status, _, body = fetch(stack.server, f"/docs/{docs.VENDOR}/{name}")
        assert status == 200 and body == (VENDORED / name).read_bytes()
        assert f"| `{name}` | `{hashlib.sha256(body).hexdigest()}` |" in vendor_md
    assert fetch(stack.server, "/docs/docs.js")[0] == 200


def test_the_contract_served_is_docs_openapi_json(stack: Restartable) -> None:
    status, headers, body = fetch(stack.server, "/docs/openapi.json")

    assert status == 200 and headers["Content-Type"] == "application/json"
    assert body == (infra.ROOT / "docs" / "openapi.json").read_bytes()
    assert "/api-keys" in json.loads(body)["paths"]


def test_no_other_file_is_served_under_docs(stack: Restartable) -> None:
    for path in (f"/docs/{docs.VENDOR}/VENDOR.md", "/docs/../template.yaml", "/docs/%2e%2e/local/docs.py"):
        status, _, _ = stack.server.call("GET", path)
        assert status == 404, path


def test_make_run_prints_an_api_key_kept_across_restarts_until_it_is_revoked(stack: Restartable) -> None:
    key = printed_key(stack.server)
    key_id = key.split(".")[0]
    assert listed(stack.server)[key_id]["name"] == "local demo"

    server = stack.restart()
    assert printed_key(server) == key
    assert len(listed(server)) == 1

    status, text, _ = server.call("DELETE", f"/api-keys/{key_id}", headers=ADMIN)
    assert status == 200, text
    server = stack.restart()
    fresh = printed_key(server)
    assert fresh != key
    keys = listed(server)
    assert keys[key_id]["revoked_at"] and keys[fresh.split(".")[0]]["revoked_at"] is None
