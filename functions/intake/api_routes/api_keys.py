"""API keys of machine clients (Open311 apps), managed by admins: issue one (its key shown once),
list them (never a secret), revoke one (refused at once). ``usecases.api_keys``; docs/security.md."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from complaints.commands import IssueApiKey, ListApiKeys, RevokeApiKey
from complaints.domain.api_keys import ID_PATTERN
from complaints.domain.model import Role
from complaints.schemas import ApiKeyIn
from complaints.views import plain

from . import deps
from .responses import STAFF_ONLY, answers

router = Router()
KeyId = Annotated[str, Path(pattern=ID_PATTERN, description="the key's id: the part of the key before the dot")]
ISSUED = "Issued: the key (`<id>.<secret>`) is in this answer only; only its hash is stored"


@router.post(
    "/api-keys", summary="Issue an API key (admin)", responses=answers(*STAFF_ONLY, ok=201, description=ISSUED)
)
def issue_api_key(body: ApiKeyIn) -> Response[dict[str, Any]]:
    event = router.current_event
    cmd = IssueApiKey(actor=deps.actor(event, Role.ADMIN), at=deps.now(event), name=body.name)
    issued = plain(deps.usecases().api_keys.issue(cmd))
    issued["api_key"] = issued.pop("key")  # SPEC §7: {"id", "api_key"}, once
    return Response(
        status_code=201,
        content_type=content_types.APPLICATION_JSON,
        body=issued,
        headers={"Cache-Control": "no-store"},
    )


@router.get(
    "/api-keys", summary="The API keys, revoked ones too, without their secrets", responses=answers(*STAFF_ONLY)
)
def list_api_keys() -> dict[str, Any]:
    event = router.current_event
    cmd = ListApiKeys(actor=deps.actor(event, Role.ADMIN), at=deps.now(event))
    return {"api_keys": [plain(k) for k in deps.usecases().api_keys.list(cmd)]}


@router.delete(
    "/api-keys/<key_id>",
    summary="Revoke an API key: refused from the next request (again: answered as it is)",
    responses=answers(*STAFF_ONLY, 404),
)
def revoke_api_key(key_id: KeyId) -> dict[str, Any]:
    event = router.current_event
    cmd = RevokeApiKey(actor=deps.actor(event, Role.ADMIN), at=deps.now(event), key_id=key_id)
    return plain(deps.usecases().api_keys.revoke(cmd))
