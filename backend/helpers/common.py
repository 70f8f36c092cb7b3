"""Shared pieces for the provider helpers: HTTP, errors, numbers and time."""

import json
import math
import random
import time
from datetime import UTC, datetime

import requests

USER_AGENT = "ai-usage-dashboard/0.1 (+local; python-requests)"
MAX_BODY_BYTES = 5 * 1024 * 1024

# HTTP status the API answers with for each error code (the public contract).
STATUS_BY_CODE = {
    "not_configured": 400,
    "unauthorized": 502,
    "rate_limited": 429,
    "upstream_timeout": 504,
    "upstream_error": 502,
    "bad_upstream_payload": 502,
    "bad_request": 400,
    "not_found": 404,
    "history_unavailable": 503,
}


class ProviderError(Exception):
    """A failure that the API reports as `{"error": {...}}` on the provider's card."""

    def __init__(self, code, message, provider=None, retry_after_seconds=None, upstream_status=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.provider = provider
        self.retry_after_seconds = retry_after_seconds
        self.upstream_status = upstream_status

    @property
    def status(self):
        return STATUS_BY_CODE.get(self.code, 502)

    def to_dict(self):
        body = {"code": self.code, "message": self.message, "provider": self.provider}
        if self.retry_after_seconds is not None:
            body["retry_after_seconds"] = self.retry_after_seconds
        return body


class BadPayload(ProviderError):
    """The upstream answered, but not with the shape we know."""

    def __init__(self, provider, label, detail):
        super().__init__(
            "bad_upstream_payload",
            f"{label} answered with data this dashboard does not understand ({detail}). "
            "The provider may have changed its API; please report it.",
            provider,
        )


def new_session():
    """One session per provider, so each upstream keeps its own warm connections."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    # Credentials come from our settings only, never from ~/.netrc.
    session.trust_env = False
    return session


def get_json(session, url, *, headers, timeout, provider, label, auth_hint, params=None):
    """GET a JSON document, mapping every failure to a ProviderError.

    Retries once, with jitter, on connection resets and 502/503/504; never on 401/403/429.
    """
    try:
        return _get_json_once(session, url, headers, timeout, provider, label, auth_hint, params)
    except _Retryable:
        time.sleep(0.05 + random.random() * 0.15)
    try:
        return _get_json_once(session, url, headers, timeout, provider, label, auth_hint, params)
    except _Retryable as exc:
        raise exc.error from None


class _Retryable(Exception):
    def __init__(self, error):
        super().__init__(error.message)
        self.error = error


def _get_json_once(session, url, headers, timeout, provider, label, auth_hint, params):
    connect_timeout, read_timeout = timeout
    deadline = time.monotonic() + connect_timeout + read_timeout
    try:
        # No redirects: a redirect could carry the token to another host.
        response = session.get(
            url, headers=headers, params=params, timeout=timeout, stream=True, allow_redirects=False
        )
    except requests.Timeout:
        raise ProviderError(
            "upstream_timeout",
            f"{label} did not answer in time (timeouts: {connect_timeout:g} s to connect, {read_timeout:g} s to answer). "
            "Try again later; if it persists, check your connection.",
            provider,
        ) from None
    except requests.ConnectionError:
        raise _Retryable(
            ProviderError(
                "upstream_error",
                f"Could not connect to {label}. Check your connection "
                "(or the API base URL setting if you changed it).",
                provider,
            )
        ) from None
    except requests.RequestException:
        raise ProviderError("upstream_error", f"The request to {label} failed.", provider) from None
    with response:
        _check_status(response, provider, label, auth_hint)
        body = _read_body(response, deadline, provider, label)
    return _parse_json(body, provider, label)


def _check_status(response, provider, label, auth_hint):
    status = response.status_code
    if status in (401, 403):
        raise ProviderError(
            "unauthorized",
            f"{label} refused the credentials (HTTP {status}). Check {auth_hint}.",
            provider,
            upstream_status=status,
        )
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        wait = f" Try again in {retry_after} s." if retry_after else " Try again later."
        raise ProviderError(
            "rate_limited", f"{label} is rate limiting requests.{wait}", provider, retry_after or 60
        )
    if 300 <= status < 400:
        raise ProviderError(
            "upstream_error",
            f"{label} answered with a redirect (HTTP {status}), which is not followed "
            "so that credentials never leave the provider's host. Check the API base URL.",
            provider,
        )
    if status == 404:
        raise ProviderError(
            "upstream_error", f"{label} answered 404 Not Found. Check {auth_hint}.", provider,
            upstream_status=404,
        )
    if status >= 400:
        error = ProviderError(
            "upstream_error", f"{label} answered with an error (HTTP {status}). Try again later.", provider
        )
        if status in (500, 502, 503, 504):
            raise _Retryable(error)
        raise error


def _read_body(response, deadline, provider, label):
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BadPayload(provider, label, "the answer is larger than 5 MB")
    chunks, size = [], 0
    try:
        while True:
            # read1 returns what has arrived, so a trickling upstream meets the deadline check.
            chunk = response.raw.read1(65536, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise BadPayload(provider, label, "the answer is larger than 5 MB")
            if time.monotonic() > deadline:
                raise ProviderError(
                    "upstream_timeout", f"{label} was too slow sending its answer. Try again later.", provider
                )
            chunks.append(chunk)
    except ProviderError:
        raise
    except Exception:
        raise ProviderError(
            "upstream_error", f"The connection to {label} broke while reading its answer.", provider
        ) from None
    return b"".join(chunks)


def _reject_constant(name):
    raise ValueError(name)


def _parse_json(body, provider, label):
    try:
        # NaN and Infinity are not JSON; refuse them rather than pass them on.
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadPayload(provider, label, "the answer is not JSON") from None


def parse_retry_after(value):
    """Seconds from a Retry-After header (delta-seconds form), else None."""
    if value and value.strip().isdigit():
        return min(int(value.strip()), 86400)
    return None


def as_dict(value, provider, label, where):
    if not isinstance(value, dict):
        raise BadPayload(provider, label, f"{where} is not an object")
    return value


def as_number(value, provider, label, where, *, optional=False):
    """A finite float from a JSON number or numeric string; None allowed when optional."""
    if value is None and optional:
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadPayload(provider, label, f"{where} is not a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or abs(number) > 1e15:
        raise BadPayload(provider, label, f"{where} is out of range")
    return number


def as_text(value, *, default=None, limit=200):
    """A short display string, or the default for anything that is not text."""
    if isinstance(value, str) and value.strip():
        return value.strip()[:limit]
    return default


def money(value):
    return round(value, 4) if value is not None else None


def utc_now():
    return datetime.now(UTC)


def iso(moment):
    """ISO-8601 UTC with a Z, to the second (a four-digit year even before 1000)."""
    moment = moment.astimezone(UTC)
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}Z"


def parse_iso(text):
    """The inverse of iso(): an aware datetime from ISO-8601 text (a trailing Z means UTC)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def from_unix(seconds):
    return datetime.fromtimestamp(seconds, UTC)
