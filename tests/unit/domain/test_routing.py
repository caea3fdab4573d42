"""Automatic routing from the seed data (SPEC §5)."""

import pytest

from complaints.domain.errors import InvalidInput
from complaints.domain.routing import in_bangkok
from complaints.reference import default_catalogue

pytestmark = pytest.mark.unit
CAT = default_catalogue()


def test_seed_data_is_complete():
    assert len(CAT.district_codes) == 50
    assert CAT.district_codes == {str(code) for code in range(1001, 1051)}
    assert len(CAT.categories) == 31


@pytest.mark.parametrize(
    ("category", "agency", "section"),
    [
        ("road", "DIST-1039", "public_works"),
        ("safety", "DIST-1039", "law_enforcement"),
        ("tree", "DIST-1039", "cleansing_parks"),
        ("noise", "DIST-1039", "environment_sanitation"),
    ],
)
def test_district_categories_go_to_that_section_of_the_district_office(category, agency, section):
    decision = CAT.route(category, "1039")
    assert (decision.kind, decision.agency.id, decision.section) == ("agency", agency, section)


def test_department_categories_go_to_the_department_wherever_they_are():
    for district in ("1001", "1050", None):
        decision = CAT.route("flooding", district)
        assert (decision.kind, decision.agency.id, decision.section) == ("agency", "DEPT-DDS", None)


@pytest.mark.parametrize(
    ("category", "org", "channel"),
    [
        ("water_main", "EXT-MWA", "hotline"),
        ("water_service", "EXT-MWA", "letter"),
        ("power_pole", "EXT-MEA", "hotline"),
        ("power_service", "EXT-MEA", "letter"),
        ("highway", "EXT-DOH", "hotline"),
        ("expressway", "EXT-EXAT", "hotline"),
    ],
)
def test_external_categories_are_referred_urgent_by_hotline_others_by_letter(category, org, channel):
    decision = CAT.route(category, "1039")
    assert (decision.kind, decision.agency.id, decision.channel) == ("referral", org, channel)
    assert decision.agency.hotline


@pytest.mark.parametrize("category", ["complaint", "suggestion", "inquiry", "other"])
def test_triage_categories_wait_for_the_call_centre(category):
    assert CAT.route(category, "1039").kind == "triage"


def test_district_category_without_district_goes_to_triage():
    assert CAT.route("road", None).kind == "triage"


def test_unknown_category_says_where_to_find_valid_ones():
    with pytest.raises(InvalidInput, match="GET /categories"):
        CAT.route("potholes", "1039")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("1039", "1039"),
        ("วัฒนา", "1039"),
        ("เขตวัฒนา", "1039"),
        ("Watthana", "1039"),
        ("watthana district", "1039"),
        ("  Bang  Rak ", "1004"),
        ("พระนคร", "1001"),
    ],
)
def test_district_from_code_or_name(name, code):
    assert CAT.district_code(name) == code


@pytest.mark.parametrize("bad", ["1051", "1000", "9999", "Nonthaburi", ""])
def test_district_not_in_bangkok_is_refused(bad):
    with pytest.raises(InvalidInput, match="50 districts"):
        CAT.district_code(bad)


def test_bounding_box():
    assert in_bangkok(13.7563, 100.5018)  # Democracy Monument
    assert in_bangkok(13.52, 100.43)  # Bang Khun Thian coast
    assert in_bangkok(13.82, 100.91)  # Nong Chok
    assert not in_bangkok(13.36, 100.98)  # Chon Buri
    assert not in_bangkok(100.5018, 13.7563)  # swapped
    assert not in_bangkok(18.79, 98.98)  # Chiang Mai


def test_district_name_from_code():
    assert CAT.district_name("1039") == "วัฒนา"
    assert CAT.district_name(None) is None  # not a department's name either


@pytest.mark.parametrize(
    ("address", "district"),
    [
        ("ซอยสุขุมวิท 31 เขตวัฒนา กรุงเทพฯ", "1039"),
        ("ซอยสุขุมวิท 31 เขต วัฒนา", "1039"),
        ("Sukhumvit 31, Watthana, Bangkok 10110", "1039"),
        ("Bangna-Trat Road, BANG NA district", "1047"),
        ("แขวงบางนา", None),  # a bare Thai name may be a subdistrict's: เขต… only
        ("Bang Khen or Bang Kapi?", None),  # two districts: none of them
        ("ปากซอยสุขุมวิท 31", None),
        ("Bang Nam Phueng", None),  # not whole words of "Bang Na"
        (None, None),
    ],
)
def test_the_district_an_address_names(address, district):
    assert CAT.district_named_in(address) == district


def test_the_districts_are_named_in_thai_and_english_by_code():
    districts = CAT.districts()
    assert len(districts) == 50 and [d[0] for d in districts] == sorted(CAT.district_codes)
    assert ("1039", "วัฒนา", "Watthana") in districts
