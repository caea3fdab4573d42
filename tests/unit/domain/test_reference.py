"""The rules of an admin's change of the reference data, and the catalogue in force (defaults merged
with what is stored): pure, no table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.domain.errors import NotFound
from complaints.domain.reference import Edit, InvalidReference, Stored, apply, category_problem, merge
from complaints.reference import default_catalogue

CAT = default_catalogue()


def edit_agency(**fields) -> Edit:
    return Edit("agency", fields.pop("key", "DEPT-PWD"), fields)


def edit_category(key: str = "road", **fields) -> Edit:
    return Edit("category", key, fields)


def applied(*edits: Edit, stored: Stored | None = None) -> Stored:
    stored = stored or Stored()
    for e in edits:
        stored = apply(CAT, stored, e).stored
    return stored


NEW_DEPT = {
    "id": "DEPT-PARK",
    "kind": "department",
    "name_th": "สำนักสวน",
    "name_en": "Parks Department",
    "email": "parks@agency.example",
    "head_email": None,
    "hotline": None,
}
NEW_CATEGORY = {
    "code": "park_bench",
    "name_th": "ม้านั่งสวนสาธารณะ",
    "name_en": "Park benches",
    "unit": "department:DEPT-PWD",
    "urgent": False,
    "referral_channel": None,
    "after_photo": True,
}


def test_the_bundled_catalogue_keeps_every_rule_and_merges_to_itself():
    assert [p for c in CAT.categories.values() if (p := category_problem(c, CAT))] == []
    assert merge(CAT, Stored()) is CAT


def test_an_agency_edit_stores_only_what_differs_and_the_catalogue_shows_it():
    stored = applied(edit_agency(email="works@bma.example", hotline="02-123-4567"))

    assert stored.version == 1
    assert stored.agencies == {"DEPT-PWD": {"email": "works@bma.example", "hotline": "02-123-4567"}}
    pwd = merge(CAT, stored).agency("DEPT-PWD")
    assert (pwd.email, pwd.hotline, pwd.name_en) == ("works@bma.example", "02-123-4567", "Department of Public Works")


def test_setting_a_field_back_to_the_bundled_value_leaves_nothing_stored():
    stored = applied(edit_agency(email="works@bma.example"), edit_agency(email="dept-pwd@agency.example"))

    assert stored.agencies == {} and stored.version == 2


def test_an_edit_that_changes_nothing_is_not_a_change():
    assert apply(CAT, Stored(), edit_agency(email="dept-pwd@agency.example")) is None


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"email": "not-an-address"}, "email is not a valid e-mail"),
        ({"head_email": "head@"}, "head_email is not a valid e-mail"),
        ({"email": None}, "needs an e-mail"),
        ({"hotline": "call us"}, "hotline is not a phone number"),
        ({"name_en": "Renamed"}, "cannot be changed: name_en"),
    ],
)
def test_a_bad_agency_edit_is_refused_with_what_is_wrong(fields, says):
    with pytest.raises(InvalidReference, match=says) as refused:
        apply(CAT, Stored(), edit_agency(**fields))
    assert refused.value.status == 400


def test_editing_an_agency_or_category_that_does_not_exist_is_not_found():
    with pytest.raises(NotFound):
        apply(CAT, Stored(), edit_agency(key="DEPT-NONE", email="a@b.example"))
    with pytest.raises(NotFound):
        apply(CAT, Stored(), edit_category("nothing", urgent=True))


def test_a_category_moved_to_a_department_routes_there():
    stored = applied(edit_category(unit="department:DEPT-PWD"))

    decision = merge(CAT, stored).route("road", "1039")
    assert (decision.kind, decision.agency.id) == ("agency", "DEPT-PWD")
    assert CAT.route("road", "1039").agency.id == "DIST-1039"  # the bundled catalogue is untouched


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"unit": "district:parks"}, "a unit is triage, district:public_works"),
        ({"unit": "department:EXT-MWA"}, "'EXT-MWA' is not a known department agency"),
        ({"unit": "external:DEPT-PWD"}, "'DEPT-PWD' is not a known external agency"),
        ({"unit": "department:DEPT-NONE"}, "not a known department"),
        ({"unit": "elsewhere"}, "a unit is triage"),
        ({"unit": "external:EXT-MWA"}, "give its referral_channel"),
        ({"referral_channel": "letter"}, "a referral_channel does not apply"),
        ({"unit": "external:EXT-MEA", "referral_channel": "post"}, "invalid category: check referral_channel"),
    ],
)
def test_a_bad_category_edit_is_refused_with_what_is_wrong(fields, says):
    with pytest.raises(InvalidReference, match=says):
        apply(CAT, Stored(), edit_category(**fields))


def test_a_category_brought_inside_the_city_drops_its_referral_channel():
    stored = applied(edit_category("water_main", unit="department:DEPT-DDS"))

    water = merge(CAT, stored).category("water_main")
    assert (water.unit, water.referral_channel) == ("department:DEPT-DDS", None)


def test_a_referral_by_hotline_needs_the_organisations_hotline():
    with pytest.raises(InvalidReference, match="'EXT-MWA' has no hotline"):
        apply(CAT, Stored(), edit_agency(key="EXT-MWA", hotline=None))
    stored = applied(edit_category("water_main", referral_channel="letter"))
    assert apply(CAT, stored, edit_agency(key="EXT-MWA", hotline=None)) is not None


def test_a_new_agency_and_a_category_routed_to_it():
    stored = applied(Edit("agency", "DEPT-PARK", NEW_DEPT, add=True))
    stored = applied(
        Edit("category", "park_bench", NEW_CATEGORY | {"unit": "department:DEPT-PARK"}, add=True), stored=stored
    )

    catalogue = merge(CAT, stored)
    assert list(catalogue.agencies)[-1] == "DEPT-PARK"  # after the bundled ones
    assert catalogue.route("park_bench", "1039").agency.id == "DEPT-PARK"
    assert stored.agencies["DEPT-PARK"]["email"] == "parks@agency.example"


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        (NEW_DEPT | {"id": "DEPT-PWD"}, "exists already"),
        (NEW_DEPT | {"id": "DIST-1051", "kind": "district"}, "the 50 district offices are fixed"),
        (NEW_DEPT | {"id": "EXT-PARK"}, "a new department's id is DEPT-"),
        (NEW_DEPT | {"id": "DEPT-park"}, "a new department's id is DEPT-"),
        (NEW_DEPT | {"email": "parks"}, "email is not a valid"),
        (NEW_DEPT | {"name_th": " "}, "needs its name in Thai and in English"),
    ],
)
def test_a_bad_new_agency_is_refused(fields, says):
    with pytest.raises(InvalidReference, match=says):
        apply(CAT, Stored(), Edit("agency", fields["id"], fields, add=True))


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        (NEW_CATEGORY | {"code": "road"}, "exists already"),
        (NEW_CATEGORY | {"code": "Park Bench"}, "is not a category code"),
        (NEW_CATEGORY | {"unit": "department:DEPT-PARK"}, "not a known department"),
        (NEW_CATEGORY | {"unit": "external:EXT-EMS"}, "give its referral_channel"),
    ],
)
def test_a_bad_new_category_is_refused(fields, says):
    with pytest.raises(InvalidReference, match=says):
        apply(CAT, Stored(), Edit("category", fields["code"], fields, add=True))


# --- any sequence of edits ------------------------------------------------------------------------

UNITS = st.sampled_from(
    [
        "triage",
        "district:public_works",
        "district:cleansing_parks",
        "district:nowhere",
        "department:DEPT-PWD",
        "department:OPS-1555",
        "department:EXT-MEA",
        "external:EXT-MWA",
        "external:EXT-DOH",
        "external:DIST-1001",
    ]
)
CATEGORY_EDITS = st.builds(
    lambda key, fields: Edit("category", key, fields),
    st.sampled_from(["road", "water_main", "flooding", "other", "expressway"]),
    st.fixed_dictionaries(
        {},
        optional={
            "unit": UNITS,
            "urgent": st.booleans(),
            "referral_channel": st.sampled_from(["hotline", "letter", None]),
        },
    ),
)
AGENCY_EDITS = st.builds(
    lambda key, fields: Edit("agency", key, fields),
    st.sampled_from(["DEPT-PWD", "EXT-MWA", "EXT-DOH", "DIST-1039"]),
    st.fixed_dictionaries(
        {},
        optional={
            "email": st.sampled_from(["a@bma.example", "dept-pwd@agency.example", "broken", None]),
            "hotline": st.sampled_from(["1125", "02-123-4567", None, "x"]),
        },
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(CATEGORY_EDITS, AGENCY_EDITS), max_size=8))
def test_any_sequence_of_edits_keeps_a_catalogue_that_routes_and_stores_only_differences(edits):
    stored = Stored()
    for e in edits:
        try:
            done = apply(CAT, stored, e)
        except InvalidReference:
            continue  # refused: nothing changes
        if done is None:
            continue
        assert done.stored.version == stored.version + 1
        stored = done.stored
        catalogue = merge(CAT, stored)
        assert catalogue.agencies == done.catalogue.agencies and catalogue.categories == done.catalogue.categories
        assert all(category_problem(c, catalogue) is None for c in catalogue.categories.values())
        for code in catalogue.categories:
            catalogue.route(code, "1039")  # every category routes somewhere known
        for key, fields in stored.agencies.items():
            assert fields and all(CAT.agencies[key].model_dump()[f] != v for f, v in fields.items())
        for key, fields in stored.categories.items():
            assert fields and all(CAT.categories[key].model_dump()[f] != v for f, v in fields.items())
