"""The error vocabulary: one exception type, one code table and one body builder for every route."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    """An error code's HTTP status, its short title (the page's heading) and whether a retry can help."""

    status: int
    title: str
    transient: bool


# The public contract: every code the API can answer with. OpenAPI and the page read this table.
CODES = {
    "not_configured": ErrorCode(400, "Not set up yet", False),
    "config_invalid": ErrorCode(400, "Setting needs fixing", False),
    "unauthorized": ErrorCode(502, "Credentials refused", False),
    "no_access": ErrorCode(502, "No access to this data", False),
    "rate_limited": ErrorCode(429, "Rate limited", True),
    "upstream_timeout": ErrorCode(504, "Provider did not answer", True),
    "upstream_error": ErrorCode(502, "Provider error", True),
    "bad_upstream_payload": ErrorCode(502, "Unexpected answer", True),
    "bad_request": ErrorCode(400, "Bad request", False),
    "not_found": ErrorCode(404, "Not found", False),
    "method_not_allowed": ErrorCode(405, "Method not allowed", False),
    "http_error": ErrorCode(400, "Request refused", False),
    "forbidden_host": ErrorCode(403, "Host not allowed", False),
    "auth_required": ErrorCode(401, "Sign in needed", False),
    "forbidden": ErrorCode(403, "Forbidden", False),
    "internal_error": ErrorCode(500, "Unexpected problem", False),
    "history_unavailable": ErrorCode(503, "History unavailable", True),
}
HTTP_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


class ProviderError(Exception):
    """A failure that the API reports as `{"error": {...}}` on the card it concerns."""

    def __init__(self, code, message, provider=None, retry_after_seconds=None, upstream_status=None, account=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.provider = provider
        self.account = account
        self.retry_after_seconds = retry_after_seconds
        self.upstream_status = upstream_status

    @property
    def status(self):
        return CODES[self.code].status if self.code in CODES else 502

    def to_dict(self):
        return error_body(self.code, self.message, self.provider, self.retry_after_seconds, self.account)


class BadPayload(ProviderError):
    """The upstream answered, but not with the shape we know."""

    def __init__(self, provider, label, detail):
        super().__init__(
            "bad_upstream_payload",
            f"{label} answered with data this dashboard does not understand ({detail}). "
            "The provider may have changed its API; please report it.",
            provider,
        )


def error_body(code, message, provider=None, retry_after_seconds=None, account=None):
    """The `error` object of every error answer (and of a stale answer's failed refresh)."""
    known = CODES.get(code)
    body = {
        "code": code,
        "message": message,
        "provider": provider,
        "title": known.title if known else "Could not load",
        "transient": known.transient if known else True,
    }
    if account is not None:
        body["account"] = account
    if retry_after_seconds is not None:
        body["retry_after_seconds"] = retry_after_seconds
    return body
