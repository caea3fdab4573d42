"""Hostile input on the pages (links, tokens, forms) gets a clear 4xx page and leaves no trace;
what a citizen or an officer typed is shown as text, never as markup."""

import re
from urllib.parse import quote

import pytest

from tests.conftest import table_items
from tests.integration.api.hostile import raw_call
from tests.integration.pages import test_pages
from tests.integration.pages.test_pages import link_for

pytestmark = pytest.mark.integration
LATER = "2026-04-16T08:00:00+07:00"
filed = test_pages.filed  # the fixture: a complaint filed through the API


def with_part(path, n, value):
    """The link with its ``n``-th dot-separated part replaced."""
    parts = path.split(".")
    parts[n] = value
    return ".".join(parts)


def a_page(answer, status):
    assert answer.status == status, answer.body
    assert answer.headers["Content-Type"].startswith("text/html")
    return answer.body


def unchanged(aws, before):
    assert table_items(aws) == before, "a refused request changed the table"


@pytest.mark.parametrize("token", ["ทดสอบ", "é" * 32, "\u200b", "%E0%B8%97"])
def test_a_non_ascii_tracking_token_gets_the_404_page(filed, pages, aws, token):
    before = table_items(aws)
    path = f"/track/{filed['id']}"
    a_page(pages.call("GET", path, query=f"token={token}", when=LATER), 404)
    form = {"raw": "fixed=yes&satisfied=yes", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}
    a_page(pages.call("POST", path, query=f"token={quote(token)}", when=LATER, **form), 404)
    unchanged(aws, before)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda p: p.rsplit(".", 1)[0] + ".ทดสอบ",  # a Thai signature
        lambda p: p[:-1] + "é",
        lambda p: with_part(p, 3, "9" * 30),  # an expiry past any clock
        lambda p: with_part(p, 3, "-" + "9" * 20),
        lambda p: with_part(p, 3, "99999999999999"),
        lambda p: with_part(p, 2, "9" * 5000),
    ],
    ids=["thai-signature", "latin-1", "huge-expiry", "negative-expiry", "year-3M", "huge-seq"],
)
def test_a_hostile_agency_link_gets_the_403_page(filed, pages, aws, mangle):
    path = mangle(link_for(filed["id"]))
    before = table_items(aws)
    body = a_page(pages.call("GET", path, when=LATER), 403)
    assert "This link cannot be used" in body
    a_page(pages.form(path, {"action": "acknowledge"}, when=LATER), 403)
    unchanged(aws, before)


def test_a_form_that_is_not_utf8_gets_a_400_page(filed, pages, aws):
    before = table_items(aws)
    body = b"action=acknowledge&note=" + "รับทราบ".encode("tis-620")
    a_page(raw_call(pages, "POST", link_for(filed["id"]), body, "application/x-www-form-urlencoded", when=LATER), 400)
    track = f"/track/{filed['id']}"
    a_page(raw_call(pages, "POST", track, b"fixed=yes&satisfied=\xff", "application/x-www-form-urlencoded"), 400)
    unchanged(aws, before)


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=x", "text/plain"])
def test_a_form_of_another_media_type_gets_a_415_page(filed, pages, aws, content_type):
    before = table_items(aws)
    answer = raw_call(pages, "POST", link_for(filed["id"]), b"action=acknowledge", content_type, when=LATER)
    a_page(answer, 415)
    unchanged(aws, before)


def test_a_form_over_the_limit_gets_a_413_page(filed, pages, aws):
    before = table_items(aws)
    answer = pages.form(link_for(filed["id"]), {"action": "progress", "note": "ก" * 1_000_000}, when=LATER)
    a_page(answer, 413)
    unchanged(aws, before)


@pytest.mark.parametrize(
    "path",
    ["/track/..%2F..%2Fetc%2Fpasswd", "/track/%2E%2E", "/track/2604-ABCDE%2F", "/track/2604-ABCDEF%00"],
)
def test_path_traversal_in_a_tracking_id_gets_the_404_page(pages, aws, path):
    before = table_items(aws)
    a_page(pages.call("GET", path, query="token=x"), 404)
    unchanged(aws, before)


def test_a_too_long_tracking_token_gets_the_404_page(filed, pages):
    a_page(pages.call("GET", f"/track/{filed['id']}", query="token=" + "x" * 5000), 404)


def test_a_hostile_link_is_not_echoed(filed, pages):
    path = link_for(filed["id"]).rsplit(".", 1)[0] + ".<script>alert(1)<%2Fscript>"
    body = a_page(pages.call("GET", path, when=LATER), 403)
    assert "alert" not in body and re.search(r"<script", body) is None


def test_an_unknown_page_is_the_404_page(pages):
    assert "1555" in a_page(pages.call("GET", "/a/x/y", when=LATER), 404)
