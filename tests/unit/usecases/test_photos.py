"""Photos (``usecases.photos``): uploads issued, accepted once by their owner, checked as evidence.

The image processor is replaced by a stand-in that reads a tiny made-up format, so these
tests are about the rules; ``tests/unit/adapters/test_imaging.py`` tests the real one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from complaints.commands import Complete
from complaints.domain.errors import InvalidInput
from complaints.domain.events import EventType
from complaints.domain.evidence import Flag
from complaints.domain.photos import PhotoRefused
from complaints.usecases.agency import PhotoRequired
from complaints.usecases.photos import IssueUpload

from .helpers import CALLCENTRE, CITIZEN, OFFICER, OTHER_OFFICER, SUKHUMVIT_31, acknowledge, at, file, history, last

pytestmark = pytest.mark.unit


@dataclass
class StandInExif:
    taken_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {"taken_at": self.taken_at.isoformat() if self.taken_at else None, "lat": self.lat, "lon": self.lon}


@dataclass
class StandIn:
    content_type: str = "image/jpeg"
    thumbnail: bytes = b"thumb"
    web: bytes = b"web"
    exif: StandInExif = field(default_factory=StandInExif)


def stand_in_process(data: bytes) -> StandIn:
    """``IMG{json}`` is an image whose EXIF is the JSON; anything else is not an image."""
    if not data.startswith(b"IMG"):
        raise InvalidInput("not an image: send JPEG, PNG, WebP or HEIC")
    doc = json.loads(data[3:] or b"{}")
    taken = datetime.fromisoformat(doc["taken_at"]) if doc.get("taken_at") else None
    return StandIn(exif=StandInExif(taken, doc.get("lat"), doc.get("lon")))


def image(lat: float | None = None, lon: float | None = None, taken_at: str | None = None) -> bytes:
    return b"IMG" + json.dumps({"lat": lat, "lon": lon, "taken_at": taken_at}).encode()


@pytest.fixture
def app(app):
    app.usecases.photos.process = stand_in_process
    return app


def upload(app, actor=CITIZEN, body: bytes | None = None, when: str | None = None, kind="image/jpeg") -> str:
    """What a browser does: ask for a form, then send the file to it (a citizen before filing, an
    officer on the day of the completion)."""
    when = when or ("2026-04-10T09:00" if actor is CITIZEN else "2026-04-20T09:40")
    ticket = app.usecases.photos.issue(IssueUpload(actor=actor, at=at(when), content_type=kind, size=1000))
    if body is not None:
        app.fakes.photos.upload(ticket.key, body, kind)
    return ticket.key


def objects(app) -> set[str]:
    return set(app.fakes.photos.objects)


def test_a_filed_photo_is_stored_as_copies_and_its_raw_upload_removed(app):
    key = upload(app, body=image(13.7563, 100.5018))
    case = file(app, photos=(key,)).case
    photo_id = key.removeprefix("incoming/")
    assert case.photos == (f"photo:{photo_id}",)
    assert objects(app) == {f"photos/{photo_id}/thumb.jpg", f"photos/{photo_id}/web.jpg", f"exif/{photo_id}.json"}
    link = app.usecases.photos.link(case.photos[0])
    assert link["url"].startswith(f"https://photos.test/photos/{photo_id}/web.jpg")
    assert link["thumbnail_url"].startswith(f"https://photos.test/photos/{photo_id}/thumb.jpg")


def test_a_url_from_an_api_client_stays_a_url(app):
    case = file(app, photos=("https://photos.example/1.jpg",)).case
    assert case.photos == ("https://photos.example/1.jpg",)
    assert app.usecases.photos.link(case.photos[0])["url"] == "https://photos.example/1.jpg"


@pytest.mark.parametrize(
    ("content_type", "size"),
    [("image/gif", 1000), ("application/pdf", 1000), ("image/jpeg", 0), ("image/jpeg", 10 * 1024 * 1024 + 1)],
)
def test_only_images_up_to_10_mb_get_an_upload_form(app, content_type, size):
    with pytest.raises(PhotoRefused):
        app.usecases.photos.issue(
            IssueUpload(actor=CITIZEN, at=at("2026-04-10T09:00"), content_type=content_type, size=size)
        )
    assert app.fakes.state.uploads == {}


def refused_filing_leaves_nothing(app, photos: tuple[str, ...], message: str) -> None:
    before = objects(app)
    with pytest.raises(InvalidInput, match=message):
        file(app, photos=photos)
    assert app.fakes.state.cases == {}
    assert objects(app) == before  # no copy written; raw uploads are left to the lifecycle rule


def test_a_key_never_issued_is_refused(app):
    refused_filing_leaves_nothing(app, ("incoming/" + "A" * 22,), "not issued to you")


def test_a_key_issued_but_never_uploaded_is_refused(app):
    refused_filing_leaves_nothing(app, (upload(app),), "nothing was uploaded")


def test_a_file_that_is_not_an_image_is_refused(app):
    refused_filing_leaves_nothing(app, (upload(app, body=b"%PDF-1.7"),), "not an image")


def test_one_bad_photo_refuses_the_whole_filing_and_writes_no_copy_of_the_good_ones(app):
    good = upload(app, body=image())
    bad = upload(app, body=b"<html>")
    refused_filing_leaves_nothing(app, (good, bad), "not an image")


def test_an_upload_too_big_for_the_form_is_refused(app):
    key = upload(app, body=b"IMG" + b" " * (10 * 1024 * 1024))
    refused_filing_leaves_nothing(app, (key,), "larger than 10 MB")


def test_a_photo_belongs_to_one_case_once(app):
    key = upload(app, body=image())
    file(app, photos=(key,))
    app.fakes.photos.upload(key, image())  # the same key sent again
    with pytest.raises(PhotoRefused, match="already used"):
        file(app, photos=(key,))
    assert len(app.fakes.state.cases) == 1


def test_an_upload_is_claimed_only_within_a_day(app):
    key = upload(app, body=image(), when="2026-04-09T09:00")
    with pytest.raises(PhotoRefused, match="expired"):
        file(app, "2026-04-10T09:12", photos=(key,))


def test_someone_elses_upload_cannot_be_named(app):
    citizens = upload(app, body=image())
    with pytest.raises(PhotoRefused, match="not issued to you"):
        file(app, actor=CALLCENTRE, photos=(citizens,))
    theirs = upload(app, actor=OTHER_OFFICER, body=image())
    case = file(app).case
    acknowledge(app, case.id, "2026-04-16T10:00")
    with pytest.raises(PhotoRefused, match="not issued to you"):
        complete_with(app, case.id, (theirs,))
    assert last(app, case.id, EventType.ACKNOWLEDGED)  # and nothing was completed
    assert history(app, case.id)[-1].type is EventType.ACKNOWLEDGED


def complete_with(app, case_id: str, evidence: tuple[str, ...], when: str = "2026-04-20T10:00"):
    return app.agency.act(Complete(actor=OFFICER, at=at(when), case_id=case_id, note="ซ่อมเสร็จ", evidence_urls=evidence))


def test_a_road_cannot_be_completed_without_a_photo_of_the_result(app):
    case = file(app).case
    with pytest.raises(PhotoRequired):
        complete_with(app, case.id, ())
    assert app.fakes.cases.get_case(case.id).state == case.state


def test_a_noise_complaint_can_be_completed_without_a_photo(app):
    case = file(app, category="noise").case
    assert complete_with(app, case.id, ()).state == "completed"


def test_an_after_photo_taken_at_the_site_after_filing_is_not_flagged(app):
    case = file(app).case
    near = upload(app, OFFICER, image(SUKHUMVIT_31.lat + 0.0005, SUKHUMVIT_31.lon, "2026-04-20T09:30:00+07:00"))
    complete_with(app, case.id, (near,))
    done = last(app, case.id, EventType.COMPLETED).data
    assert done.flags == []
    assert done.evidence_checks[0].distance_m == 56  # 0.0005° of latitude
    assert done.evidence_urls == ["photo:" + near.removeprefix("incoming/")]


@pytest.mark.parametrize(
    ("lat_shift", "taken_at", "flags"),
    [
        (0.0018, "2026-04-20T09:30:00+07:00", []),  # 200 m: at the limit, not over it
        (0.0020, "2026-04-20T09:30:00+07:00", [Flag.FAR]),  # 222 m
        (0.0, "2026-04-10T09:00:00+07:00", [Flag.EARLY]),  # before the complaint was filed (09:12)
        (0.05, "2026-04-01T09:00:00+07:00", [Flag.FAR, Flag.EARLY]),
    ],
)
def test_an_after_photo_far_from_the_complaint_or_older_than_it_flags_the_completion(app, lat_shift, taken_at, flags):
    case = file(app).case
    key = upload(app, OFFICER, image(SUKHUMVIT_31.lat + lat_shift, SUKHUMVIT_31.lon, taken_at))
    completed = complete_with(app, case.id, (key,))
    assert completed.state == "completed"  # never blocks the officer
    assert last(app, case.id, EventType.COMPLETED).data.flags == flags


def test_a_photo_without_exif_is_not_flagged_and_says_what_it_could_not_tell(app):
    case = file(app).case
    key = upload(app, OFFICER, image())
    complete_with(app, case.id, (key,))
    check = last(app, case.id, EventType.COMPLETED).data.evidence_checks[0]
    assert (check.distance_m, check.taken_at, check.flags) == (None, None, [])


def test_erasing_the_complainant_forgets_where_their_photos_were_taken_and_keeps_the_copies(app):
    from complaints.commands import EraseComplainant
    from complaints.domain.model import Actor, Role

    key = upload(app, body=image(13.7401, 100.5602, "2026-04-10T08:55:00+07:00"))
    case = file(app, photos=(key,)).case
    photo_id = key.removeprefix("incoming/")
    admin = Actor(role=Role.ADMIN, id="admin-1")
    app.usecases.privacy.erase(EraseComplainant(actor=admin, at=at("2026-04-11T09:00"), case_id=case.id, reason="PDPA"))
    assert objects(app) == {f"photos/{photo_id}/thumb.jpg", f"photos/{photo_id}/web.jpg"}
