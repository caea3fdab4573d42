"""The staff console signed in through Cognito's hosted UI, in headless Chromium against the local
stack: the stack runs with a sign-in prefix (``LOCAL_PARAMETERS``), so the shell comes in Cognito
mode, and Playwright plays the hosted UI at its real address (``page.route``: nothing leaves the
machine) and API Gateway's Cognito authorizer (an ID token becomes the local front's role header).
``expect`` waits for each change: no sleeps."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Request, Route, expect

from local import infra
from tests.browser.conftest import NOT_INSTALLED, chromium_executable
from tests.stack import Server

if chromium_executable() is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

pytestmark = pytest.mark.browser
PREFIX = "test-1555-staff"
HOSTED_UI = f"https://{PREFIX}.auth.{infra.REGION}.amazoncognito.com"
CLIENT_ID = "local-client"  # the local stand-in for the app client's id


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"LOCAL_PARAMETERS": json.dumps({"SignInDomainPrefix": PREFIX})}
    server = Server(Path(tmp_path_factory.mktemp("console-cognito")), "--no-seed", env=env)
    yield server
    assert server.stop() == 0, server.output


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def id_token(groups: list[str], email: str = "somchai@1555.example", *, expires_in: int = 3600, **claims: Any) -> str:
    """A token shaped like Cognito's ID token. Its signature is not checked here: in AWS API
    Gateway checks it (tests/unit/edges/test_authorizer.py tests our own check)."""
    payload = {"sub": "u-1", "email": email, "cognito:groups": groups, "token_use": "id", "aud": CLIENT_ID}
    payload |= {"exp": int(time.time()) + expires_in, **claims}
    parts = [{"alg": "RS256", "kid": "test"}, payload]
    return ".".join([*(b64url(json.dumps(p).encode()) for p in parts), b64url(b"not-checked-here")])


def fields(text: str | None) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(text or "").items()}


class HostedUi:
    """The user pool's hosted UI and token endpoints, as the console meets them."""

    def __init__(self, page: Page, origin: str, tokens: dict[str, Any]) -> None:
        self.origin, self.tokens = origin, tokens
        self.authorize: list[dict[str, str]] = []
        self.token_posts: list[dict[str, str]] = []
        self.revoked: list[dict[str, str]] = []
        page.route(HOSTED_UI + "/**", self.handle)

    def handle(self, route: Route) -> None:
        url = urlsplit(route.request.url)
        cors = {"Access-Control-Allow-Origin": self.origin}
        if url.path == "/oauth2/authorize":  # the sign-in form; signing in sends the code back
            query = fields(url.query)
            self.authorize.append(query)
            back = f"{query['redirect_uri']}?code=the-code&state={query['state']}"
            return route.fulfill(content_type="text/html", body=f'<a id="hosted-sign-in" href="{back}">Sign in</a>')
        if url.path == "/oauth2/token":
            self.token_posts.append(fields(route.request.post_data))
            return route.fulfill(json=self.tokens, headers=cors)
        if url.path == "/oauth2/revoke":
            self.revoked.append(fields(route.request.post_data))
            return route.fulfill(body="", headers=cors)
        return route.fulfill(content_type="text/html", body="<p id='hosted-page'>signed out</p>")


class Gateway:
    """API Gateway's Cognito authorizer in front of the local stack: a call with an ID token goes
    on as the token's group (the local front's X-Local-Role); the calls are kept."""

    def __init__(self, page: Page, server: Server) -> None:
        self.calls: list[Request] = []
        page.route(lambda url: url.startswith(server.base + "/complaints"), self.handle)

    def handle(self, route: Route) -> None:
        self.calls.append(route.request)
        token = route.request.headers.get("authorization")
        if not token:
            return route.continue_()
        claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        return route.continue_(headers=route.request.headers | {"x-local-role": claims["cognito:groups"][0]})


def storage(page: Page) -> dict[str, str]:
    return page.evaluate("({...sessionStorage})")


