"""Whether an "after" photo fits its case (``domain.evidence``): the 200 m and the filing time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.domain.evidence import FAR_M, Flag, check, flags_of
from complaints.domain.geo import distance_m
from complaints.domain.model import Case, Location, State
from complaints.domain.photos import PhotoFacts

pytestmark = pytest.mark.unit
FILED = datetime.fromisoformat("2026-04-10T09:12:00+07:00")
SITE = (13.7563, 100.5018)


def case(lat: float | None = SITE[0], lon: float | None = SITE[1]) -> Case:
    return Case(
        id="2604-AAAAAA",
        state=State.ACKNOWLEDGED,
        category="road",
        description="หลุม",
        location=Location(lat=lat, lon=lon),
        received_at=FILED,
        token_hash="x",
    )


def test_a_known_distance_in_bangkok():
    # Democracy Monument to the Grand Palace's north gate: about 1.2 km
    assert 1_100 < distance_m(13.7567, 100.5018, 13.7525, 100.4915) < 1_300


points = st.tuples(st.floats(13.5, 13.95), st.floats(100.3, 100.95))


@given(points, points)
def test_distance_is_symmetric_and_zero_only_at_the_same_point(a, b):
    assert distance_m(*a, *b) == pytest.approx(distance_m(*b, *a))
    assert distance_m(*a, *a) == 0


@given(points, st.integers(-3_000_000, 3_000_000))
def test_a_photo_is_flagged_far_exactly_when_it_is_more_than_200_m_away(point, seconds):
    taken = FILED + timedelta(seconds=seconds)
    [result] = check(case(), [PhotoFacts("photo:x", taken, *point)])
    assert result.distance_m == round(distance_m(*point, *SITE))
    assert (Flag.FAR in result.flags) == (result.distance_m > FAR_M)
    assert (Flag.EARLY in result.flags) == (taken < FILED)


def test_no_place_in_the_photo_or_the_case_gives_no_distance_and_no_flag():
    assert check(case(), [PhotoFacts("photo:x")])[0].distance_m is None
    assert check(case(None, None), [PhotoFacts("photo:x", FILED, 14.9, 101.9)])[0].flags == []


def test_the_completion_carries_each_flag_once_whatever_the_number_of_photos():
    far = PhotoFacts("photo:a", FILED + timedelta(hours=1), 13.80, 100.60)
    early_and_far = PhotoFacts("photo:b", FILED - timedelta(days=3), 13.80, 100.60)
    assert flags_of(check(case(), [far, early_and_far])) == [Flag.FAR, Flag.EARLY]
