"""Defect 14: an anonymous ``POST /complaints`` with ``notify`` made the centre text any number, as
often as one liked. Now a phone number (or an address) gets citizen notices for at most
``NOTIFIED_CASES_PER_DAY`` cases a local day; further cases are filed without notices."""

from __future__ import annotations

import pytest

from complaints.domain.privacy import NOTIFIED_CASES_PER_DAY
from tests.conftest import CALLCENTER, complaint, table_items
from tests.integration.helpers import PHONE, sms
from tests.integration.privacy.helpers import leaks

pytestmark = pytest.mark.integration


def post(api, when, claims=None, **overrides):
    answer = api.call("POST", "/complaints", body=complaint(**overrides), claims=claims, when=when)
    assert answer.status == 201, answer.body
    return answer.json


def test_a_number_gets_notices_for_a_few_cases_a_day_and_the_rest_are_filed_without(api):
    answers = [post(api, f"2026-04-10T{9 + n:02d}:00:00+07:00") for n in range(NOTIFIED_CASES_PER_DAY + 2)]
    assert [a["notify"] for a in answers] == [True] * NOTIFIED_CASES_PER_DAY + [False, False]
    assert all(a["state"] == "dispatched" and a["tracking_token"] for a in answers)  # filed all the same
    assert len(sms(PHONE)) == NOTIFIED_CASES_PER_DAY
    assert post(api, "2026-04-11T09:00:00+07:00")["notify"] is True  # the next local day
    assert len(sms(PHONE)) == NOTIFIED_CASES_PER_DAY + 1


def test_an_email_address_is_limited_the_same_way(api):
    person = {"name": "สุขศรี", "email": "Suksri@Example.com"}
    answers = [post(api, f"2026-04-10T{9 + n:02d}:00:00+07:00", complainant=person) for n in range(6)]
    assert [a["notify"] for a in answers] == [True] * NOTIFIED_CASES_PER_DAY + [False]


def test_the_call_centre_is_not_limited(api):
    for n in range(NOTIFIED_CASES_PER_DAY):
        post(api, f"2026-04-10T{9 + n:02d}:00:00+07:00")
    assert post(api, "2026-04-10T20:00:00+07:00", claims=CALLCENTER, channel="phone")["notify"] is True


def test_the_counter_holds_a_keyed_hash_and_expires(api, aws):
    post(api, "2026-04-10T09:00:00+07:00")
    (counter,) = [i for i in table_items(aws) if i["pk"]["S"].startswith("NOTIFIED#")]
    assert leaks(str(counter)) == []
    assert counter["sk"]["S"] == "DAY#2026-04-10" and counter["cases"]["N"] == "1"
    assert int(counter["ttl"]["N"]) == 1776013200  # 2026-04-13T00:00+07:00: two days after the day ended