def test_the_call_centre_signs_in_with_pkce_and_calls_the_api_with_its_id_token(server: Server, tablet: Page) -> None:
    token = id_token(["callcenter"])
    hosted = HostedUi(tablet, server.base, {"id_token": token, "refresh_token": "the-refresh", "access_token": "a"})
    gateway = Gateway(tablet, server)

    tablet.goto(server.base + "/console/callcentre")  # nobody signed in: off to the hosted UI
    expect(tablet.locator("#hosted-sign-in")).to_be_visible()
    (asked,) = hosted.authorize
    assert {k: asked[k] for k in ("response_type", "client_id", "redirect_uri", "scope", "code_challenge_method")} == {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": server.base + "/console/callback",
        "scope": "openid email profile",
        "code_challenge_method": "S256",
    }
    assert len(asked["state"]) >= 16

    tablet.locator("#hosted-sign-in").click()  # the hosted UI sends the code back to the callback
    expect(tablet.locator("#who-role")).to_contain_text("Call centre")
    assert tablet.url == server.base + "/console/callcentre"  # back where the sign-in started
    (posted,) = hosted.token_posts
    verifier = posted.pop("code_verifier")
    assert 43 <= len(verifier) <= 128
    assert asked["code_challenge"] == b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    assert posted == {
        "grant_type": "authorization_code",
        "client_id": CLIENT_ID,
        "code": "the-code",
        "redirect_uri": server.base + "/console/callback",
    }
    expect(tablet.locator("#who-user")).to_have_text("somchai@1555.example")
    assert set(storage(tablet)) == {"console.cognito.id_token", "console.cognito.refresh_token"}  # no verifier left

    with tablet.expect_request(lambda r: r.url.startswith(server.base + "/complaints?")) as listed:
        tablet.locator("#nav a", has_text="Home").click()
    assert listed.value.headers["authorization"] == token
    expect(tablet.locator("#latest .pager-empty")).to_be_visible()  # the API answered the call centre (no cases yet)
    assert gateway.calls and all(c.headers.get("authorization") == token for c in gateway.calls)


def test_signing_out_revokes_the_refresh_token_and_leaves_through_the_hosted_ui(server: Server, tablet: Page) -> None:
    hosted = HostedUi(tablet, server.base, {"id_token": id_token(["auditor"]), "refresh_token": "the-refresh"})
    Gateway(tablet, server)
    tablet.goto(server.base + "/console")
    tablet.locator("#hosted-sign-in").click()
    expect(tablet.locator("#who-role")).to_contain_text("Auditor")

    tablet.locator("#sign-out").click()
    expect(tablet.locator("#hosted-page")).to_be_visible()
    logout = urlsplit(tablet.url)
    assert f"{logout.scheme}://{logout.netloc}{logout.path}" == HOSTED_UI + "/logout"
    assert fields(logout.query) == {"client_id": CLIENT_ID, "logout_uri": server.base + "/console"}
    assert hosted.revoked == [{"token": "the-refresh", "client_id": CLIENT_ID}]
    tablet.goto(server.base + "/console/callback")  # the console's origin again: nothing kept
    assert storage(tablet) == {}


def test_an_expired_id_token_is_renewed_with_the_refresh_token(server: Server, tablet: Page) -> None:
    renewed = id_token(["agency"], "officer@district.example", **{"custom:agency_id": "DIST-1039"})
    hosted = HostedUi(tablet, server.base, {"id_token": renewed})
    Gateway(tablet, server)
    tablet.goto(server.base + "/console/callback")  # the console's origin, to put yesterday's sign-in there
    tablet.evaluate(
        """(expired) => {
          sessionStorage.setItem("console.cognito.id_token", expired);
          sessionStorage.setItem("console.cognito.refresh_token", "the-refresh");
        }""",
        id_token(["agency"], expires_in=-60),
    )
    tablet.goto(server.base + "/console")
    expect(tablet.locator("#who-agency")).to_have_text("DIST-1039")
    assert hosted.token_posts == [
        {"grant_type": "refresh_token", "client_id": CLIENT_ID, "refresh_token": "the-refresh"}
    ]
    assert hosted.authorize == []  # no trip to the hosted UI
    assert storage(tablet)["console.cognito.refresh_token"] == "the-refresh"  # kept: a renewal brings none


def test_a_callback_whose_state_is_not_ours_signs_nobody_in(server: Server, tablet: Page) -> None:
    hosted = HostedUi(tablet, server.base, {"id_token": id_token(["admin"])})
    tablet.goto(server.base + "/console")
    expect(tablet.locator("#hosted-sign-in")).to_be_visible()  # a sign-in begun, its state kept
    tablet.goto(server.base + "/console/callback?code=stolen-code&state=forged")
    expect(tablet.locator("#view .flash")).to_contain_text("The sign-in did not finish.")
    assert hosted.token_posts == []
    assert storage(tablet) == {}


def test_an_account_in_no_console_group_is_told_so_and_not_sent_round_again(server: Server, tablet: Page) -> None:
    hosted = HostedUi(tablet, server.base, {"id_token": id_token(["contractors"]), "refresh_token": "r"})
    tablet.goto(server.base + "/console")
    tablet.locator("#hosted-sign-in").click()
    expect(tablet.locator("#view .flash")).to_contain_text("no console role yet")
    expect(tablet.locator("#sign-out")).to_be_visible()
    assert len(hosted.authorize) == 1  # the hosted UI would sign it straight back in: a loop
