"""A complaint's body as the intake's command: one mapping for every edge that files (the JSON
API's ``POST /complaints``, Open311's ``POST requests``), so that they file the same case."""

from __future__ import annotations

from datetime import datetime

from .commands import FileComplaint
from .domain.model import Actor, Complainant, Location
from .schemas import ComplaintIn


def filing(body: ComplaintIn, actor: Actor, at: datetime) -> FileComplaint:
    """``body`` (validated) as the intake's command, filed by ``actor`` at ``at``."""
    loc = body.location
    return FileComplaint(
        actor=actor,
        at=at,
        category=body.category,
        description=body.description,
        location=Location(lat=loc.lat, lon=loc.lon, address=loc.address),
        district=loc.district,
        complainant=Complainant(**body.complainant.model_dump()),
        notify=body.notify,
        channel=body.channel,
        photos=tuple(str(p) for p in body.photos),
        urgent=body.urgent,
    )
