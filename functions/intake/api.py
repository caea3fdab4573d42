"""The intake API: one powertools resolver behind API Gateway (REST).

Thin: each route parses (pydantic, ``enable_validation=True``), calls the
service in the layer, and answers. Errors are ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.shared.json_encoder import Encoder
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from api_routes import (
    agency,
    api_keys,
    complaints,
    deps,
    followup,
    holidays,
    privacy,
    queues,
    reference,
    reference_admin,
    reports,
    uploads,
)
from complaints import guard, wiring
from complaints.domain.errors import Busy, DomainError, RateLimited

wiring.settings()  # at cold start: a missing variable fails here, not at the first request
logger = Logger()
tracer = Tracer()
# UTF-8 JSON: Thai text as it is, not as \u escapes
app = APIGatewayRestResolver(
    enable_validation=True, serializer=partial(json.dumps, ensure_ascii=False, separators=(",", ":"), cls=Encoder)
)
app.include_router(complaints.router)
app.include_router(queues.router)
app.include_router(agency.router)
app.include_router(followup.router)
app.include_router(reference.router)
app.include_router(reference_admin.router)
app.include_router(holidays.router)
app.include_router(reports.router)
app.include_router(privacy.router)
app.include_router(uploads.router)
app.include_router(api_keys.router)


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """Every error the API answers; docs/openapi.json names its body ``ErrorOut`` (``complaints.schemas``)."""
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body={"error": {"code": code, "message": message, **extra}},
        headers=headers,
    )


@app.exception_handler(DomainError)
def domain_error(exc: DomainError) -> Response:
    logger.info("request refused", extra={"code": exc.code, "status": exc.status})
    if isinstance(exc, Busy):  # throttled: nothing was written, the same request may come again
        logger.warning("store busy", extra={"code": exc.code})
    if isinstance(exc, Busy | RateLimited):
        return error(exc.status, exc.code, exc.message, headers={"Retry-After": str(exc.retry_after)})
    return error(exc.status, exc.code, exc.message)


@app.exception_handler(RequestValidationError)
def invalid_request(exc: RequestValidationError) -> Response:
    """422 with what to fix, field by field (no input values echoed: they may be personal).

    An id in the path that cannot be one (``../``, ``%2E%2E``…) is 404, as an unknown id."""
    errors = exc.errors()
    if errors and all(e.get("type") == "string_pattern_mismatch" and e.get("loc", ("",))[0] == "path" for e in errors):
        return error(404, "not_found", f"no such {str(errors[0]['loc'][-1]).replace('_', ' ')}")
    problems = []
    for e in errors:
        where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path"))
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        if e.get("type") == "json_invalid":
            where, msg = "body", "the body is not valid JSON"
        problems.append({"field": where or "body", "message": msg})
    message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return error(422, "validation_error", message, details=problems)


@app.exception_handler(IdempotencyValidationError)
def idempotency_mismatch(_: IdempotencyValidationError) -> Response:
    return error(
        422, "idempotency_key_reused", "this Idempotency-Key was already used with a different body; use a new key"
    )


@app.exception_handler(IdempotencyAlreadyInProgressError)
def idempotency_in_progress(_: IdempotencyAlreadyInProgressError) -> Response:
    return error(409, "in_progress", "the same request is still being processed; retry in a moment")


@app.not_found
def not_found(_: Exception) -> Response:
    return error(404, "not_found", f"no route {app.current_event.http_method} {app.current_event.path}")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@deps.metrics.log_metrics(raise_on_empty_metrics=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    wiring.new_invocation()  # the reference data's version is read again, once, if this request needs it
    refusal = guard.body_refusal(event, guard.JSON)  # before routing and the role check: nothing is parsed
    if refusal:
        logger.info("request refused", extra={"code": refusal.code, "status": refusal.status})
        body = {"error": {"code": refusal.code, "message": refusal.message}}
        return {
            "statusCode": refusal.status,
            "multiValueHeaders": {"Content-Type": [content_types.APPLICATION_JSON]},
            "body": json.dumps(body, ensure_ascii=False),
            "isBase64Encoded": False,
        }
    complaints.idempotency_config.register_lambda_context(context)
    return app.resolve(event, context)
