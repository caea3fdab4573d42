"""``POST /uploads``: a presigned S3 POST for one photo, at a key the server chooses
(``usecases.photos``). A later body names the key: a complaint's ``photos``, a
completion's ``evidence_urls``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, Field, StrictInt

from complaints.domain import photos
from complaints.domain.model import Role
from complaints.identity import STAFF
from complaints.schemas import Body
from complaints.usecases.photos import IssueUpload

from . import deps
from .responses import answers

router = Router()


class UploadIn(Body):
    """What is going to be sent: its type and size (the form refuses anything else)."""

    content_type: Literal["image/jpeg", "image/png", "image/webp", "image/heic"]
    size: Annotated[StrictInt, Field(ge=1, le=photos.MAX_BYTES, description="bytes; at most 10 MB")]


class UploadFormOut(BaseModel):
    url: str = Field(description="POST the form here (multipart/form-data)")
    fields: dict[str, str] = Field(description="send every field first, then the file as `file`")


class UploadOut(BaseModel):
    key: str = Field(description="name this key in the complaint's `photos` (or the completion's evidence)")
    upload: UploadFormOut
    max_bytes: int
    expires_at: datetime = Field(description="send the file before this instant")


@router.post(
    "/uploads",
    summary="A presigned POST for one photo (JPEG, PNG, WebP, HEIC; at most 10 MB)",
    responses=answers(
        403, ok=201, description="The form to send the file with, and the key to name", optional_identity=True
    ),
)
def new_upload(body: UploadIn) -> tuple[dict[str, Any], int]:
    event = router.current_event
    actor = deps.actor(event, Role.CITIZEN, *STAFF)
    cmd = IssueUpload(actor=actor, at=deps.now(event), content_type=body.content_type, size=body.size)
    ticket = deps.usecases().photos.issue(cmd)
    out = UploadOut(
        key=ticket.key,
        upload=UploadFormOut(url=ticket.url, fields=ticket.fields),
        max_bytes=ticket.max_bytes,
        expires_at=ticket.expires_at,
    )
    return out.model_dump(mode="json"), 201
