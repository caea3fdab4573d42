"""Places on the ground: distances between points, and which district a point is nearest (pure).

The filing page (``static/report-geo.js``) applies the same rules in the browser: the
district picker follows the pin (the nearest district point), and a point outside
Bangkok, or a chosen district that is not among the ``NEAR`` nearest to the pin, is
asked about before the complaint is sent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .routing import in_bangkok

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)
#: A chosen district among this many nearest to the pin is taken as it is, without a question.
NEAR = 3


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres (haversine; well under 0.5% off at Bangkok's scale)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class DistrictPoint:
    """One point of a district (its office): where "nearest" is measured from."""

    code: str  # DOPA code, 1001–1050
    lat: float
    lon: float


def nearest_districts(lat: float, lon: float, points: Iterable[DistrictPoint], n: int = NEAR) -> list[str]:
    """The codes of the ``n`` district points nearest to (lat, lon), nearest first (ties by code)."""
    ranked = sorted(points, key=lambda p: (distance_m(lat, lon, p.lat, p.lon), p.code))
    return [p.code for p in ranked[: max(n, 0)]]


PlaceQuestion = Literal["outside", "elsewhere"]


def place_question(
    lat: float, lon: float, chosen: str | None, points: Iterable[DistrictPoint], n: int = NEAR
) -> PlaceQuestion | None:
    """What the filing page asks before sending, if anything: ``outside`` (the pin is outside
    Bangkok), ``elsewhere`` (the chosen district is not among the ``n`` nearest to the pin)."""
    if not in_bangkok(lat, lon):
        return "outside"
    if chosen and chosen not in nearest_districts(lat, lon, points, n):
        return "elsewhere"
    return None
