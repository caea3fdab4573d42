"""The private photo bucket (``ports.PhotoStore``) on S3.

Browsers upload straight to the bucket with a presigned POST that admits one object: the key
the server chose, the type it named, 1 byte to ``max_bytes`` (S3 checks the policy; the
server never sees the upload). Served images are presigned GETs (SigV4). The client must be
made with ``signature_version="s3v4"`` and the bucket's region (``wiring``): a presigned URL
names the region it is valid in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import ClientError

from ..ports import StoredObject, UploadForm

MISSING = {"404", "NoSuchKey", "NotFound"}
DELETE_BATCH = 1000  # DeleteObjects' limit


class S3Photos:
    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket
        self._origin: str | None = None

    def upload_form(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> UploadForm:
        """The form fields: ``key``, ``Content-Type``, the policy and its signature; the file goes last."""
        post = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,  # botocore adds the condition {"key": key}: exactly this key
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in,
        )
        return UploadForm(url=post["url"], fields={k: str(v) for k, v in post["fields"].items()})

    def head(self, key: str) -> StoredObject | None:
        try:
            found = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in MISSING:
                return None
            raise
        return StoredObject(size=int(found["ContentLength"]), content_type=found.get("ContentType") or "")

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)

    def delete(self, keys: Sequence[str]) -> None:
        """One DeleteObjects call (per thousand keys); a missing key is not an error, a refusal is."""
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), DELETE_BATCH):
            batch = [{"Key": k} for k in unique[start : start + DELETE_BATCH]]
            answer = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            failed = answer.get("Errors") or []
            if failed:
                codes = sorted({e.get("Code", "?") for e in failed})
                raise RuntimeError(f"could not delete {len(failed)} photo object(s): {', '.join(codes)}")

    def url(self, key: str, expires_in: int) -> str:
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_in
        )

    def origin(self) -> str:
        """Where the signed URLs point (virtual-host or path style, as the client signs them)."""
        if self._origin is None:
            signed = urlsplit(self.url("origin", 60))
            self._origin = f"{signed.scheme}://{signed.netloc}"
        return self._origin
