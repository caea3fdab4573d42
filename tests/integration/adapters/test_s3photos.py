"""The photo bucket's adapter (``S3Photos``) on the client production makes (``wiring``), against
moto's server over real HTTP: what a browser posts with the form lands at the key, and the
signed URL gives it back. moto does not check a POST policy: the policy's conditions are read
from the form itself, where S3 reads them."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from complaints import wiring
from complaints.adapters.s3photos import S3Photos
from complaints.ports import StoredObject
from local import infra

pytestmark = pytest.mark.integration

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60 + b"\xff\xd9"
MAX_BYTES = 10 * 1024 * 1024


@pytest.fixture
def photos(moto_server) -> S3Photos:
    return S3Photos(wiring.photos_client(), infra.LOCAL_BUCKET)


def post(form, body: bytes) -> requests.Response:
    """What a browser's form does: the fields, then the file last (the file part's own type is
    not what S3 keeps: the form's ``Content-Type`` field is)."""
    return requests.post(
        form.url, data=form.fields, files={"file": ("photo", body, "application/octet-stream")}, timeout=30
    )


def test_a_presigned_post_stores_the_file_at_the_key_with_its_type(photos):
    form = photos.upload_form("incoming/2604-AAAAAA/1.jpg", "image/jpeg", MAX_BYTES, 300)
    assert photos.head("incoming/2604-AAAAAA/1.jpg") is None

    answer = post(form, JPEG)

    assert answer.status_code == 204, answer.text
    assert photos.head("incoming/2604-AAAAAA/1.jpg") == StoredObject(size=len(JPEG), content_type="image/jpeg")
    assert photos.read("incoming/2604-AAAAAA/1.jpg") == JPEG


def test_the_forms_policy_admits_that_key_that_type_and_one_byte_to_the_limit(photos):
    before = datetime.now(UTC)
    form = photos.upload_form("incoming/k.heic", "image/heic", 4096, 300)

    policy = json.loads(base64.b64decode(form.fields["policy"]))
    conditions = policy["conditions"]
    assert {"key": "incoming/k.heic"} in conditions
    assert {"Content-Type": "image/heic"} in conditions
    assert ["content-length-range", 1, 4096] in conditions
    assert {"bucket": infra.LOCAL_BUCKET} in conditions
    assert not [
        c for c in conditions if isinstance(c, list) and c[0] == "starts-with"
    ]  # no key or type of the browser's
    assert (form.fields["key"], form.fields["Content-Type"]) == ("incoming/k.heic", "image/heic")
    assert form.fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert before + timedelta(seconds=295) <= expires <= datetime.now(UTC) + timedelta(seconds=301)


def test_a_key_never_uploaded_has_no_head(photos):
    assert photos.head("incoming/never-uploaded.jpg") is None


def test_put_read_and_delete_with_missing_keys_among_them(photos):
    photos.put("photos/a/web.jpg", b"web", "image/jpeg")
    photos.put("exif/a.json", b'{"GPS": "13.75,100.50"}', "application/json")
    photos.put("photos/a/thumb.jpg", b"thumb", "image/jpeg")

    photos.delete(["photos/a/web.jpg", "exif/a.json", "photos/never.jpg"])

    assert photos.head("photos/a/web.jpg") is None and photos.head("exif/a.json") is None
    assert photos.read("photos/a/thumb.jpg") == b"thumb"  # the one not named stays
    photos.delete([])  # nothing to do: S3 would refuse an empty DeleteObjects
    assert photos.read("photos/a/thumb.jpg") == b"thumb"


def test_a_signed_url_fetches_the_object_and_says_for_how_long(photos):
    photos.put("photos/b/web.webp", b"RIFF....WEBP", "image/webp")

    url = photos.url("photos/b/web.webp", 600)

    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and query["X-Amz-Expires"] == ["600"]
    fetched = requests.get(url, timeout=30)
    assert fetched.status_code == 200
    assert (fetched.content, fetched.headers["Content-Type"]) == (b"RIFF....WEBP", "image/webp")


def test_the_origin_is_where_the_forms_and_the_signed_urls_point(photos):
    origin = photos.origin()
    form = photos.upload_form("incoming/c.png", "image/png", MAX_BYTES, 60)
    assert origin == "http://" + urlsplit(form.url).netloc  # moto by its IP: path-style
    assert photos.url("photos/c.png", 60).startswith(origin + f"/{infra.LOCAL_BUCKET}/photos/c.png?")


def test_in_aws_the_urls_name_the_bucket_at_its_regional_endpoint():
    """Virtual-host style in the bucket's region (the global endpoint would redirect a young
    bucket's POSTs, which a browser does not follow); signing needs no call to AWS."""
    photos = S3Photos(wiring.photos_client(), "complaints-photosbucket-1a2b3c")
    regional = f"https://complaints-photosbucket-1a2b3c.s3.{infra.REGION}.amazonaws.com"
    assert photos.origin() == regional
    assert photos.upload_form("incoming/d.jpg", "image/jpeg", MAX_BYTES, 60).url == regional + "/"
    assert (
        f"/{infra.REGION}/s3/aws4_request"
        in parse_qs(urlsplit(photos.url("photos/d.jpg", 60)).query)["X-Amz-Credential"][0]
    )
