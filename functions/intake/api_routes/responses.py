"""What each route answers, for the OpenAPI document: powertools' ``responses=``.

Every error has one body, ``ErrorOut``: ``{"error": {"code", "message", "details"?}}``
(``api.error``). A route names its success and the error statuses it can really
answer, e.g. ``@router.post(..., responses=answers(401, 403, 404, 409, ok=201))``.
Every route also answers what is refused before it runs (``EVERY_ROUTE``: a body
or URL that is not UTF-8, too large, not JSON, nested too deep; 422 from
powertools' validation of the parameters and the body), and 429, which API
Gateway or the WAF answer before the function runs.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from complaints.schemas import ErrorOut

ERRORS: dict[int, str] = {
    400: "Malformed: a body or URL that is not UTF-8, JSON nested too deep, a month that is not YYYY-MM…; or a change"
    " of the reference data that breaks its rules (invalid_reference: nothing was written)",
    401: "Not signed in: this route is for staff (a Cognito token; without one, API Gateway's authorizer refuses it)",
    403: "Signed in, but not in a role this route is for (or an agency officer's account names no agency)",
    404: "No such case, audit, holiday, agency or category (for a citizen: or the tracking token is wrong), or a path"
    " that names none",
    409: "The case's state does not allow this, or it changed meanwhile, or the same Idempotency-Key is still being"
    " processed: reload and retry",
    413: "The body is over the size limit",
    415: "The body is not JSON (Content-Type)",
    422: "The request does not validate (details names each field) or asks what the rules refuse",
    503: "The store is busy (throttled): nothing was written; send the same request again after Retry-After seconds",
}
EVERY_ROUTE = (400, 413, 415, 422)
# Answered in AWS before the function runs, in the same error body (template.yaml: GatewayResponses, the WAF).
GATEWAY: dict[int, OpenAPIResponse] = {
    429: {
        "description": "Too many requests: the stage's throttle or the WAF's rate rule per source; retry later",
        "content": {"application/json": {"model": ErrorOut}},
    },
}
# A route anyone may call where a signed-in staff member is still known (the optional-identity
# authorizer, functions/authorizer): no header is a citizen; a bad token is refused before the function.
BAD_TOKEN: dict[int, OpenAPIResponse] = {
    401: {
        "description": "An Authorization header whose token is not a valid staff ID token (expired, another pool or"
        " app client, a bad signature, not an ID token): refused by API Gateway's authorizer. No header is a citizen",
        "content": {"application/json": {"model": ErrorOut}},
    },
}
CASE_ACTION = (401, 403, 404, 409)  # a staff action on a case
STAFF_ONLY = (401, 403)  # a route for some staff roles: anonymous 401, another role 403
FILED = "Filed: the case and the citizen's tracking token (a repeated Idempotency-Key gets the first answer again)"
REPORT_FORMATS = {
    "application/json": {"schema": {"type": "object"}},
    "text/csv": {"schema": {"type": "string"}},
    "text/html": {"schema": {"type": "string"}},
}


def error(status: int) -> OpenAPIResponse:
    response: OpenAPIResponse = {"description": ERRORS[status], "content": {"application/json": {"model": ErrorOut}}}
    if status == 503:
        response["headers"] = {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}}
    return response


def answers(
    *statuses: int,
    ok: int = 200,
    description: str = "Successful Response",
    content: dict[str, Any] | None = None,
    store: bool = True,
    optional_identity: bool = False,
) -> dict[int, OpenAPIResponse]:
    """``ok`` (its body from the route's return annotation unless ``content`` is given) and the errors;
    a route that reads or writes the table (``store``) may also find it busy (503); a route behind the
    optional-identity authorizer (``optional_identity``) answers 401 for a bad token."""
    success: OpenAPIResponse = {"description": description}
    if content is not None:
        success["content"] = content
    return (
        {ok: success}
        | {status: error(status) for status in sorted({*statuses, *EVERY_ROUTE, *((503,) if store else ())})}
        | (BAD_TOKEN if optional_identity else {})
        | GATEWAY
    )
