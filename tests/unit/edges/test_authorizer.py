"""The optional-identity authorizer (functions/authorizer) with tokens signed by a test key:
its JWKS is served by a fake fetch, nothing goes to the network."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from authorizer import KeySet, Verifier, authorize
from cryptography.hazmat.primitives.asymmetric import rsa

from complaints.domain.model import Role
from complaints.identity import actor_for, claims_of

pytestmark = pytest.mark.unit

REGION, POOL, CLIENT = "ap-southeast-1", "ap-southeast-1_TestPool", "test-client-id"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL}"
NOW = 1_776_000_000  # the request's time (requestTimeEpoch / 1000)
ARN = "arn:aws:execute-api:ap-southeast-1:123456789012:abc123/v1/POST/complaints"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY, OTHER_KEY = _key(), _key()


def _jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return public | {"kid": kid, "alg": "RS256", "use": "sig"}


class Pool:
    """The user pool's JWKS endpoint: the keys it publishes, and how often it was asked."""

    def __init__(self, *keys: tuple[rsa.RSAPrivateKey, str]) -> None:
        self.published = [_jwk(k, kid) for k, kid in keys]
        self.fetches: list[str] = []
        self.now = 0.0

    def fetch(self, url: str) -> dict[str, Any]:
        self.fetches.append(url)
        return {"keys": self.published}

    def verifier(self) -> Verifier:
        keys = KeySet(f"{ISSUER}/.well-known/jwks.json", fetch=self.fetch, clock=lambda: self.now)
        return Verifier(REGION, POOL, CLIENT, keys=keys)


def token(key=KEY, kid="k1", **overrides: Any) -> str:
    claims = {
        "sub": "11111111-2222-3333-4444-555555555555",
        "email": "somchai@1555.example",
        "cognito:groups": ["callcenter"],
        "iss": ISSUER,
        "aud": CLIENT,
        "token_use": "id",
        "auth_time": NOW - 600,
        "iat": NOW - 600,
        "exp": NOW + 3000,
    } | overrides
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key, algorithm="RS256", headers={"kid": kid})


def event(authorization: str | None = None, header: str = "Authorization") -> dict[str, Any]:
    return {
        "type": "REQUEST",
        "methodArn": ARN,
        "headers": {"Content-Type": "application/json"} | ({header: authorization} if authorization else {}),
        "requestContext": {"requestTimeEpoch": NOW * 1000},
    }


@pytest.fixture
def pool() -> Pool:
    return Pool((KEY, "k1"))


def allowed(answer: dict[str, Any]) -> bool:
    (statement,) = answer["policyDocument"]["Statement"]
    return statement == {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": ARN}


def refused(e: Any, verifier: Verifier) -> None:
    """API Gateway answers 401 to exactly this exception message."""
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(e, verifier)


def test_no_token_lets_the_citizen_through_with_no_claims(pool):
    answer = authorize(event(), pool.verifier())
    assert allowed(answer) and answer["context"] == {}
    assert pool.fetches == []  # no key needed


def test_a_good_token_passes_its_claims_as_flat_strings(pool):
    answer = authorize(event(f"Bearer {token(**{'cognito:groups': ['callcenter', 'admin']})}"), pool.verifier())
    assert allowed(answer)
    assert answer["principalId"] == "11111111-2222-3333-4444-555555555555"
    assert answer["context"] == {
        "sub": "11111111-2222-3333-4444-555555555555",
        "email": "somchai@1555.example",
        "cognito:groups": "callcenter,admin",
    }
    assert pool.fetches == [f"{ISSUER}/.well-known/jwks.json"]


def test_the_bare_token_and_any_header_case_work_too(pool):
    assert allowed(authorize(event(token(), header="authorization"), pool.verifier()))


def test_an_agency_officer_carries_the_agency(pool):
    t = token(**{"cognito:groups": ["agency"], "custom:agency_id": "DIST-1039"})
    context = authorize(event(f"Bearer {t}"), pool.verifier())["context"]
    assert (context["cognito:groups"], context["custom:agency_id"]) == ("agency", "DIST-1039")


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(token(exp=NOW - 61), id="expired"),
        pytest.param(token(aud="another-client"), id="wrong-audience"),
        pytest.param(token(key=OTHER_KEY), id="wrong-signature"),
        pytest.param(token(iss=f"https://cognito-idp.{REGION}.amazonaws.com/{REGION}_OtherPool"), id="another-pool"),
        pytest.param(token(token_use="access"), id="access-token"),
        pytest.param(token(token_use=None), id="no-token-use"),
        pytest.param(token(iat=NOW + 3600, exp=NOW + 7200), id="issued-later"),
        pytest.param(
            jwt.encode({"sub": "x"}, "a-shared-secret-of-thirty-two-bytes!", algorithm="HS256", headers={"kid": "k1"}),
            id="hs256",
        ),
    ],
)
def test_a_bad_token_is_refused_with_401(pool, bad):
    refused(event(f"Bearer {bad}"), pool.verifier())


