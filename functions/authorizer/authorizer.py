"""The optional identity of the routes anyone may call (``OptionalStaff`` in template.yaml).

API Gateway (REST) calls this REQUEST authorizer before ``POST /complaints``,
``GET /complaints/{case_id}``, ``POST /uploads`` and ``POST /complaints/{case_id}/feedback``,
with no result caching (``ReauthorizeEvery: 0``: every request is looked at, and a request
without the header still reaches us):

- no ``Authorization`` header: allowed, with no claims (a citizen);
- ``Authorization: Bearer <ID token>`` (or the bare token) of the staff user pool: allowed,
  with the token's claims in the policy's ``context`` — API Gateway hands them to the handler
  as ``requestContext.authorizer.<name>`` (strings only: ``cognito:groups`` comma-joined),
  where ``complaints.identity.claims_of`` reads them;
- any other token: ``Exception("Unauthorized")``, which API Gateway answers with 401.

The token is checked as Cognito documents it: RS256 signature by a key of the pool's JWKS
(kept for an hour in the container, fetched again once when a token names a key we do not
know, at most once a minute), ``iss`` the pool, ``aud`` our app client, ``token_use`` "id",
and not expired at the request's time (``requestTimeEpoch``), give or take a minute.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

import jwt
from aws_lambda_powertools import Logger

from complaints.settings import IdentitySettings

logger = Logger(service="authorizer")

JWKS_TTL = 3600  # seconds a fetched key set is trusted
REFETCH_COOLDOWN = 60  # an unknown kid fetches the key set again, at most this often
LEEWAY = 60  # seconds of clock skew allowed on exp and iat
CONTEXT_CLAIMS = ("sub", "email", "cognito:groups", "custom:agency_id")


class Refused(Exception):
    """The token is not one of ours; the reason is logged, never shown."""


def issuer(region: str, pool_id: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def fetch_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=3) as answer:  # noqa: S310 - a fixed https URL
        return json.load(answer)


class KeySet:
    """The pool's signing keys by ``kid``, fetched lazily and kept ``JWKS_TTL`` seconds."""

    def __init__(
        self,
        url: str,
        fetch: Callable[[str], dict[str, Any]] = fetch_json,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url, self.fetch, self.clock = url, fetch, clock
        self.keys: dict[str, jwt.PyJWK] = {}
        self.fetched_at: float | None = None

    def _refresh(self) -> None:
        keys = {}
        for jwk in self.fetch(self.url).get("keys", []):
            if jwk.get("kid") and jwk.get("kty") == "RSA":
                keys[jwk["kid"]] = jwt.PyJWK(jwk, algorithm="RS256")
        self.keys, self.fetched_at = keys, self.clock()

    def key(self, kid: str) -> jwt.PyJWK:
        now = self.clock()
        if self.fetched_at is None or now - self.fetched_at >= JWKS_TTL:
            self._refresh()
        elif kid not in self.keys and now - self.fetched_at >= REFETCH_COOLDOWN:
            self._refresh()  # the pool may have rotated its keys
        if kid not in self.keys:
            raise Refused("unknown kid")
        return self.keys[kid]


def bearer(headers: Mapping[str, Any] | None) -> str | None:
    """The token of the ``Authorization`` header (any case), ``None`` when there is no header."""
    value = next((v for k, v in (headers or {}).items() if k.lower() == "authorization"), None)
    if value is None:
        return None
    scheme, _, rest = str(value).strip().partition(" ")
    token = rest.strip() if scheme.lower() == "bearer" else scheme
    if not token or " " in token:
        raise Refused("malformed Authorization header")
    return token


class Verifier:
    """Checks a Cognito ID token of one pool and app client at a given instant."""

    def __init__(self, region: str, pool_id: str, client_id: str, keys: KeySet | None = None) -> None:
        self.issuer = issuer(region, pool_id)
        self.client_id = client_id
        self.keys = keys or KeySet(f"{self.issuer}/.well-known/jwks.json")

    def claims(self, token: str, at: float) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
            key = self.keys.key(str(header.get("kid") or ""))
            claims = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self.issuer,
                # PyJWT would read the wall clock: exp and iat are checked against the request below
                options={"require": ["exp", "iat", "iss", "aud", "sub"], "verify_exp": False, "verify_iat": False},
            )
        except jwt.PyJWTError as e:
            raise Refused(type(e).__name__) from e
        if claims.get("token_use") != "id":
            raise Refused("not an ID token")
        if not isinstance(claims["exp"], int | float) or claims["exp"] + LEEWAY <= at:
            raise Refused("expired")
        if not isinstance(claims["iat"], int | float) or claims["iat"] - LEEWAY > at:
            raise Refused("issued in the future")
        return claims


def context_of(claims: Mapping[str, Any]) -> dict[str, str]:
    """The claims API Gateway may carry (flat, strings): groups comma-joined."""
    out = {}
    for name in CONTEXT_CLAIMS:
        value = claims.get(name)
        if isinstance(value, list):
            value = ",".join(str(v) for v in value)
        if value not in (None, ""):
            out[name] = str(value)
    return out


def policy(event: Mapping[str, Any], principal: str, context: dict[str, str]) -> dict[str, Any]:
    statement = {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": event["methodArn"]}
    return {
        "principalId": principal,
        "policyDocument": {"Version": "2012-10-17", "Statement": [statement]},
        "context": context,
    }


def authorize(event: Mapping[str, Any], verifier: Verifier) -> dict[str, Any]:
    """The policy for one request; raises ``Exception("Unauthorized")`` for a bad token."""
    try:
        token = bearer(event.get("headers"))
        if token is None:
            return policy(event, "anonymous", {})
        epoch_ms = (event.get("requestContext") or {}).get("requestTimeEpoch")
        at = epoch_ms / 1000 if isinstance(epoch_ms, int | float) else time.time()
        claims = verifier.claims(token, at)
    except Refused as e:
        logger.info("token refused", extra={"reason": str(e)})
        raise Exception("Unauthorized") from None  # the exact message API Gateway turns into 401
    return policy(event, str(claims["sub"]), context_of(claims))


_verifier: Verifier | None = None


def verifier() -> Verifier:
    """Built once per container from the function's settings; its key set is kept with it."""
    global _verifier
    if _verifier is None:
        s = IdentitySettings()  # type: ignore[call-arg]  # every field comes from the environment
        _verifier = Verifier(s.aws_region, s.user_pool_id, s.user_pool_client_id)
    return _verifier


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return authorize(event, verifier())
