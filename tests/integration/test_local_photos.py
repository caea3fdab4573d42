"""The local stack's photo bucket over real HTTP: a browser on the local site posts a presigned
form straight to moto's port, and the photos are still there after a restart.

Each test starts ``python -m local run --no-seed`` (``tests/stack.py``) and restarts it on the
same state directory.
"""

from __future__ import annotations

import signal
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config

from complaints.adapters.s3photos import S3Photos
from complaints.ports import StoredObject
from local import infra
from tests.stack import Server

pytestmark = pytest.mark.integration

JPEG = b"\xff\xd8\xff\xe0 a photo of a pothole \xff\xd9"


def start(servers: list[Server], state_dir: Path) -> tuple[Server, S3Photos]:
    server = Server(state_dir, "--no-seed")
    servers.append(server)
    client = boto3.client(
        "s3", endpoint_url=server.moto, region_name=infra.REGION, config=Config(signature_version="s3v4")
    )
    return server, S3Photos(client, infra.LOCAL_BUCKET)


def test_a_browser_on_the_local_site_uploads_and_the_photos_survive_restarts(servers, tmp_path):
    server, photos = start(servers, tmp_path)
    form = photos.upload_form("incoming/2604-AAAAAA-1.jpg", "image/jpeg", 10_000_000, 300)
    site = {"Origin": server.base}
    preflight = requests.options(form.url, headers=site | {"Access-Control-Request-Method": "POST"}, timeout=30)
    assert preflight.headers.get("Access-Control-Allow-Origin") == server.base
    elsewhere = {"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"}
    assert requests.options(form.url, headers=elsewhere, timeout=30).status_code == 403
    files = {"file": ("IMG_0001.jpg", JPEG, "image/jpeg")}
    answer = requests.post(form.url, data=form.fields, files=files, headers=site, timeout=30)
    assert answer.status_code == 204, answer.text
    photos.put("photos/2604-AAAAAA/1-web.jpg", b"web copy", "image/jpeg")
    photos.put("exif/2604-AAAAAA/1.json", b'{"gps": [13.7563, 100.5018]}', "application/json")
    photos.put("scratch/not-kept.txt", b"not a photo", "text/plain")
    assert server.stop(signal.SIGTERM) == 0, server.output

    saved = tmp_path / "photos" / "incoming" / "2604-AAAAAA-1.jpg"
    assert saved.read_bytes() == JPEG
    kept = [p for p in (tmp_path / "photos").rglob("*") if p.is_file()]
    assert len(kept) == 4  # three objects and the index
    assert all(p.stat().st_mode & 0o077 == 0 for p in kept)  # photos of citizens: their owner's only

    server, photos = start(servers, tmp_path)
    assert photos.head("incoming/2604-AAAAAA-1.jpg") == StoredObject(size=len(JPEG), content_type="image/jpeg")
    assert photos.read("exif/2604-AAAAAA/1.json") == b'{"gps": [13.7563, 100.5018]}'
    assert photos.head("scratch/not-kept.txt") is None
    fetched = requests.get(photos.url("photos/2604-AAAAAA/1-web.jpg", 60), timeout=30)
    assert (fetched.status_code, fetched.content) == (200, b"web copy")
    photos.delete(["incoming/2604-AAAAAA-1.jpg"])
    assert server.stop() == 0, server.output
    assert not saved.exists()

    server, photos = start(servers, tmp_path)
    assert photos.head("incoming/2604-AAAAAA-1.jpg") is None
    assert photos.read("photos/2604-AAAAAA/1-web.jpg") == b"web copy"
