"""The local stack's contract page (``/docs``) in headless Chromium: Swagger UI, vendored, renders
``docs/openapi.json``'s operations under the page's Content-Security-Policy, and loads nothing
from another origin. ``expect`` waits: no sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NOT_INSTALLED, chromium_executable
from tests.stack import Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An empty stack: the contract page needs no demo data."""
    server = Server(Path(tmp_path_factory.mktemp("docs-state")), "--no-seed")
    yield server
    assert server.stop() == 0, server.output


def test_swagger_ui_lists_the_operations_of_the_contract_from_this_origin_only(bare: Server, tablet: Page) -> None:
    requested: list[str] = []
    problems: list[str] = []
    tablet.on("request", lambda request: requested.append(request.url))
    tablet.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    tablet.on("pageerror", lambda error: problems.append(str(error)))

    tablet.goto(bare.base + "/docs")

    complaints = tablet.locator(".opblock-summary-path", has_text="/complaints").first
    expect(complaints).to_be_visible()
    expect(tablet.locator(".opblock-summary-path[data-path='/api-keys']")).to_have_count(2)  # GET and POST
    expect(tablet.locator(".info .title")).to_contain_text("1555 complaint centre API")
    tablet.locator(".opblock-get .opblock-summary-path[data-path='/agencies']").click()  # open one
    expect(tablet.locator(".opblock.is-open .opblock-summary-path[data-path='/agencies']")).to_be_visible()
    assert problems == [], (problems, requested)
    assert requested and all(url.startswith(bare.base + "/") for url in requested), requested
