"""The boto3 clients of the local stack's own process reach moto without a socket.

``in_process_transport``: the handlers' boto3 clients reach moto's WSGI
application — the one the moto server serves — by a direct call instead of a
socket: no connection, no server thread per request. Requests and answers are
the same bytes; anything else (the AWS CLI, the tests, another process) still
goes through the moto server's port. Speed only, the same answers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit


class _Direct:
    """A botocore ``before-send`` handler: a request to ``endpoint`` answered by moto's app in this thread."""

    def __init__(self, endpoint: str, app: Any) -> None:
        self.endpoint = endpoint
        self.app = app

    def __call__(self, request: Any, **kwargs: Any) -> Any:
        if not self.endpoint or not request.url.startswith(self.endpoint + "/"):
            return None
        from botocore.awsrequest import AWSResponse
        from moto.core.botocore_stubber import MockRawResponse
        from werkzeug.test import EnvironBuilder, run_wsgi_app

        url = urlsplit(request.url)
        body = request.body.read() if hasattr(request.body, "read") else request.body
        headers = {k: v.decode("utf-8") if isinstance(v, bytes) else v for k, v in request.headers.items()}
        environ = EnvironBuilder(
            method=request.method, path=url.path, query_string=url.query, headers=headers | {"Host": url.netloc},
            data=body or b"",
        ).get_environ()  # fmt: skip
        answer, status, response_headers = run_wsgi_app(self.app, environ)
        try:
            data = b"".join(answer)
        finally:
            getattr(answer, "close", lambda: None)()
        return AWSResponse(request.url, int(status.split()[0]), dict(response_headers), MockRawResponse(data))


@contextlib.contextmanager
def in_process_transport(endpoint: str) -> Iterator[None]:
    """Until exit, boto3 sessions made after entry send their requests to ``endpoint`` straight to moto's app."""
    from botocore.handlers import BUILTIN_HANDLERS
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    direct = _Direct(endpoint, DomainDispatcherApplication(create_backend_app))
    BUILTIN_HANDLERS.append(("before-send", direct))
    try:
        yield
    finally:
        direct.endpoint = ""  # sessions made meanwhile keep the handler: it stands aside
        BUILTIN_HANDLERS.remove(("before-send", direct))
