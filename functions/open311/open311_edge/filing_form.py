"""GeoReport v2's ``POST requests`` (a form) as the body of ``POST /complaints``: validated by the
same model (``schemas.ComplaintIn``) and filed through the same command (``filing``), so that both
file the same case by the same rules.

The form's fields: ``service_code``, ``lat`` and ``long`` or ``address_string``, ``description``,
``first_name``, ``last_name``, ``email``, ``phone``, ``media_url`` (an http(s) URL) and
``attribute[district]``. The district is the attribute's (a DOPA code or a district's name); without
it, the district ``address_string`` names (``เขตวัฒนา``, ``Watthana``), if it names one; else none, and
a category routed by district goes to triage, as in the JSON API. Other fields (``device_id``,
``account_id``, ``address_id``, other attributes) are not used. The centre sends the filer no
notices (``notify`` false): the Open311 app that filed follows the request and tells its user.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from pydantic import ValidationError

from complaints.commands import FileComplaint
from complaints.domain.model import Actor
from complaints.domain.routing import Catalogue
from complaints.filing import filing
from complaints.schemas import ComplaintIn

from .formats import Open311Error
from .services import both

CHANNEL = "open311"
DISTRICT_FIELD = "attribute[district]"
#: Where each field of ``ComplaintIn`` comes from in the form (for the error's description).
FORM_NAMES = {
    "category": "service_code",
    "description": "description",
    "location.lat": "lat",
    "location.lon": "long",
    "location.address": "address_string",
    "location.district": DISTRICT_FIELD,
    "complainant.name": "first_name/last_name",
    "complainant.phone": "phone",
    "complainant.email": "email",
    "photos": "media_url",
}


def form_fields(body: str | None) -> dict[str, str]:
    """The form's fields (the last of a repeated one), blanks as absent."""
    parsed = parse_qs(body or "", keep_blank_values=True, max_num_fields=100)
    return {name: values[-1].strip() for name, values in parsed.items() if values and values[-1].strip()}


def _coordinate(fields: Mapping[str, str], name: str) -> float | None:
    if name not in fields:
        return None
    try:
        value = float(fields[name])
    except ValueError:
        raise Open311Error(400, f"{name} is not a number (WGS 84 degrees, e.g. 13.7563)") from None
    if not math.isfinite(value):
        raise Open311Error(400, f"{name} is not a number (WGS 84 degrees, e.g. 13.7563)")
    return value


def complaint_body(fields: Mapping[str, str], catalogue: Catalogue) -> dict[str, Any]:
    """The form as ``POST /complaints``'s body; :class:`Open311Error` 400 for what Open311 itself
    requires (a known service, a location, a URL as ``media_url``)."""
    code = fields.get("service_code")
    if not code:
        raise Open311Error(400, "service_code is required: services.json lists them")
    if code not in catalogue.categories:
        raise Open311Error(400, f"unknown service_code '{code[:50]}': services.json lists them")
    lat, lon = _coordinate(fields, "lat"), _coordinate(fields, "long")
    address = fields.get("address_string")
    if (lat is None or lon is None) and not address:
        raise Open311Error(400, "a location is required: lat and long, or address_string")
    media = fields.get("media_url")
    if media and not media.lower().startswith(("http://", "https://")):
        raise Open311Error(400, "media_url must be an http(s) URL")
    name = " ".join(n for n in (fields.get("first_name"), fields.get("last_name")) if n)
    return {
        "category": code,
        # optional in GeoReport v2; a case is described, so a filing without one is described by its service
        "description": fields.get("description")
        or both(catalogue.categories[code].name_th, catalogue.categories[code].name_en),
        "location": {
            "lat": lat if lon is not None else None,
            "lon": lon if lat is not None else None,
            "address": address,
            "district": fields.get(DISTRICT_FIELD) or catalogue.district_named_in(address),
        },
        "complainant": {"name": name or None, "phone": fields.get("phone"), "email": fields.get("email")},
        "notify": False,
        "channel": CHANNEL,
        "photos": [media] if media else [],
    }


def command(fields: Mapping[str, str], catalogue: Catalogue, actor: Actor, at: datetime) -> FileComplaint:
    """The form as the intake's command; :class:`Open311Error` 400 naming the fields to fix (never
    their values: they may be personal)."""
    try:
        body = ComplaintIn.model_validate(complaint_body(fields, catalogue))
    except ValidationError as err:
        problems = []
        for e in err.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if not isinstance(p, int))
            field = next((form for ours, form in FORM_NAMES.items() if where.startswith(ours)), where or "the form")
            problems.append(f"{field}: {str(e.get('msg', 'invalid')).removeprefix('Value error, ')}")
        raise Open311Error(400, "; ".join(problems)) from None
    return filing(body, actor, at)
