"""Roles from Cognito claims, and request validation."""

import pytest
from pydantic import ValidationError

from complaints.domain.errors import Forbidden, Unauthorized
from complaints.domain.model import Role
from complaints.identity import actor_for, groups
from complaints.schemas import ComplaintIn, RouteIn, thai_phone

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "raw", [["callcenter", "admin"], "callcenter,admin", "[callcenter admin]", "callcenter, admin"]
)
def test_groups_as_list_or_comma_string(raw):
    assert set(groups({"cognito:groups": raw})) == {Role.CALLCENTER, Role.ADMIN}


def test_anonymous_caller_is_a_citizen_where_citizens_are_allowed():
    assert actor_for({}, {Role.CITIZEN, Role.CALLCENTER}).role is Role.CITIZEN
    with pytest.raises(Unauthorized):
        actor_for({}, {Role.CALLCENTER})


def test_staff_act_in_an_allowed_role():
    actor = actor_for({"cognito:groups": "admin,callcenter", "sub": "u1"}, {Role.CALLCENTER})
    assert (actor.role, actor.id) == (Role.CALLCENTER, "u1")
    with pytest.raises(Forbidden, match="callcenter"):
        actor_for({"cognito:groups": "auditor"}, {Role.CALLCENTER})


def test_agency_officer_carries_the_agency_and_needs_one():
    actor = actor_for({"cognito:groups": ["agency"], "custom:agency_id": "DIST-1039"}, {Role.AGENCY})
    assert actor.agency_id == "DIST-1039"
    with pytest.raises(Forbidden, match="custom:agency_id"):
        actor_for({"cognito:groups": ["agency"]}, {Role.AGENCY})


def test_unknown_groups_are_ignored():
    assert actor_for({"cognito:groups": "superuser"}, {Role.CITIZEN}).role is Role.CITIZEN


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("0812345678", "+66812345678"),
        ("081-234-5678", "+66812345678"),
        ("+66812345678", "+66812345678"),
        ("66 81 234 5678", "+66812345678"),
        ("021234567", "+6621234567"),
        ("0912345678", "+66912345678"),
    ],
)
def test_thai_phone_numbers_are_stored_in_e164(given, stored):
    assert thai_phone(given) == stored


@pytest.mark.parametrize("bad", ["12345", "0012345678", "08123456789", "+1 212 555 0100", "phone"])
def test_invalid_phone_numbers_are_refused(bad):
    with pytest.raises(ValueError, match="Thai phone"):
        thai_phone(bad)


def test_invisible_characters_are_stripped_control_characters_refused_and_html_kept_as_text():
    body = ComplaintIn(category="road\u200b", description="ab\nc\u202e <script>x</script> ")
    assert body.category == "road"
    assert body.description == "ab\nc <script>x</script>"
    with pytest.raises(ValidationError, match="control character"):
        ComplaintIn(category="road\x00", description="x")
    with pytest.raises(ValidationError, match="control character"):
        ComplaintIn(category="road", description="a\x07b")


def test_description_limit_is_4000_characters():
    ComplaintIn(category="road", description="ก" * 4000)
    with pytest.raises(ValidationError, match="4000"):
        ComplaintIn(category="road", description="ก" * 4001)


def test_notify_needs_a_way_to_reach_the_citizen():
    with pytest.raises(ValidationError, match="no phone or e-mail"):
        ComplaintIn(category="road", description="x", notify=True)


def test_route_needs_exactly_one_target():
    with pytest.raises(ValidationError, match="either agency_id or external"):
        RouteIn()
    with pytest.raises(ValidationError, match="either agency_id or external"):
        RouteIn(agency_id="DEPT-PWD", external={"agency_id": "EXT-MWA", "channel": "letter"})
