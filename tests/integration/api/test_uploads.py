"""Photos through the API against moto (``docs/photos.md``): the upload rules, the copies served
without EXIF, and the "after" photo that flags a completion for the audit.

A browser posts the file to the presigned form; here moto's S3 takes it with ``put_object``
at the key the form names (the presigned POST itself is tested against the local stack).
"""

from __future__ import annotations

import io
import json
import os
from datetime import datetime
from typing import Any

import pytest
from PIL import Image

from tests.conftest import CALLCENTER, act, complaint, ok, sweep, table_items
from tests.integration.completion_helpers import AUDITOR, officer
from tests.photos import jpeg_with_exif

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("auditing")]
FILED = "2026-04-10T09:12:00+07:00"
SITE = (13.7563, 100.5018)  # the complaint's point (tests.conftest.complaint)
HOME = (13.7401, 100.5602)  # where the citizen took the photo: it must not leak


def bucket() -> str:
    return os.environ["PHOTOS_BUCKET"]


def ask(api, content_type: str = "image/jpeg", size: int = 50_000, claims=None, when: str = FILED):
    return api.call("POST", "/uploads", body={"content_type": content_type, "size": size}, claims=claims, when=when)


def upload(aws, api, body: bytes, claims=None, when: str = FILED, content_type: str = "image/jpeg") -> str:
    answer = ask(api, content_type, len(body), claims, when)
    assert answer.status == 201, answer.body
    doc = answer.json
    assert doc["upload"]["fields"]["key"] == doc["key"]
    aws.client("s3").put_object(Bucket=bucket(), Key=doc["key"], Body=body, ContentType=content_type)
    return doc["key"]


def objects(aws) -> set[str]:
    found = aws.client("s3").list_objects_v2(Bucket=bucket()).get("Contents", [])
    return {o["Key"] for o in found}


def photo(lat: float, lon: float, taken: str) -> bytes:
    return jpeg_with_exif(lat, lon, datetime.fromisoformat(taken))


def key_of(url: str) -> str:
    """The object a signed URL names (path-style or virtual-hosted)."""
    path = url.split("?", 1)[0]
    return path.split(f"/{bucket()}/", 1)[1] if f"/{bucket()}/" in path else path.split("/", 3)[3]


def test_a_citizens_photo_is_served_as_thumbnail_and_web_copy_without_exif(aws, api):
    key = upload(aws, api, photo(*HOME, "2026-04-10T08:55:00+07:00"))
    filed = api.call("POST", "/complaints", body=complaint(photos=[key]), when=FILED)
    assert filed.status == 201, filed.body
    [shown] = filed.json["photos"]
    s3 = aws.client("s3")
    web = s3.get_object(Bucket=bucket(), Key=key_of(shown["url"]))["Body"].read()
    thumb = s3.get_object(Bucket=bucket(), Key=key_of(shown["thumbnail_url"]))["Body"].read()
    for served in (web, thumb):
        image = Image.open(io.BytesIO(served))
        assert image.format == "JPEG"
        assert not image.getexif() and b"Exif" not in served and b"GPS" not in served
    assert max(Image.open(io.BytesIO(thumb)).size) == 320
    photo_id = key.removeprefix("incoming/")
    kept = json.loads(s3.get_object(Bucket=bucket(), Key=f"exif/{photo_id}.json")["Body"].read())
    assert kept["lat"] == pytest.approx(HOME[0], abs=1e-5)  # kept aside, for the audit only
    assert key not in objects(aws)  # the raw upload, EXIF and all, is gone
    case = api.call("GET", f"/complaints/{filed.json['id']}", claims=CALLCENTER).json
    [again] = case["photos"]
    assert key_of(again["thumbnail_url"]) == f"photos/{photo_id}/thumb.jpg"


@pytest.mark.parametrize(
    ("content_type", "size", "field"),
    [("image/gif", 1_000, "content_type"), ("image/jpeg", 10 * 1024 * 1024 + 1, "size"), ("image/jpeg", 0, "size")],
)
def test_an_upload_form_is_only_for_an_image_up_to_10_mb(aws, api, content_type, size, field):
    answer = ask(api, content_type, size)
    assert answer.status == 422
    assert field in answer.body
    assert not [i for i in table_items(aws) if i["pk"]["S"].startswith("UPLOAD#")]


