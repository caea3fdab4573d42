"""The citizen's filing page (``GET /report`` and ``/``) and the pages' static files
(``GET /static/{path+}``), through the pages handler as API Gateway calls it."""

import base64
import json
import re
from html.parser import HTMLParser

import pytest

from complaints import wiring
from complaints.assets import STATIC
from local.events import LambdaContext, rest_event
from tests.conftest import at

pytestmark = pytest.mark.integration


class Tags(HTMLParser):
    """The page's <script>, <link> and <option> tags, and the JSON configuration block."""

    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.options, self.config, self._in_config = [], [], {}, "", False
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
            self._in_config = a.get("id") == "report-config"
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.styles.append(a["href"])
        elif tag == "select":
            self._select = a["id"]
            self.options[self._select] = []
        elif tag == "option" and a.get("value"):
            self.options[self._select].append(a["value"])

    def handle_endtag(self, tag):
        self._in_config = self._in_config and tag != "script"

    def handle_data(self, data):
        if self._in_config:
            self.config += data


def parsed(body):
    tags = Tags()
    tags.feed(body)
    return tags


def directives(answer):
    policy = answer.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def static_event(path, query=""):
    return rest_event(
        "GET", "/static/{path+}", path, at=at("2026-04-10"), query=query, headers={"Accept": "image/avif"}
    )


@pytest.mark.parametrize("path", ["/report", "/"])
def test_the_filing_page_offers_every_category_and_district_in_thai(pages, path):
    answer = pages.call("GET", path)
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/html")
    page = parsed(answer.body)
    catalogue = wiring.usecases().catalogue
    assert sorted(page.options["category"]) == sorted(catalogue.categories)
    assert sorted(page.options["district"]) == sorted(catalogue.district_codes)
    for words in ("แจ้งเรื่องร้องเรียน", "ถนนชำรุด เป็นหลุมเป็นบ่อ", "ใช้ตำแหน่งของฉัน", "วัฒนา · Watthana", "ส่งเรื่อง"):
        assert words in answer.body, words
    config = json.loads(page.config)
    assert config["urgent"]["power_pole"]["hotline"] == "1130"  # the MEA's, from the catalogue
    assert config["tiles"]["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"  # the template's default
    assert len(config["districts"]) == 50 and config["near"] == 3
    assert (config["photos"]["max"], config["photos"]["max_bytes"]) == (3, 10 * 1024 * 1024)


def test_the_page_runs_no_inline_script_and_talks_only_to_itself(pages):
    answer = pages.call("GET", "/report")
    page = parsed(answer.body)
    inline = [s for s in page.scripts if "src" not in s]
    assert inline == [{"type": "application/json", "id": "report-config"}], "only the JSON block, never run"
    assert all(s["src"].startswith("/static/") for s in page.scripts if "src" in s)
    policy, bucket = directives(answer), wiring.usecases().photos.store.origin()
    assert policy["script-src"] == ["'self'"] and policy["default-src"] == ["'none'"]
    assert policy["connect-src"] == ["'self'", bucket]  # the API, and the photos posted to the bucket
    assert policy["img-src"] == ["'self'", "data:", "blob:", "https://tile.openstreetmap.org", bucket]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "</script><script>" not in page.config and json.loads(page.config)
    # no field has a name: a form sent without the script (GET /report?...) carries nothing typed
    assert not re.search(r"<(input|select|textarea)[^>]* name=", answer.body)


def test_the_tiles_come_from_the_configured_url(pages, monkeypatch):
    monkeypatch.setenv("MAP_TILES_URL", "https://{s}.tiles.example/osm/{z}/{x}/{y}.png")
    monkeypatch.setenv("MAP_ATTRIBUTION", "<b>Tiles</b> © example")
    wiring.reset()
    answer = pages.call("GET", "/report")
    config = json.loads(parsed(answer.body).config)
    assert config["tiles"] == {
        "url": "https://{s}.tiles.example/osm/{z}/{x}/{y}.png",
        "attribution": "<b>Tiles</b> © example",
    }
    assert "https://*.tiles.example" in directives(answer)["img-src"]
    assert "<b>Tiles</b>" not in answer.body  # in the JSON block as \u003cb\u003e: text, never markup


def test_every_file_the_page_names_is_served_with_its_type_for_a_year(pages):
    page = parsed(pages.call("GET", "/report").body)
    urls = [s["src"] for s in page.scripts if "src" in s] + page.styles
    assert len(urls) == 7
    for url in urls:
        path, _, query = url.partition("?")
        assert re.fullmatch(r"v=[0-9a-f]{12}", query), url
        answer = pages.call("GET", path, query=query)
        assert answer.status == 200, url
        kind = "text/css" if path.endswith(".css") else "text/javascript"
        assert answer.headers["Content-Type"] == f"{kind}; charset=utf-8"
        assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert answer.body.encode("utf-8") == (STATIC / path.removeprefix("/static/")).read_bytes()
    # without its version, a file is cached for an hour only (a deploy may change it)
    assert pages.call("GET", "/static/report.js").headers["Cache-Control"] == "public, max-age=3600"


def test_an_image_is_sent_base64_encoded_as_api_gateway_needs(pages):
    out = pages.handler(static_event("/static/vendor/leaflet-1.9.4/images/marker-icon.png"), LambdaContext("Pages"))
    headers = dict(out.get("headers") or {}) | {k: v[-1] for k, v in (out.get("multiValueHeaders") or {}).items()}
    assert out["statusCode"] == 200 and headers["Content-Type"] == "image/png" and out["isBase64Encoded"] is True
    png = (STATIC / "vendor/leaflet-1.9.4/images/marker-icon.png").read_bytes()
    assert base64.b64decode(out["body"]) == png and png.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pages.py",
        "/static/vendor/../../settings.py",
        "/static/%2e%2e/settings.py",
        "/static/..%2fsettings.py",
        "/static/vendor//leaflet-1.9.4/leaflet.js",
        "/static/.hidden.js",
        "/static/vendor/leaflet-1.9.4/LICENSE",  # kept beside the library, not served
        "/static/vendor/leaflet-1.9.4/VENDOR.md",
        "/static/no-such-file.js",
        "/static/report.js/",
        "/static/report.js%00.png",
    ],
)
def test_nothing_outside_the_static_files_is_served(pages, path):
    answer = pages.call("GET", path)
    assert answer.status == 404 and answer.headers["Content-Type"].startswith("text/html")
    assert "ลิงก์นี้ใช้ไม่ได้" in answer.body and answer.headers["Cache-Control"] == "no-store"
