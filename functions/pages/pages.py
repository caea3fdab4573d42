"""The HTML pages: the agency action page (``/a/{token}``, no account: the signed link is the
key), the citizen's tracking page (``/track/{id}?token=``) and its short link of the SMS
(``/t/{id}/{token}``, a redirect); the citizen's filing page and the pages' static files are
``public_pages``' routes, the staff console's shell ``console_pages``'.

Thin: read the link or token, call the service, render (``complaints.pages``).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import parse_qs

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

import console_pages
import public_pages
from complaints import guard, pages, wiring
from complaints.clock import request_time
from complaints.commands import (
    Acknowledge,
    AgencyCommand,
    Complete,
    GiveFeedback,
    HandBack,
    OpenAgencyLink,
    ReadCase,
    ReportProgress,
)
from complaints.domain.errors import Busy, Conflict, DomainError, IllegalTransition, NotFound
from complaints.domain.links import LinkRefused
from complaints.domain.model import Actor, Role
from complaints.domain.transitions import Action
from complaints.schemas import AcknowledgeIn, CompleteIn, FeedbackIn, HandbackIn, ProgressIn
from complaints.usecases.photos import IssueUpload

wiring.settings()  # at cold start: a missing variable fails here, not at the first request
logger = Logger()
tracer = Tracer()
app = APIGatewayRestResolver(enable_validation=True)
app.include_router(public_pages.router)
app.include_router(console_pages.router)

STRICT = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never send it on
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": STRICT,
}


def page_policy() -> str:
    """A case page's policy: our own scripts; photos from the bucket (signed URLs) and, for evidence
    that API clients gave as URLs, any https image; uploads posted to the bucket."""
    photos = wiring.usecases().photos.store.origin()
    return f"{STRICT}; script-src 'self'; img-src 'self' blob: https: {photos}; connect-src 'self' {photos}"


Token = Annotated[str, Path(description="the signed link token; a bad one gets the 403 page")]
FORMS = {
    Action.ACKNOWLEDGE: AcknowledgeIn,
    Action.PROGRESS: ProgressIn,
    Action.COMPLETE: CompleteIn,
    Action.HANDBACK: HandbackIn,
}


def html(body: str, status: int = 200, extra: dict[str, str] | None = None, case: bool = False) -> Response[str]:
    """An HTML answer; ``case``: a case's page, which shows photos and runs our script."""
    headers = {**HEADERS, **({"Content-Security-Policy": page_policy()} if case else {}), **(extra or {})}
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body, headers=headers)


def now() -> datetime:
    return request_time(app.current_event.request_context.request_time_epoch)


@app.exception_handler(LinkRefused)
def link_refused(exc: LinkRefused) -> Response:
    logger.info("agency link refused", extra={"reason": exc.reason})
    return html(pages.refused_page(exc.reason), 403)


@app.exception_handler(Busy)
def busy(exc: Busy) -> Response:
    """Throttled while opening or refreshing a page: nothing was written; try again shortly."""
    return html(pages.busy_page(), 503, {"Retry-After": str(exc.retry_after)})


@app.exception_handler(NotFound)
def not_found(_: NotFound) -> Response:
    return html(pages.refused_page("tampered"), 404)


@app.exception_handler(RequestValidationError)
def malformed(_: RequestValidationError) -> Response:
    """A case id or token that cannot be one (``../``, too long): the same 404 page as a wrong one."""
    return html(pages.refused_page("tampered"), 404)


@app.not_found
def no_page(_: Exception) -> Response:
    return html(pages.refused_page("tampered"), 404)


@app.get("/a/<token>", summary="The agency action page (HTML)")
def agency_page(token: Token) -> Response[str]:
    usecases = wiring.usecases()
    link = usecases.reading.open_agency_link(OpenAgencyLink(token=token, at=now()))
    gallery = usecases.photos.link
    page = pages.agency_page(link.case, link.history, usecases.catalogue, link.actor.agency_id or "", gallery)
    return html(page, case=True)


def _form() -> dict[str, Any]:
    fields = parse_qs(app.current_event.decoded_body or "", keep_blank_values=True)
    return {k: v[-1] for k, v in fields.items()}


def _parse(form: dict[str, Any], case_id: str, actor: Actor, at: datetime) -> AgencyCommand:
    """The form's action as the agency's command, with the version the page showed."""
    action = form.get("action", "")
    model = FORMS.get(action)
    if model is None:
        raise ValueError(f"unknown action '{action}'")
    who = {
        "case_id": case_id,
        "actor": actor,
        "at": at,
        "expected_version": int(form["version"]) if form.get("version", "").isdigit() else None,
    }
    note = form.get("note") or None
    if action == Action.HANDBACK:
        return HandBack(reason=HandbackIn(reason=note or "").reason, **who)
    if action == Action.COMPLETE:
        given = (form.get("evidence_key") or "") + "\n" + (form.get("evidence_url") or "")
        urls = [u.strip() for u in given.splitlines() if u.strip()]
        body = CompleteIn(note=note or "", evidence_urls=urls)
        return Complete(note=body.note, evidence_urls=tuple(str(u) for u in body.evidence_urls), **who)
    if action == Action.PROGRESS:
        expected = form.get("expected_completion") or None
        progress = ProgressIn(note=note or "", expected_completion=date.fromisoformat(expected) if expected else None)
        return ReportProgress(note=progress.note, expected_completion=progress.expected_completion, **who)
    return Acknowledge(note=AcknowledgeIn(note=note).note, **who)


