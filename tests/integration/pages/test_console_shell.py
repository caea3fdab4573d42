"""The staff console's shell (``GET /console`` and ``/console/{page}``) through the pages handler:
the configuration its scripts read, the scripts in order, and its policy."""

import json
from html.parser import HTMLParser

import pytest

from complaints import console, wiring

pytestmark = pytest.mark.integration
HOSTED_UI = "https://city-1555.auth.ap-southeast-1.amazoncognito.com"


class Shell(HTMLParser):
    def __init__(self):
        super().__init__()
        self.body, self.scripts, self.styles, self.config, self._in_config = {}, [], [], "", False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        elif tag == "script":
            self.scripts.append(a)
            self._in_config = a.get("id") == "console-config"
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.styles.append(a["href"])

    def handle_endtag(self, tag):
        self._in_config = self._in_config and tag != "script"

    def handle_data(self, data):
        if self._in_config:
            self.config += data


def shell(answer):
    parsed = Shell()
    parsed.feed(answer.body)
    return parsed


@pytest.fixture
def rewired():
    """The settings read again from this test's environment, and again after it."""
    wiring.reset()
    yield
    wiring.reset()


def directives(answer):
    policy = answer.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def test_the_home_runs_locally_with_the_role_picker_and_its_own_scripts_in_order(pages):
    answer = pages.call("GET", "/console")
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/html")
    assert answer.headers["Cache-Control"] == "no-store"
    page = shell(answer)
    assert page.body == {
        "data-page": "home",
        "data-auth": "local",
        "data-sign-in-url": "",
        "data-client-id": "",
        "data-base": "",
    }
    sources = [s["src"].partition("?")[0] for s in page.scripts if "src" in s]
    assert sources == [
        "/static/console/core.js",
        "/static/console/pager.js",
        "/static/console/auth-local.js",
        "/static/console/home.js",
    ]
    assert [s for s in page.scripts if "src" not in s] == [{"type": "application/json", "id": "console-config"}]
    config = json.loads(page.config)
    assert [p["name"] for p in config["pages"] if "admin" in p["roles"]] == [
        "home",
        "callcentre",
        "agency",
        "audits",
        "reports",
        "admin",
    ]
    assert config["roles"]["callcenter"] == {"th": "เจ้าหน้าที่ศูนย์ 1555", "en": "Call centre"}
    assert "คอนโซลเจ้าหน้าที่" in answer.body and "Staff console" in answer.body


@pytest.mark.parametrize("name", ["callcentre", "agency", "audits", "reports", "admin"])
def test_each_role_page_loads_its_own_script(pages, name):
    page = shell(pages.call("GET", f"/console/{name}"))
    assert page.body["data-page"] == name
    assert [s["src"].partition("?")[0] for s in page.scripts if "src" in s][-1] == f"/static/console/{name}.js"


def test_the_pages_showing_cases_load_the_shared_case_view_before_their_own_script(pages):
    for name, modules in (
        ("callcentre", ["case", "pickers", "callcentre-file", "callcentre-actions"]),
        ("agency", ["case", "agency-actions"]),
    ):
        sources = [
            s["src"].partition("?")[0] for s in shell(pages.call("GET", f"/console/{name}")).scripts if "src" in s
        ]
        assert sources[3:] == [f"/static/console/{m}.js" for m in modules] + [f"/static/console/{name}.js"]
    home = [s["src"] for s in shell(pages.call("GET", "/console")).scripts if "src" in s]
    assert not any("case.js" in s for s in home)


@pytest.mark.parametrize("name", ["home", "nope", "..%2Fpages.py"])
def test_a_page_that_is_not_one_is_the_404_page(pages, name):
    assert pages.call("GET", f"/console/{name}").status == 404


def test_the_policy_runs_only_our_scripts_and_talks_to_the_api_and_the_bucket(pages):
    answer = pages.call("GET", "/console/callcentre")
    policy, bucket = directives(answer), wiring.usecases().photos.store.origin()
    assert policy["default-src"] == ["'none'"] and policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'", bucket]
    assert policy["img-src"] == ["'self'", "data:", "blob:", "https:", bucket]
    assert policy["frame-ancestors"] == ["'none'"]


def test_with_a_hosted_ui_the_console_signs_in_with_cognito_and_may_reach_its_token_endpoint(
    pages, monkeypatch, rewired
):
    monkeypatch.setenv("CONSOLE_SIGN_IN_URL", HOSTED_UI)
    monkeypatch.setenv("CONSOLE_CLIENT_ID", "4example0client0id")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://abc123.execute-api.ap-southeast-1.amazonaws.com/v1/")
    answer = pages.call("GET", "/console/callback")
    page = shell(answer)
    assert page.body["data-auth"] == "cognito" and page.body["data-sign-in-url"] == HOSTED_UI
    assert page.body["data-client-id"] == "4example0client0id" and page.body["data-base"] == "/v1"
    assert HOSTED_UI in directives(answer)["connect-src"]
    # every script and style is under the stage's path; the cognito script once another change adds it
    urls = [s["src"] for s in page.scripts if "src" in s] + page.styles
    assert urls and all(u.startswith("/v1/static/console/") for u in urls)
    assert "signing in" in answer.body.lower()


def test_a_malformed_sign_in_url_is_refused_at_cold_start(monkeypatch, rewired):
    monkeypatch.setenv("CONSOLE_SIGN_IN_URL", "javascript:alert(1)")
    with pytest.raises(ValueError, match="console_sign_in_url"):
        wiring.console_settings()


def test_the_base_path_is_the_stage_of_the_public_url():
    assert console.base_path("https://x.execute-api.ap-southeast-1.amazonaws.com/v1") == "/v1"
    assert console.base_path("https://1555.bangkok.go.th") == ""
    assert console.base_path("http://127.0.0.1:3000") == ""
