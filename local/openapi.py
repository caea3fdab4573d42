"""The OpenAPI document the intake resolver generates (``make openapi``).

    python -m local openapi > docs/openapi.json

The document is the resolver's own (``app.get_openapi_json_schema``), so it
cannot drift from the routes and their pydantic models; ``make openapi-check``
compares it with the committed copy. Importing the handler needs its
environment (``TABLE_NAME``…) but no AWS: no client exists until a request.

Every operation's errors are ``ErrorOut`` (``api_routes.responses``), so the
schemas powertools always adds for its own 422 (``HTTPValidationError``…) are
referenced nowhere; they are left out, so that no one reads them as the API's.
"""

from __future__ import annotations

import os
import re
import tomllib
from typing import Any

from local import infra

TITLE = "1555 complaint centre API"
DESCRIPTION = (
    "The HTTP API of the 1555 city complaint centre: file and track complaints, route them, "
    "and reference data. Staff routes take a Cognito token; citizens read their case with "
    "its tracking token (?token=)."
)


def version() -> str:
    with open(infra.ROOT / "pyproject.toml", "rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def document() -> str:
    os.environ.update(
        {
            "AWS_DEFAULT_REGION": infra.REGION,
            "POWERTOOLS_TRACE_DISABLED": "1",
            **infra.function_environment("IntakeFunction"),
        }
    )
    module, _ = infra.handler_module("IntakeFunction")
    schema = module.app.get_openapi_schema(title=TITLE, version=version(), description=DESCRIPTION)
    if schema.components and schema.components.schemas:
        schema.components.schemas = _referenced(schema.model_dump_json(include={"paths"}), schema.components.schemas)
    return schema.model_dump_json(by_alias=True, exclude_none=True, indent=2)  # as get_openapi_json_schema


def _referenced(paths: str, schemas: dict[str, Any]) -> dict[str, Any]:
    """The component schemas the operations refer to, directly or through each other."""
    ref = re.compile(r'"#/components/schemas/([^"]+)"')
    keep: set[str] = set()
    todo = set(ref.findall(paths))
    while todo:
        name = todo.pop()
        keep.add(name)
        todo |= set(ref.findall(schemas[name].model_dump_json(by_alias=True))) - keep
    return {name: value for name, value in schemas.items() if name in keep}
