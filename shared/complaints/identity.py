"""Who is calling: roles from the Cognito claims that API Gateway's authorizer puts in the
request context (SPEC §1), and nowhere else: ``requestContext.authorizer.claims`` (the Cognito
authorizer of the staff routes) or ``requestContext.authorizer`` itself (the optional-identity
Lambda authorizer of the public routes, ``functions/authorizer``: flat string values)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .domain.errors import Forbidden, Unauthorized
from .domain.model import STAFF_ROLES, Actor, Role

STAFF = STAFF_ROLES  # the roles a signed-in user can have


# What API Gateway adds to a Lambda authorizer's context of its own: not claims.
NOT_CLAIMS = frozenset({"principalId", "integrationLatency"})


def claims_of(event: Mapping[str, Any]) -> Mapping[str, Any]:
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    if not isinstance(authorizer, Mapping):
        return {}
    if "claims" in authorizer:
        claims = authorizer["claims"] or {}
        return claims if isinstance(claims, Mapping) else {}
    return {k: v for k, v in authorizer.items() if k not in NOT_CLAIMS}


def groups(claims: Mapping[str, Any]) -> list[Role]:
    """``cognito:groups`` as a list or a comma-separated string (also "[a, b]"), known roles only."""
    raw = claims.get("cognito:groups") or []
    if isinstance(raw, str):
        raw = raw.strip("[]").replace(" ", ",").split(",")
    values = {str(g).strip() for g in raw}
    return [r for r in Role if r.value in values and r in STAFF]


def actor_for(claims: Mapping[str, Any], allowed: Iterable[Role]) -> Actor:
    """The caller acting in one of the ``allowed`` roles, or the reason they may not.

    With no staff group the caller is a citizen (anonymous). A user in several
    groups acts in the first allowed one, in the order of :class:`Role`.
    """
    allowed = frozenset(allowed)
    mine = groups(claims)
    if not mine:
        if Role.CITIZEN in allowed:
            return Actor(role=Role.CITIZEN)
        raise Unauthorized("sign in as staff to use this route")
    for role in mine:
        if role in allowed:
            agency_id = claims.get("custom:agency_id") if role is Role.AGENCY else None
            if role is Role.AGENCY and not agency_id:
                raise Forbidden("your account has the agency role but no custom:agency_id")
            return Actor(
                role=role, id=str(claims.get("sub") or claims.get("cognito:username") or ""), agency_id=agency_id
            )
    if Role.CITIZEN in allowed:
        return Actor(role=Role.CITIZEN)
    names = ", ".join(sorted(r.value for r in allowed))
    raise Forbidden(f"this route is for the role(s) {names}; you are {', '.join(r.value for r in mine)}")
