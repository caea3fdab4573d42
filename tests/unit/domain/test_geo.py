"""Distances, the nearest districts to a point, and what the filing page asks about a pin."""

import csv

import pytest

from complaints.domain.geo import DistrictPoint, distance_m, nearest_districts, place_question
from complaints.domain.routing import BANGKOK_BBOX, in_bangkok
from complaints.reference import DATA, default_catalogue, district_points

pytestmark = pytest.mark.unit
POINTS = district_points()
CAT = default_catalogue()
# Three points on a line, 1 km apart (0.009° of latitude is about 1 km).
LINE = (
    DistrictPoint("1001", 13.700, 100.5),
    DistrictPoint("1002", 13.709, 100.5),
    DistrictPoint("1003", 13.718, 100.5),
)


def test_distance_on_the_ground():
    assert distance_m(13.7, 100.5, 13.7, 100.5) == 0
    assert distance_m(13.700, 100.5, 13.709, 100.5) == pytest.approx(1000.8, abs=1)
    # Victory Monument to the Grand Palace: about 5.3 km as the crow flies
    assert distance_m(13.7649, 100.5383, 13.7500, 100.4913) == pytest.approx(5_350, rel=0.05)


def test_nearest_districts_are_ranked_nearest_first():
    assert nearest_districts(13.7185, 100.5, LINE) == ["1003", "1002", "1001"]
    assert nearest_districts(13.701, 100.5, LINE, n=2) == ["1001", "1002"]
    assert nearest_districts(13.701, 100.5, LINE, n=0) == []
    assert nearest_districts(13.701, 100.5, LINE, n=9) == ["1001", "1002", "1003"]
    assert nearest_districts(13.7045, 100.5, LINE, n=1) == ["1001"]  # a tie goes to the lower code


def test_the_page_asks_about_a_pin_outside_bangkok_or_far_from_the_chosen_district():
    assert place_question(12.93, 100.88, "1039", POINTS) == "outside"  # Pattaya
    assert place_question(13.7185, 100.5, None, LINE) is None
    assert place_question(13.7185, 100.5, "1001", LINE, n=3) is None  # third nearest: taken as it is
    assert place_question(13.7185, 100.5, "1001", LINE, n=2) == "elsewhere"


def test_every_district_has_one_point_inside_bangkok_named_as_its_office():
    assert [p.code for p in POINTS] == [str(code) for code in range(1001, 1051)]
    assert all(in_bangkok(p.lat, p.lon) for p in POINTS), BANGKOK_BBOX
    with (DATA / "districts.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            office = CAT.agency(f"DIST-{row['code']}")
            assert (row["name_th"], row["name_en"]) == (
                CAT.district_name(row["code"]),
                office.name_en.removesuffix(" District Office"),
            )


def test_no_district_point_is_far_from_all_the_others():
    """A typo in a coordinate (a swapped digit) puts a point kilometres from every neighbour."""
    for p in POINTS:
        nearest_other = min(distance_m(p.lat, p.lon, q.lat, q.lon) for q in POINTS if q != p)
        assert nearest_other < 14_000, p  # Nong Chok, the largest district, is about 13 km from Min Buri


@pytest.mark.parametrize(
    ("district", "neighbours"),
    [
        # from the districts' articles: the districts each one borders
        ("1001", {"1002", "1008", "1013", "1015", "1016", "1020", "1025"}),  # Phra Nakhon
        ("1041", {"1036", "1005", "1030"}),  # Lak Si
        ("1005", {"1042", "1046", "1043", "1027", "1038", "1030", "1041", "1036"}),  # Bang Khen
    ],
)
def test_the_points_nearest_a_district_are_its_neighbours(district, neighbours):
    here = next(p for p in POINTS if p.code == district)
    assert set(nearest_districts(here.lat, here.lon, POINTS, 4)[1:]) <= neighbours


@pytest.mark.parametrize(
    ("place", "lat", "lon", "district"),
    [
        ("Don Mueang airport", 13.9126, 100.6068, "1036"),
        ("the Grand Palace", 13.7500, 100.4913, "1001"),
        ("Siam Paragon", 13.7462, 100.5347, "1007"),
        ("Min Buri market", 13.8130, 100.7300, "1010"),
    ],
)
def test_a_known_place_has_its_district_first(place, lat, lon, district):
    assert nearest_districts(lat, lon, POINTS)[0] == district, place