def refused(aws, api, photos: list[str], message: str, claims=None) -> None:
    before = objects(aws)
    cases_before = [i for i in table_items(aws) if i["pk"]["S"].startswith("CASE#")]
    answer = api.call("POST", "/complaints", body=complaint(photos=photos), claims=claims, when=FILED)
    assert answer.status == 400, answer.body
    assert message in answer.json["error"]["message"]
    assert objects(aws) == before
    assert [i for i in table_items(aws) if i["pk"]["S"].startswith("CASE#")] == cases_before


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_kept(aws, api):
    key = upload(aws, api, b"%PDF-1.7 not a photo at all")
    refused(aws, api, [key], "JPEG, PNG, WebP or HEIC")


def test_a_key_that_was_never_uploaded_is_refused(aws, api):
    answer = ask(api)
    refused(aws, api, [answer.json["key"]], "nothing was uploaded")


def test_a_key_that_was_never_issued_is_refused(aws, api):
    refused(aws, api, ["incoming/" + "A" * 22], "not issued to you")


def test_an_agencys_upload_cannot_be_named_by_a_citizen(aws, api):
    theirs = upload(aws, api, photo(*SITE, "2026-04-10T09:00:00+07:00"), claims=officer("DIST-1039"))
    refused(aws, api, [theirs], "not issued to you")


def test_one_photo_belongs_to_one_case_once(aws, api):
    key = upload(aws, api, photo(*SITE, "2026-04-10T09:00:00+07:00"))
    assert api.call("POST", "/complaints", body=complaint(photos=[key]), when=FILED).status == 201
    aws.client("s3").put_object(Bucket=bucket(), Key=key, Body=photo(*SITE, "2026-04-10T09:00:00+07:00"))
    refused(aws, api, [key], "already used")


def filed(api) -> dict[str, Any]:
    answer = api.call("POST", "/complaints", body=complaint(), when=FILED)
    assert answer.status == 201, answer.body
    return answer.json


def complete(aws, api, case_id: str, body: bytes, when: str = "2026-04-10T15:00:00+07:00") -> dict[str, Any]:
    key = upload(aws, api, body, claims=officer("DIST-1039"), when=when)
    return ok(act(api, case_id, "complete", when, {"note": "ซ่อมแล้ว", "evidence_urls": [key]}))


def test_a_road_is_not_completed_without_a_photo_of_the_result(aws, api):
    case = filed(api)
    answer = act(api, case["id"], "complete", "2026-04-10T15:00:00+07:00", {"note": "ซ่อมแล้ว"})
    assert answer.status == 400 and answer.json["error"]["code"] == "photo_required"


def test_an_after_photo_taken_elsewhere_flags_the_completion_and_it_is_always_audited(aws, api, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 0.0)  # no random draw: only the flag can draw it
    case = filed(api)
    elsewhere = photo(13.7300, 100.5300, "2026-04-10T14:30:00+07:00")  # about 4 km away
    done = complete(aws, api, case["id"], elsewhere)
    assert done["state"] == "completed"  # the officer is never blocked
    staff_view = api.call("GET", f"/complaints/{case['id']}", claims=CALLCENTER).json
    completed = staff_view["history"][-1]
    assert completed["flags"] == ["far_from_site"]
    assert completed["evidence_checks"][0]["distance_m"] > 3_000
    citizen = api.call("GET", f"/complaints/{case['id']}", query=f"token={case['tracking_token']}").json
    assert "flags" not in citizen["history"][-1] and "evidence_checks" not in citizen["history"][-1]

    sweep("2026-04-13T08:30:00+07:00")

    audits = api.call("GET", "/audits", claims=AUDITOR).json["audits"]
    assert [(a["case"]["id"], a["flags"]) for a in audits] == [(case["id"], ["far_from_site"])]


def test_an_after_photo_taken_at_the_site_after_filing_is_not_flagged(aws, api, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 0.0)
    case = filed(api)
    complete(aws, api, case["id"], photo(SITE[0] + 0.0003, SITE[1], "2026-04-10T14:30:00+07:00"))
    completed = api.call("GET", f"/complaints/{case['id']}", claims=CALLCENTER).json["history"][-1]
    assert "flags" not in completed  # no flag raised
    assert completed["evidence_checks"][0]["distance_m"] < 50

    sweep("2026-04-13T08:30:00+07:00")

    assert api.call("GET", "/audits", claims=AUDITOR).json["audits"] == []
