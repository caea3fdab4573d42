"""The OpenAPI document the intake resolver generates (``make openapi``).

    python -m local openapi > docs/openapi.json

The document is the resolver's own (``app.get_openapi_json_schema``), so it
cannot drift from the routes and their pydantic models; ``make openapi-check``
compares it with the committed copy. Importing the handler needs its
environment (``TABLE_NAME``…) but no AWS: no client exists until a request.
"""

from __future__ import annotations

import os
import tomllib

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
    return module.app.get_openapi_json_schema(title=TITLE, version=version(), description=DESCRIPTION)
