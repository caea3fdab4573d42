"""Domain errors. The HTTP edge maps each to a status code and an error code."""

from __future__ import annotations


class DomainError(Exception):
    """Base: ``code`` is the machine-readable error code of the API."""

    code = "error"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """The request is well-formed but says something we cannot accept."""

    code = "invalid_input"
    status = 422


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class IllegalTransition(DomainError):
    """The action is not allowed in the case's current state."""

    code = "illegal_transition"
    status = 409

    def __init__(self, state: str, action: str):
        super().__init__(f"cannot {action} a case that is '{state}'")
        self.state = state
        self.action = action


class Conflict(DomainError):
    """Someone else changed the case first (optimistic locking)."""

    code = "conflict"
    status = 409


class UsedMeanwhile(Conflict):
    """Something the change names besides the case (a photo upload, an open audit) was used or
    decided by someone else first: deciding again cannot help."""


class BadRequest(DomainError):
    """The request names something malformed (a month that is not ``YYYY-MM``…)."""

    code = "bad_request"
    status = 400


class Busy(DomainError):
    """The store is throttling us (or a transaction on the same items is still running): nothing
    was written, and the same request may be sent again after ``retry_after`` seconds."""

    code = "busy"
    status = 503

    def __init__(self, message: str, retry_after: int = 2):
        super().__init__(message)
        self.retry_after = retry_after


class KeyRefused(DomainError):
    """An API key (an Open311 client's ``api_key``) that is missing, malformed, unknown or revoked."""

    code = "api_key_refused"
    status = 403


class RateLimited(DomainError):
    """A client over its documented rate (an API key's filings per minute): nothing was written;
    the same request may be sent again after ``retry_after`` seconds."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
