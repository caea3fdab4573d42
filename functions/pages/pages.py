"""The HTML pages: the agency action page (``/a/{token}``, no account: the signed link is the
key) and the citizen's tracking page (``/track/{id}?token=``).

Thin: read the link or token, call the service, render (``complaints.pages``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import parse_qs

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from complaints import pages, wiring
from complaints.domain.calendar import BANGKOK
from complaints.domain.errors import Conflict, DomainError, IllegalTransition, NotFound
from complaints.domain.links import LinkRefused
from complaints.domain.model import Actor, Role
from complaints.schemas import AcknowledgeIn, CompleteIn, FeedbackIn, HandbackIn, ProgressIn

logger = Logger()
tracer = Tracer()
app = APIGatewayRestResolver(enable_validation=True)

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never send it on
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src https:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}
Token = Annotated[str, Path(description="the signed link token; a bad one gets the 403 page")]
FORMS = {"acknowledge": AcknowledgeIn, "progress": ProgressIn, "complete": CompleteIn, "handback": HandbackIn}


def html(body: str, status: int = 200) -> Response[str]:
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body, headers=HEADERS)


def now() -> datetime:
    epoch_ms = app.current_event.request_context.request_time_epoch
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).astimezone(BANGKOK)


@app.exception_handler(LinkRefused)
def link_refused(exc: LinkRefused) -> Response:
    logger.info("agency link refused", extra={"reason": exc.reason})
    return html(pages.refused_page(exc.reason), 403)


@app.exception_handler(NotFound)
def not_found(_: NotFound) -> Response:
    return html(pages.refused_page("tampered"), 404)


@app.get("/a/<token>", summary="The agency action page (HTML)")
def agency_page(token: Token) -> Response[str]:
    service = wiring.service()
    case, history, actor = service.open_agency_link(token, now())
    return html(pages.agency_page(case, history, service.catalogue, actor.agency_id or ""))


def _form() -> dict[str, Any]:
    fields = parse_qs(app.current_event.decoded_body or "", keep_blank_values=True)
    return {k: v[-1] for k, v in fields.items()}


def _parse(form: dict[str, Any]) -> tuple[str, int | None, dict[str, Any]]:
    """The action, the version the page showed, and the action's validated fields."""
    action = form.get("action", "")
    model = FORMS.get(action)
    if model is None:
        raise ValueError(f"unknown action '{action}'")
    version = int(form["version"]) if form.get("version", "").isdigit() else None
    note = form.get("note") or None
    if action == "handback":
        body = model(reason=note or "")
        return action, version, {"note": body.reason}
    if action == "complete":
        urls = [u.strip() for u in (form.get("evidence_url") or "").splitlines() if u.strip()]
        body = model(note=note or "", evidence_urls=urls)
        return action, version, {"note": body.note, "evidence_urls": tuple(str(u) for u in body.evidence_urls)}
    if action == "progress":
        expected = form.get("expected_completion") or None
        body = model(note=note or "", expected_completion=date.fromisoformat(expected) if expected else None)
        return action, version, {"note": body.note, "expected_completion": body.expected_completion}
    return action, version, {"note": model(note=note).note}


@app.post("/a/<token>", summary="An action from the agency page's forms (HTML)")
def agency_action(token: Token) -> Response[str]:
    service = wiring.service()
    at = now()
    case, history, actor = service.open_agency_link(token, at)
    agency_id = actor.agency_id or ""
    try:
        action, version, fields = _parse(_form())
    except (ValueError, ValidationError) as err:
        detail = "; ".join(e["msg"] for e in err.errors()) if isinstance(err, ValidationError) else str(err)
        return html(pages.agency_page(case, history, service.catalogue, agency_id, "invalid", detail), 422)
    try:
        service.act(case.id, action, actor, at, expected_version=version, **fields)
    except Conflict:
        flash, status = "repeated", 409
    except IllegalTransition:
        flash, status = "illegal", 409
    except DomainError as err:
        case, history = service.store.get(case.id)
        return html(pages.agency_page(case, history, service.catalogue, agency_id, "invalid", err.message),
                    err.status)
    else:
        flash, status = "done", 200
    case, history = service.store.get(case.id)  # the page as it is now (after a hand-back: no forms)
    return html(pages.agency_page(case, history, service.catalogue, agency_id, flash), status)


CaseId = Annotated[str, Path(pattern=r"^\d{4}-[0-9A-Z]{6}$")]
TrackToken = Annotated[str | None, Query(max_length=200)]


@app.get("/track/<case_id>", summary="The citizen's tracking page (HTML)")
def tracking_page(case_id: CaseId, token: TrackToken = None) -> Response[str]:
    service = wiring.service()
    case, history, _ = service.get(case_id, Actor(role=Role.CITIZEN), token)
    return html(pages.tracking_page(case, history, service.catalogue, now(), service.policy))


@app.post("/track/<case_id>", summary="The citizen's answer from the tracking page's form (HTML)")
def tracking_feedback(case_id: CaseId, token: TrackToken = None) -> Response[str]:
    service = wiring.service()
    at = now()
    service.get(case_id, Actor(role=Role.CITIZEN), token)  # a wrong token is 404 before anything else
    form = _form()
    answers = {k: form.get(k) for k in ("fixed", "satisfied")}
    flash, detail, status = "invalid", None, 422
    if all(v in ("yes", "no") for v in answers.values()):
        try:
            body = FeedbackIn(fixed=answers["fixed"] == "yes", satisfied=answers["satisfied"] == "yes",
                              comment=form.get("comment") or None)
            case = service.feedback(case_id, token, body.fixed, body.satisfied, body.comment, at)
            flash, status = ("closed" if case.state == "closed" else "reopened"), 200
        except ValidationError as err:
            detail = "; ".join(e["msg"] for e in err.errors())
        except DomainError as err:
            flash, detail, status = "refused", err.message, err.status
    case, history, _ = service.get(case_id, Actor(role=Role.CITIZEN), token)
    return html(pages.tracking_page(case, history, service.catalogue, at, service.policy, flash, detail), status)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
