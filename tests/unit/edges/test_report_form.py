"""What the filing page offers (categories in plain words, whom to call, the districts) and the
Content-Security-Policy it is served with: pure functions of the catalogue and the settings."""

import pytest

from complaints import report_form
from complaints.domain.model import Agency, Category
from complaints.domain.routing import Catalogue
from complaints.reference import default_catalogue, district_points

pytestmark = pytest.mark.unit
CAT = default_catalogue()


def test_every_category_is_offered_once_in_plain_words():
    offered = [o for g in report_form.category_groups(CAT) for o in g["options"]]
    assert sorted(o["code"] for o in offered) == sorted(CAT.categories)
    assert set(report_form.PLAIN) == set(CAT.categories), "a seed category without plain words"
    assert all(o["th"] and o["en"] for o in offered)


def test_a_category_added_later_is_offered_under_something_else_by_its_catalogue_names():
    extra = Category(code="graffiti", name_th="กราฟฟิตี", name_en="Graffiti", unit="triage")
    catalogue = Catalogue(CAT.agencies.values(), [*CAT.categories.values(), extra])
    other = next(g for g in report_form.category_groups(catalogue) if g["en"] == "Something else")
    assert {"code": "graffiti", "th": "กราฟฟิตี", "en": "Graffiti", "urgent": False} in other["options"]


def test_urgent_categories_say_whom_to_call_with_the_organisations_hotline():
    calls = report_form.urgent_calls(CAT)
    assert {code: call["hotline"] for code, call in calls.items()} == {
        "water_main": "1125",
        "power_pole": "1130",
        "highway": "1586",
        "expressway": "1543",
    }
    assert calls["power_pole"]["th"] == "การไฟฟ้านครหลวง"
    water = next(g for g in report_form.category_groups(CAT) if g["en"].startswith("Flooding"))
    assert water["options"][0]["code"] == "water_main", "urgent first in its group"


def test_an_urgent_category_of_an_organisation_without_a_hotline_names_no_number():
    agencies = [*CAT.agencies.values(), Agency(id="EXT-X", kind="external", name_th="ก", name_en="X")]
    urgent = Category(code="x", name_th="ก", name_en="X", unit="external:EXT-X", urgent=True)
    assert "x" not in report_form.urgent_calls(Catalogue(agencies, [urgent]))


def test_the_districts_are_in_thai_order_with_their_points():
    entries = report_form.districts(CAT, district_points())
    assert len(entries) == 50 and [e["th"] for e in entries] == sorted(e["th"] for e in entries)
    watthana = next(e for e in entries if e["code"] == "1039")
    assert (watthana["th"], watthana["en"]) == ("วัฒนา", "Watthana") and 13.7 < watthana["lat"] < 13.8


def test_emergency_numbers_come_from_the_catalogue():
    assert [e["hotline"] for e in report_form.emergency_numbers(CAT)] == ["191", "1669"]


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example/{z}/{x}/{y}.png", "https://*.tile.example"),
        ("http://127.0.0.1:8080/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("http://127.0.0.1:5055", "http://127.0.0.1:5055"),
        ("javascript:alert(1)", None),
        ("https://tiles.example;script-src *", None),
        ("https://tiles.example 'unsafe-inline'/{z}", None),
    ],
)
def test_the_origin_of_a_url_for_the_policy(url, origin):
    assert report_form.origin_of(url) == origin


def test_the_policy_adds_the_tiles_and_the_photo_bucket_and_nothing_for_scripts():
    policy = report_form.content_security_policy(
        "https://{s}.tile.example/{z}/{x}/{y}.png", "https://photos.s3.ap-southeast-1.amazonaws.com"
    )
    parts = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert parts["script-src"] == ["'self'"]
    assert parts["img-src"] == [
        "'self'",
        "data:",
        "blob:",
        "https://*.tile.example",
        "https://photos.s3.ap-southeast-1.amazonaws.com",
    ]
    assert parts["connect-src"] == ["'self'", "https://photos.s3.ap-southeast-1.amazonaws.com"]
    bad = report_form.content_security_policy("https://x.example;script-src 'unsafe-eval'/{z}/{x}/{y}", None)
    assert "unsafe-eval" not in bad
