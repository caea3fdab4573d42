"""``GET requests``: by ids, by service, by status, within a window of at most 90 days (the last 90
by default), newest first, from the state index."""

import pytest

from tests.conftest import complaint
from tests.integration.open311.conftest import as_dicts, xml

pytestmark = pytest.mark.integration
NOW = "2026-04-10T18:00:00+07:00"


@pytest.fixture
def filed(api):
    """Cases received over three months (the JSON API files them: Open311 lists every channel's)."""
    cases = {}
    for when, category in [
        ("2026-01-05T10:00:00+07:00", "road"),  # over 90 days before NOW
        ("2026-02-01T10:00:00+07:00", "road"),
        ("2026-03-01T10:00:00+07:00", "flooding"),
        ("2026-04-01T10:00:00+07:00", "water_main"),  # referred at once: closed
        ("2026-04-09T10:00:00+07:00", "road"),
    ]:
        answer = api.call("POST", "/complaints", body=complaint(category=category), when=when)
        assert answer.status == 201, answer.body
        cases[when[:10]] = answer.json["id"]
    return cases


def ids(answer):
    assert answer.status == 200, answer.body
    return [r["service_request_id"] for r in answer.json]


def test_the_last_90_days_newest_first_by_default(open311, filed):
    listed = ids(open311.get("requests.json", when=NOW))
    assert listed == [filed[d] for d in ("2026-04-09", "2026-04-01", "2026-03-01", "2026-02-01")]
    root = xml(open311.get("requests.xml", when=NOW))
    assert root.tag == "service_requests" and [r["service_request_id"] for r in as_dicts(root)] == listed


def test_by_service_and_status(open311, filed):
    roads = ids(open311.get("requests.json", when=NOW, service_code="road"))
    assert roads == [filed["2026-04-09"], filed["2026-02-01"]]
    two = ids(open311.get("requests.json", when=NOW, service_code="road,flooding"))
    assert two == [filed["2026-04-09"], filed["2026-03-01"], filed["2026-02-01"]]
    assert ids(open311.get("requests.json", when=NOW, status="closed")) == [filed["2026-04-01"]]
    assert filed["2026-04-01"] not in ids(open311.get("requests.json", when=NOW, status="open"))
    assert len(ids(open311.get("requests.json", when=NOW, status="open,closed"))) == 4


def test_a_window_of_dates(open311, filed):
    march = ids(open311.get("requests.json", start_date="2026-03-01T00:00:00+07:00", end_date="2026-04-01T09:00:00Z"))
    assert march == [filed["2026-04-01"], filed["2026-03-01"]]
    older = ids(open311.get("requests.json", start_date="2026-01-01T00:00:00+07:00"))  # 90 days from it
    assert older == [filed[d] for d in ("2026-03-01", "2026-02-01", "2026-01-05")]
    before = ids(open311.get("requests.json", end_date="2026-02-15"))  # a day: midnight in Bangkok
    assert before == [filed["2026-02-01"], filed["2026-01-05"]]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_window_over_90_days_is_refused(open311, filed, fmt):
    answer = open311.get(
        f"requests.{fmt}", start_date="2026-01-01T00:00:00+07:00", end_date="2026-04-02T00:00:00+07:00"
    )
    assert answer.status == 400
    description = answer.json[0]["description"] if fmt == "json" else xml(answer).findtext("error/description")
    assert "90 days" in description


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "2026-04-09T00:00:00+07:00", "end_date": "2026-04-01T00:00:00+07:00"}, "ends before"),
        ({"status": "pending"}, "open or closed"),
        ({"service_code": "road,unicorns"}, "unicorns"),
    ],
)
def test_bad_filters_are_refused(open311, query, says):
    answer = open311.get("requests.json", when=NOW, **query)
    assert answer.status == 400 and says in answer.json[0]["description"]


def test_ids_override_every_other_filter(open311, filed):
    wanted = f"{filed['2026-01-05']}, {filed['2026-04-01']},2604-ZZZZZZ,nonsense"
    listed = ids(open311.get("requests.json", when=NOW, service_request_id=wanted, service_code="flooding"))
    assert listed == [filed["2026-01-05"], filed["2026-04-01"]]  # as asked; unknown ones are left out
    one = open311.get(f"requests/{filed['2026-01-05']}.xml", when=NOW)  # any age, by its id
    assert [r["service_request_id"] for r in as_dicts(xml(one))] == [filed["2026-01-05"]]
    too_many = ",".join(f"2604-{n:06d}" for n in range(101))  # at most 100 at once
    assert open311.get("requests.json", service_request_id=too_many).status == 400


def test_the_token_of_a_request_is_its_id(open311, filed):
    case_id = filed["2026-04-09"]
    assert open311.get(f"tokens/{case_id}.json").json == [{"service_request_id": case_id, "token": case_id}]
    root = xml(open311.get(f"tokens/{case_id}.xml"))
    assert as_dicts(root) == [{"service_request_id": case_id, "token": case_id}]


def test_at_most_1000_are_listed(open311, monkeypatch, filed):
    from complaints.usecases import reading

    monkeypatch.setattr(reading, "PUBLIC_LIMIT", 2)  # the same cut, smaller
    assert ids(open311.get("requests.json", when=NOW)) == [filed["2026-04-09"], filed["2026-04-01"]]