@app.post("/a/<token>", summary="An action from the agency page's forms (HTML)")
def agency_action(token: Token) -> Response[str]:
    usecases = wiring.usecases()
    at = now()
    link = usecases.reading.open_agency_link(OpenAgencyLink(token=token, at=at))
    case, catalogue, agency_id = link.case, usecases.catalogue, link.actor.agency_id or ""
    gallery = usecases.photos.link
    try:
        cmd = _parse(_form(), case.id, link.actor, at)
    except (ValueError, ValidationError) as err:
        detail = "; ".join(e["msg"] for e in err.errors()) if isinstance(err, ValidationError) else str(err)
        page = pages.agency_page(case, link.history, catalogue, agency_id, gallery, "invalid", detail)
        return html(page, 422, case=True)
    flash, detail, status = "done", None, 200
    try:
        usecases.agency.act(cmd)
    except Conflict:
        flash, status = "repeated", 409
    except IllegalTransition:
        flash, status = "illegal", 409
    except DomainError as err:
        flash, detail, status = "invalid", err.message, err.status
    link = usecases.reading.refresh(link)  # the page as it is now (after a hand-back: no forms)
    return html(
        pages.agency_page(link.case, link.history, catalogue, agency_id, gallery, flash, detail), status, case=True
    )


@app.post("/a/<token>/uploads", summary="A presigned POST for the agency's photo of the result (JSON)")
def agency_upload(token: Token) -> Response[str]:
    """The action page's script asks for a form to send the "after" photo with: the upload belongs to
    the link's agency, so only a completion by that agency can name it."""
    usecases = wiring.usecases()
    at = now()
    link = usecases.reading.open_agency_link(OpenAgencyLink(token=token, at=at))
    form = _form()
    try:
        size = int(form.get("size") or "0")
        ticket = usecases.photos.issue(
            IssueUpload(actor=link.actor, at=at, content_type=form.get("content_type") or "", size=size)
        )
    except (ValueError, DomainError) as err:
        message = err.message if isinstance(err, DomainError) else "size must be a number of bytes"
        return json_answer({"error": {"code": "photo_refused", "message": message}}, 400)
    upload = {"url": ticket.url, "fields": ticket.fields}
    return json_answer({"key": ticket.key, "upload": upload, "max_bytes": ticket.max_bytes}, 201)


def json_answer(doc: dict[str, Any], status: int) -> Response[str]:
    headers = {**HEADERS, "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}
    return Response(status_code=status, content_type="application/json", body=json.dumps(doc), headers=headers)


CaseId = Annotated[str, Path(pattern=r"^\d{4}-[0-9A-Z]{6}$")]
TrackToken = Annotated[str | None, Query(max_length=200)]


@app.get("/track/<case_id>", summary="The citizen's tracking page (HTML)")
def tracking_page(case_id: CaseId, token: TrackToken = None) -> Response[str]:
    usecases = wiring.usecases()
    read = usecases.reading.get(ReadCase(actor=Actor(role=Role.CITIZEN), case_id=case_id, token=token))
    policy, gallery = usecases.workflow.policy, usecases.photos.link
    return html(pages.tracking_page(read.case, read.history, usecases.catalogue, now(), policy, gallery), case=True)


ShortToken = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


@app.get("/t/<case_id>/<token>", summary="The short tracking link of the SMS: a redirect to the tracking page")
def short_tracking_link(case_id: CaseId, token: ShortToken) -> Response[str]:
    """302 to ``/track/{id}?token=``, unchecked (a wrong token ends at that page's 404). The Location
    is relative to this path, so it keeps whatever prefix the link came with (a stage's ``/v1``)."""
    location = f"../../track/{case_id}?token={token}"
    return Response(
        status_code=302, content_type="text/html; charset=utf-8", body="", headers={**HEADERS, "Location": location}
    )


@app.post("/track/<case_id>", summary="The citizen's answer from the tracking page's form (HTML)")
def tracking_feedback(case_id: CaseId, token: TrackToken = None) -> Response[str]:
    usecases = wiring.usecases()
    at = now()
    citizen = ReadCase(actor=Actor(role=Role.CITIZEN), case_id=case_id, token=token)
    usecases.reading.get(citizen)  # a wrong token is 404 before anything else
    form = _form()
    answers = {k: form.get(k) for k in ("fixed", "satisfied")}
    flash, detail, status = "invalid", None, 422
    if all(v in ("yes", "no") for v in answers.values()):
        try:
            body = FeedbackIn(
                fixed=answers["fixed"] == "yes",
                satisfied=answers["satisfied"] == "yes",
                comment=form.get("comment") or None,
            )
            case = usecases.followup.feedback(
                GiveFeedback(
                    actor=citizen.actor,
                    at=at,
                    case_id=case_id,
                    token=token,
                    fixed=body.fixed,
                    satisfied=body.satisfied,
                    comment=body.comment,
                )
            )
            flash, status = ("closed" if case.state == "closed" else "reopened"), 200
        except ValidationError as err:
            detail = "; ".join(e["msg"] for e in err.errors())
        except DomainError as err:
            flash, detail, status = "refused", err.message, err.status
    read = usecases.reading.get(citizen)
    return html(
        pages.tracking_page(
            read.case,
            read.history,
            usecases.catalogue,
            at,
            usecases.workflow.policy,
            usecases.photos.link,
            flash,
            detail,
        ),
        status,
        case=True,
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    wiring.new_invocation()  # the reference data's version is read again, once, if this request needs it
    refusal = guard.body_refusal(event, guard.FORM)  # before anything reads the link or the form
    if refusal:
        logger.info("request refused", extra={"code": refusal.code, "status": refusal.status})
        return {
            "statusCode": refusal.status,
            "multiValueHeaders": {k: [v] for k, v in HEADERS.items()} | {"Content-Type": ["text/html; charset=utf-8"]},
            "body": pages.unreadable_page(refusal.message),
            "isBase64Encoded": False,
        }
    return app.resolve(event, context)
