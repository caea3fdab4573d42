"""Headless Chromium (Debian's ``chromium`` package) driven by Playwright, against the local stack.

Playwright's own browser download is not used: it launches the system's Chromium
(``executable_path``). ``make test`` installs that package when it runs as root
(``make browser-deps``); where Chromium is missing the browser tests skip and say so.
``CHROMIUM=/path/to/chromium`` picks another executable (and an empty or missing one
makes the tests skip, as on a machine without Chromium).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.stack import Server

NOT_INSTALLED = (
    "Chromium is not installed (Debian package `chromium`, looked for /usr/bin/chromium and "
    "`chromium` on PATH, or $CHROMIUM); `make test` installs it when run as root, "
    "or: sudo apt-get install chromium"
)
# As root in a sandbox without a network: no sandboxing of its own, no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}  # the staff console's size


def chromium_executable() -> str | None:
    """The Chromium to drive: $CHROMIUM when set, else Debian's, else ``chromium`` on PATH."""
    candidates = [os.environ["CHROMIUM"]] if "CHROMIUM" in os.environ else ["/usr/bin/chromium", "chromium"]
    for candidate in filter(None, candidates):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None:
        pytest.skip(NOT_INSTALLED)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def phone(browser: Browser, **options: Any) -> Page:
    """A page in a fresh browser context the size of a phone, in Thai (``options``: e.g. a
    geolocation and its permission)."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1, locale="th-TH", is_mobile=True, has_touch=True, **options
    )
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context the size of a phone, in Thai."""
    page = phone(browser)
    yield page
    page.context.close()


@pytest.fixture
def tablet(browser: Browser) -> Iterator[Page]:
    """A fresh browser context the size of a tablet, in Thai (the staff console)."""
    context = browser.new_context(viewport=TABLET, locale="th-TH")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(Path(tmp_path_factory.mktemp("browser-state")))
    yield server
    assert server.stop() == 0, server.output


THAI_WIDTHS = """(el) => {
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = getComputedStyle(el).font;
  return [ctx.measureText("ก").width, ctx.measureText("กี").width];
}"""


def assert_thai_glyphs(page: Page, selector: str = "body") -> None:
    """The page's Thai text is drawn with a Thai font, not boxes: with a Thai font the vowel ี
    sits on its consonant (no advance of its own); missing glyphs are boxes side by side."""
    consonant, with_vowel = page.locator(selector).first.evaluate(THAI_WIDTHS)
    assert consonant > 0
    assert with_vowel < consonant * 1.2, "Thai is drawn as boxes: install a Thai font (make browser-deps)"