def test_expiry_is_judged_at_the_request_time_with_a_minute_of_leeway(pool):
    assert allowed(authorize(event(f"Bearer {token(exp=NOW - 30)}"), pool.verifier()))


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer a.b c", "Basic dXNlcjpwdw==", "Bearer not-a-jwt"])
def test_a_malformed_header_is_refused(pool, header):
    refused(event(header), pool.verifier())


def test_a_group_that_is_no_role_gives_no_staff_role(pool):
    answer = authorize(event(f"Bearer {token(**{'cognito:groups': ['superuser']})}"), pool.verifier())
    assert answer["context"]["cognito:groups"] == "superuser"
    actor = actor_for(claims_of({"requestContext": {"authorizer": answer["context"]}}), {Role.CITIZEN})
    assert actor.role is Role.CITIZEN and actor.id is None


def test_the_key_set_is_kept_an_hour(pool):
    verifier = pool.verifier()
    for _ in range(3):
        authorize(event(f"Bearer {token()}"), verifier)
    pool.now = 3599
    authorize(event(f"Bearer {token()}"), verifier)
    assert len(pool.fetches) == 1
    pool.now = 3600
    authorize(event(f"Bearer {token()}"), verifier)
    assert len(pool.fetches) == 2


def test_an_unknown_kid_fetches_the_keys_again_once(pool):
    verifier = pool.verifier()
    authorize(event(f"Bearer {token()}"), verifier)
    pool.published.append(_jwk(OTHER_KEY, "k2"))  # the pool rotated its keys
    pool.now = 120
    assert allowed(authorize(event(f"Bearer {token(key=OTHER_KEY, kid='k2')}"), verifier))
    assert len(pool.fetches) == 2
    pool.now = 240
    refused_token = f"Bearer {token(kid='k3')}"
    refused(event(refused_token), verifier)
    assert len(pool.fetches) == 3  # once, then refused
    refused(event(refused_token), verifier)
    assert len(pool.fetches) == 3  # not again within the minute: made-up kids cannot hammer the pool


def test_the_claims_it_passes_make_the_call_centre_actor(pool):
    """API Gateway puts the context at requestContext.authorizer (with a principalId of its own)."""
    answer = authorize(event(f"Bearer {token()}"), pool.verifier())
    request = {"requestContext": {"authorizer": answer["context"] | {"principalId": answer["principalId"]}}}
    actor = actor_for(claims_of(request), {Role.CITIZEN, Role.CALLCENTER})
    assert (actor.role, actor.id) == (Role.CALLCENTER, "11111111-2222-3333-4444-555555555555")


def test_the_cognito_authorizers_shape_still_reads():
    request = {"requestContext": {"authorizer": {"claims": {"cognito:groups": "auditor", "sub": "a1"}}}}
    assert actor_for(claims_of(request), {Role.AUDITOR}).role is Role.AUDITOR
