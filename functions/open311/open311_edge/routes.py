"""The routes of GeoReport v2 under ``/open311/v2/``: each document's name and format is the last
path segment (``services.json``), as API Gateway can only route whole segments.

Reads are public and need no key; ``POST requests`` needs an ``api_key`` (the API keys' use case:
a missing, unknown or revoked key is 403). Every route takes the optional ``jurisdiction_id``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from complaints import wiring
from complaints.clock import request_time
from complaints.commands import ListReceived
from complaints.domain.calendar import BANGKOK
from complaints.domain.errors import NotFound
from complaints.domain.model import Actor, Case, Role
from complaints.usecases.reading import PUBLIC_LIMIT, PUBLIC_WINDOW

from . import case_view, filing_form, services
from .formats import Open311Error, render, split

router = Router()
Param = Annotated[str | None, Query(max_length=2000)]
CASE_ID = re.compile(r"^\d{4}-[0-9A-Z]{6}$")
MAX_IDS = 100
#: Who reads: anyone (a read records nothing; a filing records its key, ``filer``).
PUBLIC = Actor(role=Role.CITIZEN, id="open311")


def now() -> datetime:
    return request_time(router.current_event.request_context.request_time_epoch)


def check_jurisdiction(given: str | None) -> None:
    ours = wiring.settings().open311_jurisdiction_id
    if given and given != ours:
        raise Open311Error(404, f"unknown jurisdiction_id '{given[:100]}': this endpoint serves '{ours}'")


def _requests(at: datetime) -> case_view.Requests:
    uc = wiring.usecases()
    return case_view.Requests(uc.catalogue, wiring.settings().policy, uc.photos.link, at)


@router.get("/open311/v2/<document>", summary="GeoReport v2: discovery, services and requests (.json or .xml)")
def document(
    document: str,
    jurisdiction_id: Param = None,
    service_request_id: Param = None,
    service_code: Param = None,
    start_date: Param = None,
    end_date: Param = None,
    status: Param = None,
) -> Response[str]:
    name, fmt = split(document)
    check_jurisdiction(jurisdiction_id)
    if name == "discovery":
        return render(fmt, "discovery", services.discovery(wiring.settings().public_base_url))
    if name == "services":
        return render(fmt, "services", services.services(wiring.usecases().catalogue))
    if name != "requests":
        raise Open311Error(404, f"no such document '{name[:50]}': discovery, services or requests")
    at = now()
    if service_request_id:
        cases = _by_ids(service_request_id)
    else:
        cases = _received(at, service_code, start_date, end_date, status)
    view = _requests(at)
    return render(fmt, "service_requests", [view.request(c) for c in cases])


@router.post("/open311/v2/<document>", summary="GeoReport v2: file a service request (a form, with api_key)")
def post_request(document: str, jurisdiction_id: Param = None, api_key: Param = None) -> Response[str]:
    name, fmt = split(document)
    if name != "requests":
        raise Open311Error(404, f"no such document '{name[:50]}' to post to: post requests.{fmt}")
    fields = filing_form.form_fields(router.current_event.decoded_body)
    check_jurisdiction(fields.get("jurisdiction_id") or jurisdiction_id)
    at = now()
    uc = wiring.usecases()
    key = uc.api_keys.check(fields.get("api_key") or api_key, at, write=True)  # 403 without a good one
    filer = Actor(role=Role.CITIZEN, id=f"apikey:{key.id}")
    filed = uc.intake.file(filing_form.command(fields, uc.catalogue, filer, at))
    notice = case_view.service_notice(filed.case, at, wiring.settings().policy)
    answer = {"service_request_id": filed.case.id, "service_notice": notice, "account_id": None}
    return render(fmt, "service_requests", [answer])


@router.get("/open311/v2/services/<document>", summary="GeoReport v2: a service's definition (its attributes)")
def service_definition(document: str, jurisdiction_id: Param = None) -> Response[str]:
    code, fmt = split(document)
    check_jurisdiction(jurisdiction_id)
    return render(fmt, "service_definition", services.definition(code, wiring.usecases().catalogue))


@router.get("/open311/v2/requests/<document>", summary="GeoReport v2: one service request (a list of one)")
def one_request(document: str, jurisdiction_id: Param = None) -> Response[str]:
    case_id, fmt = split(document)
    check_jurisdiction(jurisdiction_id)
    case = _one(case_id)
    if case is None:
        raise Open311Error(404, f"no service request '{case_id[:50]}'")
    return render(fmt, "service_requests", [_requests(now()).request(case)])


@router.get("/open311/v2/tokens/<document>", summary="GeoReport v2: the request a token stands for")
def token(document: str, jurisdiction_id: Param = None) -> Response[str]:
    """Every request gets its id at once, so no token is ever issued; a client that asks anyway with
    the id it was given gets that id back (and any other token is not found)."""
    value, fmt = split(document)
    check_jurisdiction(jurisdiction_id)
    if _one(value) is None:
        raise Open311Error(404, f"no token '{value[:50]}': requests get their service_request_id at once")
    return render(fmt, "service_requests", [{"service_request_id": value, "token": value}])


def _one(case_id: str) -> Case | None:
    if not CASE_ID.fullmatch(case_id):
        return None
    try:
        return wiring.usecases().reading.public(case_id)
    except NotFound:
        return None


def _by_ids(given: str) -> list[Case]:
    ids = list(dict.fromkeys(i.strip() for i in given.split(",") if i.strip()))
    if len(ids) > MAX_IDS:
        raise Open311Error(400, f"at most {MAX_IDS} service_request_id at once")
    return [case for case in map(_one, ids) if case is not None]


def _w3c(value: str | None, name: str) -> datetime | None:
    """A W3C date-time (``2026-04-10T09:00:00+07:00``, ``…Z``, or a day); without an offset: Bangkok's."""
    if not value:
        return None
    text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", value.strip())  # a "+" sent unencoded arrives as a space
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} is not a W3C date-time, e.g. 2026-04-10T09:00:00+07:00") from None
    return instant if instant.tzinfo else instant.replace(tzinfo=BANGKOK)


def _received(
    at: datetime, codes: str | None, start_date: str | None, end_date: str | None, status: str | None
) -> list[Case]:
    """The newest 1,000 received in the window (the last 90 days by default; the use case refuses
    a longer one), of the services and statuses asked."""
    start, end = _w3c(start_date, "start_date"), _w3c(end_date, "end_date")
    if start is None:
        end = end or at
        start = end - PUBLIC_WINDOW
    elif end is None:
        end = start + PUBLIC_WINDOW
    wanted = {s.strip() for s in (status or "").split(",") if s.strip()} or set(case_view.STATES)
    if not wanted <= set(case_view.STATES):
        raise Open311Error(400, "status is open or closed (or both, comma-separated)")
    states = tuple(s for name in sorted(wanted) for s in case_view.STATES[name])
    categories = tuple(dict.fromkeys(c.strip() for c in (codes or "").split(",") if c.strip()))
    known = wiring.usecases().catalogue.categories
    if unknown := [c for c in categories if c not in known]:
        raise Open311Error(400, f"unknown service_code '{unknown[0][:50]}': services.json lists them")
    cmd = ListReceived(
        actor=PUBLIC, at=at, start=start, end=end, states=states, categories=categories, limit=PUBLIC_LIMIT
    )
    return wiring.usecases().reading.received(cmd)
