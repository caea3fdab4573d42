"""Open311 GeoReport v2 at ``/open311/v2/``: a resolver of its own behind API Gateway (REST).

Thin, as the JSON API: the routes (``open311_edge.routes``) map each request into the same commands
and use cases (``POST requests`` files through the intake, as ``POST /complaints``) and render the
results as the specification's documents, in JSON or XML (``open311_edge.formats``). Every error is
the specification's error list, in the format the path asked for; nothing personal is ever in an
answer (``open311_edge.case_view``).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from open311_edge import routes
from open311_edge.formats import FORMATS, Open311Error, errors, format_of

from complaints import guard, wiring
from complaints.domain.errors import DomainError

wiring.settings()  # at cold start: a missing variable fails here, not at the first request
logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)
app.include_router(routes.router)
#: Our statuses as the specification's: its clients know 400 (bad input), 403 (the key), 404.
STATUS = {401: 403, 422: 400}


def _answer(error: Open311Error) -> Response:
    logger.info("request refused", extra={"status": error.status})
    return errors(format_of(app.current_event.path), error)


@app.exception_handler(Open311Error)
def open311_error(exc: Open311Error) -> Response:
    return _answer(exc)


@app.exception_handler(DomainError)
def domain_error(exc: DomainError) -> Response:
    """A use case's refusal (an unknown district, a window over 90 days, a refused key, a busy store)."""
    retry = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry)} if retry else None
    return _answer(Open311Error(STATUS.get(exc.status, exc.status), exc.message, headers))


@app.exception_handler(RequestValidationError)
def invalid_request(exc: RequestValidationError) -> Response:
    """A parameter over its length (no value echoed: it may be personal)."""
    fields = sorted({str(e.get("loc", ("", "?"))[-1]) for e in exc.errors()})
    return _answer(Open311Error(400, f"invalid parameter: {', '.join(fields)}"))


@app.not_found
def not_found(_: Exception) -> Response:
    event = app.current_event
    return _answer(Open311Error(404, f"no {event.http_method} {event.path[:200]} here: see discovery.json"))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics(raise_on_empty_metrics=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    wiring.new_invocation()  # the reference data's version is read again, once, if this request needs it
    refusal = guard.body_refusal(event, guard.FORM)  # before routing: nothing is parsed
    if refusal:
        fmt = format_of(str(event.get("path") or ""))
        status = STATUS.get(refusal.status, refusal.status)
        body = errors(fmt, Open311Error(status, refusal.message)).body
        logger.info("request refused", extra={"code": refusal.code, "status": status})
        return {
            "statusCode": status,
            "multiValueHeaders": {"Content-Type": [FORMATS[fmt]]},
            "body": body,
            "isBase64Encoded": False,
        }
    return app.resolve(event, context)
